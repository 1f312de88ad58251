"""The catalogue: every exercise, the workspace file it lives in, and the lesson section it practises."""

import importlib
import re
import unicodedata
from dataclasses import dataclass

#: Lesson number → (page in lessons/, the workspace file of its exercises).
LESSONS = {
    1: ("01-chain-rule.md", "lesson1_local_derivatives"),
    2: ("02-scalar-engine.md", "lesson2_scalar_engine"),
    3: ("03-checking-gradients.md", "lesson3_finite_differences"),
    4: ("04-tensors.md", "lesson4_tensor_backward"),
    5: ("05-report-derivation.md", "lesson5_report_backprop"),
    6: ("06-three-ways.md", "lesson6_two_layouts"),
    7: ("07-training.md", "lesson7_training"),
}


@dataclass(frozen=True)
class Exercise:
    """A function to write: its name in the workspace file of `lesson`, and the section to reread."""

    name: str
    lesson: int
    section: str  # a heading of the lesson's page, as written there

    @property
    def part(self):
        """The workspace file's module name, e.g. "lesson2_scalar_engine"."""
        return LESSONS[self.lesson][1]

    @property
    def page(self):
        return LESSONS[self.lesson][0]

    @property
    def anchor(self):
        """The section's link on the built site's page (MkDocs' heading ids)."""
        return f"{self.page}#{slugify(self.section)}"

    def properties(self):
        """The properties it is graded on, in order (`checks.lessonN.PROPERTIES`)."""
        return importlib.import_module(f"tinygrad_edu.course.checks.lesson{self.lesson}").PROPERTIES[
            self.name
        ]


_CHAIN, _BACKWARD_TABLE = (
    "Break the expression into steps",
    "Backward: derivatives from the output to the inputs",
)
EXERCISES = [
    Exercise("add", 1, _BACKWARD_TABLE),
    Exercise("mul", 1, _BACKWARD_TABLE),
    Exercise("power", 1, _BACKWARD_TABLE),
    Exercise("exp", 1, _CHAIN),
    Exercise("log", 1, _CHAIN),
    Exercise("tanh", 1, _CHAIN),
    Exercise("sigmoid", 1, _CHAIN),
    Exercise("relu", 1, _CHAIN),
    Exercise("topological_order", 2, "Why a topological order"),
    Exercise("backward", 2, "Why `+=`, and why gradients must be reset"),
    Exercise("central_difference", 3, "Finite differences, one-sided and central"),
    Exercise("unbroadcast", 4, "Broadcasting, and why its backward sums"),
    Exercise("matmul_backward", 4, "The matrix product's backward"),
    Exercise("sum_backward", 4, "Broadcasting, and why its backward sums"),
    Exercise("mean_backward", 4, "Broadcasting, and why its backward sums"),
    Exercise("max_backward", 4, "One node, many numbers"),
    Exercise("linear_backward", 4, "`linear`: a layer as one fused op"),
    Exercise("softmax_cross_entropy", 5, "Softmax and cross-entropy: prediction minus truth"),
    Exercise("back_propagate", 5, "The δ-recursion"),
    Exercise("to_report_layout", 6, "One network, two layouts"),
    Exercise("tensor_engine_gradients", 6, "Two gradients on a real batch"),
    Exercise("minibatches", 7, "Mini-batches"),
    Exercise("momentum_step", 7, "The sign typo in the report"),
]
BY_NAME = {exercise.name: exercise for exercise in EXERCISES}


def select(names):
    """The exercises called `names` (all of them for none), in catalogue order; KeyError names a typo."""
    unknown = [name for name in names if name not in BY_NAME]
    if unknown:
        raise KeyError(
            f"no exercise called {', '.join(map(repr, unknown))}; "
            "`python -m tinygrad_edu.course list` shows them all"
        )
    return [e for e in EXERCISES if not names or e.name in names]


def slugify(heading):
    """A heading's id as MkDocs (Python-Markdown's toc) makes it: ASCII words joined by '-'."""
    text = unicodedata.normalize("NFKD", heading).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)
