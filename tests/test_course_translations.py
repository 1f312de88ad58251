"""The exercises' instructions in 繁體中文 (`init --lang zh-TW`): same files, same code, same math.

A zh-TW workspace file is its English one with every docstring translated. These tests hold the
translations (tinygrad_edu/course/translations/zh_TW/) to the solutions they translate: one text per
docstring of the catalogue's files, none left over; the same code and signatures; and the same
formulas, shapes, derivatives, numbers, code examples and commands in each pair of docstrings.
That a solved zh-TW workspace passes `check` from the installed wheel is in test_packaging.py.
"""

import ast
import re
from collections import Counter

import pytest

from tinygrad_edu.course import __main__ as cli
from tinygrad_edu.course import translations, worker
from tinygrad_edu.course.exercises import EXERCISES, LESSONS
from tinygrad_edu.course.translations import TranslationError, docstring_sites, docstrings, translate
from tinygrad_edu.course.workspace import part_files, part_source, solution_source, write_workspace

PARTS = [part for _, part in LESSONS.values()]
LANG = "zh-TW"
CJK = re.compile(r"[\u4e00-\u9fff]")

# What must be identical in an English docstring and its translation (as multisets):
SHAPE = re.compile(r"\((?:\s*[\w{}−+-]+\s*,)+(?:\s*[\w{}−+-]+)?\s*\)")  # (n, k), (out,), (n_k, n_{k−1})
PARTIAL = re.compile(r"∂[\w{}−]+(?:/∂[\w{}−]+)?")  # ∂L/∂out, ∂f/∂x_i, ∂root/∂leaf
CODE_SPAN = re.compile(r"`[^`]+`")
COMMAND = re.compile(r"python -m tinygrad_edu\.course .*")
# math symbols and digits: a dropped formula, exponent, transpose or number changes their count
SYMBOLS = set("0123456789=+−*/·×←→∂Σσδβŷᵀⁿᵃ⁻ₙ≥≤<>±@[]_{}^…")
# characters only Simplified Chinese writes so (這們為對層導數據計…): the course is in 繁體中文
SIMPLIFIED = "这个们为对层导数据计络组输则传递积归权图节点网练习时样处"


def _texts(source):
    """{key: docstring text, cleaned as ast.get_docstring cleans it}."""
    tree = ast.parse(source)
    texts = {}

    def visit(node, prefix):
        documented = isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        text = ast.get_docstring(node) if documented else None
        if text is not None:
            texts[prefix or translations.MODULE_KEY] = text
        for child in getattr(node, "body", []):
            if isinstance(child, (ast.FunctionDef, ast.ClassDef)):
                visit(child, f"{prefix}.{child.name}" if prefix else child.name)

    visit(tree, "")
    return texts


def _code_lines(text):
    """The docstring's example code: indented lines that parse as Python, without their comments."""
    code = []
    for line in text.splitlines():
        if not line.startswith(" "):
            continue
        statement = line.split("#", 1)[0].strip()
        try:
            tree = ast.parse(statement)
        except SyntaxError:
            continue
        bare_name = len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr) and "(" not in statement
        if tree.body and not bare_name:  # a lone word continuing a command is not code
            code.append(statement)
    return code


def math_of(text):
    """What a translation must keep of `text`: shapes, partial derivatives, code, commands, symbols."""
    joined = re.sub(r"\\\n\s*", " ", text)  # a command continued with a backslash is one line
    return {
        "shapes": Counter(SHAPE.findall(text)),
        "partial derivatives": Counter(PARTIAL.findall(text)),
        "code spans": Counter(CODE_SPAN.findall(text)),
        "commands": [c.rstrip() for c in COMMAND.findall(joined)],
        "example code": _code_lines(text),
        "symbols and digits": Counter(c for c in text if c in SYMBOLS),
    }


def _without_docstrings(source):
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            if isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


def _signatures(source):
    return {
        node.name: ast.unparse(node.args)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef)
    }


# ---- one text per docstring, for every file and every exercise of the catalogue ----
def test_every_workspace_file_has_a_translation_module():
    assert sorted(f"{part}.py" for part in PARTS) == sorted(part_files())
    for part in PARTS:
        assert docstrings(part, LANG), part


@pytest.mark.parametrize("part", PARTS)
def test_each_docstring_of_a_file_has_its_text_and_no_text_is_stale(part):
    texts, sites = docstrings(part, LANG), docstring_sites(solution_source(part))
    assert set(texts) == set(sites), (
        f"missing: {sorted(set(sites) - set(texts))}, stale: {sorted(set(texts) - set(sites))}"
    )
    assert translations.MODULE_KEY in texts
    for exercise in (e for e in EXERCISES if e.part == part):
        assert exercise.name in texts, f"exercise {exercise.name} has no zh-TW instructions"


