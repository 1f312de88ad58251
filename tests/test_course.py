"""The graded exercises: catalogue, workspace files, grading, the command line, and the lesson pages.

The planted wrong solutions are in test_course_mistakes.py; the installed wheel in test_packaging.py.
"""

import ast
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from markdown.extensions.toc import slugify as markdown_slugify
from test_lessons import ZH

from tinygrad_edu.course import __main__ as cli
from tinygrad_edu.course import feedback, worker
from tinygrad_edu.course.exercises import BY_NAME, EXERCISES, LESSONS, slugify
from tinygrad_edu.course.grading import Outcome
from tinygrad_edu.course.workspace import part_files, solution_source, stub_source, write_workspace

ROOT = Path(__file__).resolve().parents[1]
SECTION = "## Check your own engine"
SECTION_ID = "check-your-own-engine"  # a zh-TW page's heading: `## 檢查你自己的引擎 {#check-your-own-engine}`


def zh_page(page):
    """The zh-TW page of a lesson page (02-scalar-engine.zh-TW.md), if it is translated yet, else None."""
    translated = ROOT / "lessons" / Path(page).with_suffix(f".{ZH}.md")
    return translated.name if translated.is_file() else None


def heading_ids(text):
    """The {#id} of each level-2 heading of a translated page, in order."""
    return re.findall(r"^## .*\{\s*#([\w-]+)\s*\}\s*$", text, flags=re.MULTILINE)


