"""MkDocs hook: every page runs its code blocks from a fresh start, in either language.

markdown-exec keeps the globals of a `session="lesson-02"` in one dictionary per session name for
the whole Python process, and never empties it. With mkdocs-static-i18n the process builds the
site twice (English, then zh-TW), so without this hook lessons/02-scalar-engine.zh-TW.md would run
its first block in the namespace the English page's last block left behind: a translated page
could then use a name it never defines, or print a different number, and still build.

Before each page's Markdown is rendered, this hook forgets every session (and markdown-exec's
per-session block counters, which name the blocks in tracebacks), so a page's blocks see only
what that page's own earlier blocks defined. It also puts back numpy's print options, the one
process-wide setting a lesson changes (lesson 5's `np.set_printoptions(precision=4, ...)`):
left in place, it changed how every later page printed its arrays, the zh-TW copies of lessons
1 to 4 included.
"""

import numpy as np
from markdown_exec._internal.formatters import python as markdown_exec_python

NUMPY_PRINT_OPTIONS = np.get_printoptions()  # numpy's defaults: this module is loaded before any page runs


def reset_sessions():
    """Forget markdown-exec's Python sessions (the next block of any session starts from empty
    globals) and restore numpy's print options."""
    markdown_exec_python._sessions_globals.clear()
    markdown_exec_python._sessions_counter.clear()
    np.set_printoptions(**NUMPY_PRINT_OPTIONS)


def on_pre_page(page, config, files):
    """Runs before the page's Markdown is read and rendered (markdown-exec runs its blocks then)."""
    reset_sessions()
    return page