def test_a_missing_or_stale_text_is_refused_by_name():
    source = solution_source("lesson7_training")
    texts = docstrings("lesson7_training", LANG)
    with pytest.raises(TranslationError, match=r"missing \['momentum_step'\]"):
        translate(source, {k: v for k, v in texts.items() if k != "momentum_step"})
    with pytest.raises(TranslationError, match=r"stale \(no such docstring\) \['momentum'\]"):
        translate(source, {**texts, "momentum": "動量"})


def test_an_unknown_language_is_refused_and_the_choices_are_named(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["init", "--lang", "zh", str(tmp_path / "ws")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--lang" in err and "'zh'" in err and "'en'" in err and "'zh-TW'" in err
    assert not (tmp_path / "ws").exists(), "a refused language still wrote files"


def test_help_documents_lang(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["init", "--help"])
    assert exit_.value.code == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--lang {en,zh-TW}" in help_text and "en (default) or zh-TW" in help_text


# ---- the same code ----
@pytest.mark.parametrize("solved", [False, True], ids=["stubs", "solved"])
@pytest.mark.parametrize("part", PARTS)
def test_a_zh_file_is_the_english_file_with_translated_docstrings(part, solved):
    english, chinese = part_source(part, solved), part_source(part, solved, lang=LANG)
    assert _signatures(chinese) == _signatures(english)
    assert _without_docstrings(chinese) == _without_docstrings(english), "the code differs"
    written, wanted = _texts(chinese), docstrings(part, LANG)
    assert written == wanted, "a docstring of the file is not its zh-TW text"
    assert written != _texts(english)


# ---- the same math, in Chinese ----
PAIRS = [
    (part, key, english, docstrings(part, LANG)[key])
    for part in PARTS
    for key, english in _texts(solution_source(part)).items()
]


@pytest.mark.parametrize("part, key, english, chinese", PAIRS, ids=[f"{p}:{k}" for p, k, _, _ in PAIRS])
def test_a_translation_keeps_the_math_of_its_english_docstring(part, key, english, chinese):
    assert CJK.search(chinese), "not translated"
    expected, got = math_of(english), math_of(chinese)
    for kind in expected:
        assert got[kind] == expected[kind], f"{kind} differ: English {expected[kind]}, zh-TW {got[kind]}"


def test_math_of_catches_a_lost_shape_a_lost_transpose_a_changed_command_and_number():
    english = _texts(solution_source("lesson4_tensor_backward"))
    chinese = docstrings("lesson4_tensor_backward", LANG)
    for key, old, new in (
        ("matmul_backward", "(k, m)。", "(m, k)。"),
        ("linear_backward", "weightᵀ", "weight"),
        ("<module>", "max_backward", "min_backward"),
        ("unbroadcast", "大小為 1", "大小為 2"),
        ("sum_backward", "∂L/∂out", "∂L/∂x"),
    ):
        assert old in chinese[key]
        assert math_of(chinese[key]) == math_of(english[key])
        assert math_of(chinese[key].replace(old, new, 1)) != math_of(english[key]), (key, old, new)


@pytest.mark.parametrize("part", PARTS)
def test_the_chinese_is_traditional_with_full_width_punctuation(part):
    for key, text in docstrings(part, LANG).items():
        simplified = set(text) & set(SIMPLIFIED)
        assert not simplified, f"{key}: simplified characters {sorted(simplified)}"
        assert not re.search(r"[\u4e00-\u9fff][,.;:!?]|[,.;:!?][\u4e00-\u9fff]", text), (
            f"{key}: half-width punctuation next to Chinese"
        )


# ---- grading: a zh-TW workspace is graded exactly like an English one ----
def test_fresh_zh_stubs_are_all_not_implemented_yet(tmp_path):
    assert cli.main(["init", "--lang", LANG, str(tmp_path)]) == 0
    text = (tmp_path / "lesson5_report_backprop.py").read_text(encoding="utf-8")
    assert "δ 遞迴式" in text and "raise NotImplementedError" in text
    outcomes = [worker.grade(tmp_path, e.name) for e in EXERCISES]
    assert {(o.name, o.status) for o in outcomes} == {(e.name, "not implemented") for e in EXERCISES}


def test_init_writes_no_file_when_a_translation_is_broken(tmp_path, monkeypatch):
    def broken(part, lang):
        if part == "lesson7_training":
            raise TranslationError("missing ['momentum_step']")
        return docstrings(part, lang)

    monkeypatch.setattr(translations, "docstrings", broken)
    with pytest.raises(TranslationError):
        write_workspace(tmp_path / "ws", lang=LANG)
    assert not (tmp_path / "ws").exists()
