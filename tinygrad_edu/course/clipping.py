"""Keeping learner-made text short: long messages, values and printed output are cut, with a note.

A learner's exception message, a returned value shown in feedback, or what their code prints while
it is graded can be megabytes long; feedback keeps the first few hundred characters of each (a few KB
of output) and says how much more there was.
"""

import contextlib
import io

#: Characters kept of one message or one shown value (a few lines of feedback).
CLIP = 500
#: Characters kept of what an exercise's code printed.
OUTPUT_CLIP = 2000


def clip(text, limit=CLIP):
    """`text` cut to `limit` characters, followed by a note of how many more there were."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters cut)"


class ClippedOutput(io.TextIOBase):
    """A text stream that keeps the first `limit` characters written to it and counts the rest."""

    def __init__(self, limit=OUTPUT_CLIP):
        super().__init__()
        self.limit, self.kept, self.total = limit, [], 0

    def writable(self):
        return True

    def write(self, text):
        room = self.limit - min(self.total, self.limit)
        if room:
            self.kept.append(text[:room])
        self.total += len(text)
        return len(text)

    def text(self):
        """What was kept; if more was written, led by a line saying how much was cut."""
        kept = "".join(self.kept)
        if self.total <= self.limit:
            return kept
        return f"({self.total:,} characters in all: the first {self.limit:,} are kept, the rest cut)\n{kept}"


@contextlib.contextmanager
def captured_into(output):
    """Send sys.stdout and sys.stderr into `output` (a ClippedOutput) for the duration of the block."""
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        yield output