def _run_cli(*args, cwd=None, timeout=600):  # a safety net: a busy machine is slow
    return subprocess.run(
        [sys.executable, "-m", "tinygrad_edu.course", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
    )


def _functions(source):
    return {n.name: n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}


# ---- the catalogue ----
def test_at_least_twenty_exercises_across_lessons_one_to_seven():
    assert len(EXERCISES) >= 20
    assert {e.lesson for e in EXERCISES} == set(range(1, 8))
    assert len(BY_NAME) == len(EXERCISES), "two exercises share a name"


def test_every_exercise_is_a_solution_function_with_properties():
    for exercise in EXERCISES:
        assert exercise.name in _functions(solution_source(exercise.part)), exercise
        assert exercise.properties(), exercise


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_the_section_to_reread_is_a_heading_of_its_lesson_page(exercise):
    text = (ROOT / "lessons" / exercise.page).read_text(encoding="utf-8")
    headings = re.findall(r"^#{2,3} (.+)$", text, flags=re.MULTILINE)
    assert exercise.section in headings
    assert exercise.anchor.split("#")[1] == markdown_slugify(exercise.section, "-")
    if translated := zh_page(exercise.page):  # the same anchor leads to the section on the zh-TW page
        zh_text = (ROOT / "lessons" / translated).read_text(encoding="utf-8")
        ids = re.findall(r"^#{2,3} .*\{\s*#([\w-]+)\s*\}\s*$", zh_text, flags=re.MULTILINE)
        assert exercise.anchor.split("#")[1] in ids, f"{translated}: no heading with id {exercise.anchor}"


# ---- stubs ----
def test_stubs_keep_the_docstrings_and_raise_not_implemented():
    for _, part in LESSONS.values():
        names = {e.name for e in EXERCISES if e.part == part}
        solution, stub = (
            _functions(solution_source(part)),
            _functions(stub_source(solution_source(part), names)),
        )
        for name in names:
            body = stub[name].body
            assert ast.get_docstring(stub[name]) == ast.get_docstring(solution[name])
            assert len(body) == 2 and isinstance(body[1], ast.Raise), name
            assert "NotImplementedError" in ast.unparse(body[1])


def test_init_writes_one_file_per_lesson_part_and_refuses_to_overwrite(tmp_path, capsys):
    workspace = tmp_path / "my-engine"
    assert cli.main(["init", str(workspace)]) == 0
    assert sorted(p.name for p in workspace.iterdir()) == sorted(part_files())
    edited = workspace / part_files()[0]
    edited.write_text("# my work\n", encoding="utf-8")
    assert cli.main(["init", str(workspace)]) == 2
    assert "--force" in capsys.readouterr().err
    assert edited.read_text(encoding="utf-8") == "# my work\n", "init overwrote a learner's file"
    assert cli.main(["init", "--solved", "--force", str(workspace)]) == 0
    assert edited.read_text(encoding="utf-8") == solution_source(edited.stem)


# ---- grading, in this process ----
# The solved workspace passing every exercise is checked once, from the installed wheel, by
# test_packaging.py::test_list_init_and_check_run_from_the_installed_wheel.


def test_fresh_stubs_are_all_not_implemented_yet(tmp_path):
    write_workspace(tmp_path)
    outcomes = [worker.grade(tmp_path, e.name) for e in EXERCISES]
    assert {(o.name, o.status) for o in outcomes} == {(e.name, "not implemented") for e in EXERCISES}


def test_a_grade_is_the_same_on_every_run(tmp_path):
    write_workspace(tmp_path, solved=True)
    path = tmp_path / "lesson4_tensor_backward.py"
    path.write_text(path.read_text().replace("g.sum(axis=0)\n", "g.mean(axis=0)\n"), encoding="utf-8")
    first, second = worker.grade(tmp_path, "linear_backward"), worker.grade(tmp_path, "linear_backward")
    assert first.status == "failed" and first.example
    assert first.to_dict() == second.to_dict()


def test_feedback_fits_100_columns_and_uses_colour_only_when_asked():
    outcome = Outcome(
        "back_propagate",
        "failed",
        property="the gradients equal central differences, depth 1 to 4",
        example="layer sizes (3, 2, 2), a batch of m = 2, seed 7",
        what="grads['W1']",
        expected="[[" + ", ".join(["0.123456"] * 30) + "]]",
        got="[[" + ", ".join(["0.654321"] * 30) + "]]",
    )
    plain = feedback.format_outcome(outcome)
    assert max(len(line) for line in plain) <= 100
    assert not any("\033" in line for line in plain)
    assert any("05-report-derivation.md#the-recursion" in line for line in plain)
    assert "\033[31m" in feedback.format_outcome(outcome, colour=True)[0]


# ---- the command line: each exercise in its own process ----
def test_check_survives_a_syntax_error_an_infinite_loop_and_a_crash(tmp_path):
    write_workspace(tmp_path, solved=True)
    lesson1 = tmp_path / "lesson1_local_derivatives.py"
    lesson1.write_text(lesson1.read_text().replace("return a + b, (1.0, 1.0)", "return a + b, (1.0, 1.0"))
    lesson7 = tmp_path / "lesson7_training.py"
    lesson7.write_text(
        lesson7.read_text().replace("    v = beta * v", "    while True:\n        pass\n    v = beta * v")
    )
    lesson2 = tmp_path / "lesson2_scalar_engine.py"
    lesson2.write_text(
        lesson2.read_text().replace(
            "    order = topological_order(root)\n", "    import os\n    os._exit(3)\n"
        )
    )
    result = _run_cli(
        "check",
        "--dir",
        str(tmp_path),
        "--timeout",
        "4",
        "add",
        "momentum_step",
        "backward",
        "minibatches",
        "topological_order",
    )
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    status = {
        line.split()[1]: line.split()[0]
        for line in lines
        if line.startswith("  ") and len(line.split()) > 2 and line.split()[0] in ("PASS", "FAIL", "TODO")
    }
    assert status == {
        "add": "FAIL",
        "momentum_step": "FAIL",
        "backward": "FAIL",
        "minibatches": "PASS",
        "topological_order": "PASS",
    }
    line_of_error = next(
        i for i, text in enumerate(lesson1.read_text().splitlines(), 1) if "(1.0, 1.0" in text
    )
    assert re.search(rf"lesson1_local_derivatives\.py, line {line_of_error}\b", result.stdout)
    assert "timed out" in result.stdout and "died" in result.stdout
    assert max(len(line) for line in lines) <= 100 and "\033" not in result.stdout
    assert lines[-1] == "2 of 5 exercises pass; 0 not implemented yet; 3 failed"


def test_check_prints_the_property_the_input_and_never_the_solution(tmp_path):
    write_workspace(tmp_path, solved=True)
    path = tmp_path / "lesson7_training.py"
    path.write_text(path.read_text().replace("beta * v + (1 - beta) * g", "beta * v - (1 - beta) * g"))
    result = _run_cli("check", "--dir", str(tmp_path), "momentum_step")
    assert result.returncode == 1
    out = result.stdout
    assert "property: a step from v = 0 goes downhill on a quadratic bowl" in out
    assert "smallest failing input: w = " in out and "expected: " in out and "got: " in out
    assert "07-training.md#the-sign-typo-in-the-report" in out
    assert "(1 - beta) * g" not in out and "lr * v" not in out


def test_check_refuses_an_unknown_exercise_or_directory(tmp_path):
    result = _run_cli("check", "--dir", str(tmp_path), "backwards")
    assert result.returncode == 2 and "'backwards'" in result.stderr
    result = _run_cli("check", "--dir", str(tmp_path / "nowhere"))
    assert result.returncode == 2 and "not a directory" in result.stderr


def test_list_shows_every_exercise_with_its_section():
    result = _run_cli("list")
    assert result.returncode == 0
    for exercise in EXERCISES:
        assert re.search(rf"^  {exercise.name} +{re.escape(exercise.section)}$", result.stdout, re.MULTILINE)


# ---- the lesson pages and the README: the commands they show ----
def _check_section(page):
    """(the headings after the "Check your own engine" section, the section's text). On a zh-TW page
    the section is found by its id, and the headings that follow are given by their ids too."""
    text = (ROOT / "lessons" / page).read_text(encoding="utf-8")
    if page.endswith(f".{ZH}.md"):
        heading = re.compile(rf"^## .*\{{\s*#{SECTION_ID}\s*\}}\s*$", re.MULTILINE)
        assert len(heading.findall(text)) == 1, f"{page} needs one section with the id {SECTION_ID}"
        after = text[heading.search(text).end():]
        return heading_ids(after), re.split(r"^## ", after, flags=re.MULTILINE)[0]
    assert text.count(SECTION) == 1, f"{page} needs one '{SECTION}' section"
    after = text.split(SECTION, 1)[1]
    following = [slugify(title) for title in re.findall(r"^## (.+)$", after, re.MULTILINE)]
    return following, re.split(r"^## ", after, flags=re.MULTILINE)[0]


LESSON_PAGES = [(lesson, page) for lesson, (page, _) in sorted(LESSONS.items())]
LESSON_PAGES += [(lesson, zh_page(page)) for lesson, page in LESSON_PAGES if zh_page(page)]


@pytest.mark.parametrize("lesson,page", LESSON_PAGES, ids=[page for _, page in LESSON_PAGES])
def test_each_lesson_page_lists_its_exercises_and_the_command_that_checks_them(lesson, page):
    _, part = LESSONS[lesson]
    following, section = _check_section(page)
    assert following in ([], ["source"]), f"{page}: the section goes just before Source, or last"
    own = {e.name for e in EXERCISES if e.lesson == lesson}
    shown = set(re.findall(r"^- `(\w+)`", section, re.MULTILINE))
    assert shown == own
    assert f"`{part}.py`" in section
    joined = re.sub(r"\\\n\s*", " ", section)  # a command continued with a backslash is one line
    commands = re.findall(r"^python -m tinygrad_edu\.course (.+)$", joined, re.MULTILINE)
    assert commands, f"{page}: no command shown"
    for command in commands:
        args = cli._parser().parse_args(shlex.split(command))
        if args.command is cli._check:
            assert set(args.names) == own


def test_the_index_and_the_readme_show_the_three_commands():
    for path in (ROOT / "lessons" / "index.md", ROOT / "README.md"):
        commands = re.findall(
            r"^python -m tinygrad_edu\.course (\S+)(.*?)(?:  +#.*)?$", path.read_text(), re.MULTILINE
        )
        assert {name for name, _ in commands} >= {"list", "init", "check"}, path
        for name, rest in commands:
            cli._parser().parse_args([name, *shlex.split(rest)])
    counted = re.search(r"(\d+) functions over lessons 1–7", (ROOT / "README.md").read_text())
    assert counted and int(counted.group(1)) == len(EXERCISES)
