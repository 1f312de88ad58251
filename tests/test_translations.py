"""Each zh-TW page (`lessons/X.zh-TW.md`) says what its English page `lessons/X.md` says, with the
same code: only prose, Python comments and string contents may differ.

What is compared, page pair by page pair (the markdown sources, so a failure names the block):
- every fenced code block, in order: the fence's info string (language, markdown-exec options)
  exactly; Python as its token stream with comments dropped and each string literal reduced to a
  placeholder; any other language line by line, with `#` comments (whole lines, or after ` # `) dropped;
- display math \\[ … \\] in order, and inline math \\( … \\) as a multiset: the math is shared;
- the section ids: every translated heading below the title carries `{#id}` with the id MkDocs
  gives the English heading, so links, the course's "reread" anchors and the language switch
  land on the same section in both languages.
"""

import io
import re
import tokenize
from collections import Counter

import pytest
from test_lessons import LESSONS, ZH_SUFFIX

from tinygrad_edu.course.exercises import slugify

FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*(?:\{\s*#(?P<id>[^}\s]+)\s*\})?\s*$")
DISPLAY_MATH = re.compile(r"\\\[(.*?)\\\]", re.DOTALL)
INLINE_MATH = re.compile(r"\\\((.*?)\\\)", re.DOTALL)


def translated_pairs():
    """(English page, zh-TW page) for every zh-TW page in lessons/."""
    pairs = []
    for translated in sorted(LESSONS.rglob("*" + ZH_SUFFIX)):
        english = translated.with_name(translated.name[: -len(ZH_SUFFIX)] + ".md")
        pairs.append((english, translated))
    return pairs


def split_fences(text):
    """The page as (prose lines, code blocks); a block is (line number, info string, body lines)."""
    prose, blocks = [], []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        opening = FENCE_OPEN.match(lines[i])
        if not opening:
            prose.append(lines[i])
            i += 1
            continue
        fence, info, start = opening["fence"], opening["info"].strip(), i + 1
        body = []
        i += 1
        while i < len(lines) and lines[i].strip() != fence:
            body.append(lines[i])
            i += 1
        blocks.append((start, info, body))
        i += 1
    return prose, blocks


def python_shape(source):
    """The token stream of `source` with comments gone and every string literal the same."""
    shape = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):  # not Python after all: compare it line by line
        return [line.strip() for line in source.splitlines() if line.strip()]
    for token in tokens:
        if token.type in (tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT):
            continue
        if token.type == tokenize.STRING:
            shape.append("<string>")
        elif getattr(tokenize, "FSTRING_MIDDLE", None) == token.type:
            shape.append("<string part>")
        else:
            shape.append(token.string)
    return shape


def block_shape(info, body):
    """What must be equal between the two languages' versions of a code block."""
    if info.startswith("python") and not any(line.strip().startswith("--8<--") for line in body):
        indent = min((len(line) - len(line.lstrip()) for line in body if line.strip()), default=0)
        return python_shape("\n".join(line[indent:] for line in body) + "\n")
    lines = (re.sub(r"\s+#\s.*$", "", line).strip() for line in body)  # a comment: a line's end after " # "
    return [line for line in lines if line and not line.startswith("#")]


def heading_ids(prose, *, translated):
    """The ids of the headings below the title, as MkDocs makes them (explicit `{#id}` on zh-TW)."""
    ids, seen = [], Counter()
    for line in prose:
        heading = HEADING.match(line)
        if not heading or len(heading["hashes"]) == 1:
            continue
        if translated:
            ids.append(heading["id"] or f"<no {{#id}} on {line.strip()!r}>")
            continue
        slug = slugify(heading["text"].replace("`", "").replace("*", ""))
        ids.append(slug if not seen[slug] else f"{slug}_{seen[slug]}")
        seen[slug] += 1
    return ids


PAIRS = translated_pairs()


@pytest.mark.parametrize("english,translated", PAIRS, ids=[p[1].name for p in PAIRS])
def test_code_blocks_match(english, translated):
    _, english_blocks = split_fences(english.read_text(encoding="utf-8"))
    _, translated_blocks = split_fences(translated.read_text(encoding="utf-8"))
    assert len(translated_blocks) == len(english_blocks), (
        f"{translated.name}: {len(translated_blocks)} code blocks, {english.name}: {len(english_blocks)}"
    )
    for (line_en, info_en, body_en), (line_zh, info_zh, body_zh) in zip(english_blocks, translated_blocks):
        where = f"{translated.name}:{line_zh} against {english.name}:{line_en}"
        assert info_zh == info_en, f"{where}: fence options differ: {info_zh!r} != {info_en!r}"
        assert block_shape(info_zh, body_zh) == block_shape(info_en, body_en), (
            f"{where}: the code differs (only comments and string contents may)"
        )


@pytest.mark.parametrize("english,translated", PAIRS, ids=[p[1].name for p in PAIRS])
def test_math_matches(english, translated):
    english_prose = "\n".join(split_fences(english.read_text(encoding="utf-8"))[0])
    translated_prose = "\n".join(split_fences(translated.read_text(encoding="utf-8"))[0])

    def normalized(formulas):
        return [" ".join(formula.split()) for formula in formulas]

    assert normalized(DISPLAY_MATH.findall(translated_prose)) == normalized(
        DISPLAY_MATH.findall(english_prose)
    ), f"{translated.name}: display math differs from {english.name}"
    missing = Counter(normalized(INLINE_MATH.findall(english_prose)))
    extra = Counter(normalized(INLINE_MATH.findall(translated_prose)))
    assert extra - missing == Counter() and missing - extra == Counter(), (
        f"{translated.name}: inline math differs from {english.name}: "
        f"only in the translation {sorted((extra - missing).elements())}, "
        f"only in English {sorted((missing - extra).elements())}"
    )


@pytest.mark.parametrize("english,translated", PAIRS, ids=[p[1].name for p in PAIRS])
def test_section_ids_match(english, translated):
    english_prose, _ = split_fences(english.read_text(encoding="utf-8"))
    translated_prose, _ = split_fences(translated.read_text(encoding="utf-8"))
    assert heading_ids(translated_prose, translated=True) == heading_ids(english_prose, translated=False)


def test_the_comparison_sees_code_and_ignores_comments_and_strings():
    english = ["x = f(1)  # one", 'print("loss", x)']
    assert block_shape("python", ["x = f(1)  # 一", 'print("損失", x)']) == block_shape("python", english)
    assert block_shape("python", ["x = f(2)", 'print("loss", x)']) != block_shape("python", english)
    assert block_shape("python", ["x = g(1)", 'print("loss", x)']) != block_shape("python", english)
    snippet = ['--8<-- "tinygrad_edu/autograd/scalar.py"']
    other_snippet = ['--8<-- "tinygrad_edu/autograd/tensor.py"']
    assert block_shape("python", other_snippet) != block_shape("python", snippet)
    assert block_shape("bash", ["# 安裝", "pip install x  # 裝 x"]) == block_shape("bash", ["pip install x"])
    assert block_shape("bash", ["pip install y"]) != block_shape("bash", ["pip install x"])


def test_heading_ids_follow_mkdocs():
    english = ["# Title", "## What a `Value` remembers", "## Exercises", "### Exercises"]
    assert heading_ids(english, translated=False) == ["what-a-value-remembers", "exercises", "exercises_1"]
    assert heading_ids(["# 標題", "## 一個 `Value` 記得什麼 {#what-a-value-remembers}"], translated=True) == [
        "what-a-value-remembers"
    ]
