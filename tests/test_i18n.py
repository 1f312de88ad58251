"""The site in two languages (mkdocs-static-i18n): English at site/, 繁體中文 at site/zh-TW/.

`lessons/X.zh-TW.md` is the zh-TW page of `lessons/X.md`; a page with no translation is built under
zh-TW/ from its English file. tests/test_translations.py compares the two Markdown sources; these
tests check what the build makes of them (the site is built once, by conftest.py's `build` fixture):

* every page of the nav has its zh-TW file, except the API reference (generated from the
  docstrings, English in both languages);
* both languages are built for every page, a translated page shows its translation, the nav
  titles and the theme's own words are Chinese on zh-TW pages, and every page's language switch
  leads to the same page in the other language; the search index holds both languages;
* the code: each pair of pages ran the same blocks, so the same outputs appear on both, except
  the outputs named in RUN_DEPENDENT (timings), whose numbers are masked; and each page runs
  from fresh markdown-exec sessions, so a zh-TW page never continues the English page's state
  (docs_hooks/sessions.py);
* in Chromium, a zh-TW page's Chinese text is drawn with Noto Sans CJK TC (no fallback font, no
  empty boxes), with a screenshot in the test's tmp dir.
"""

import html
import importlib.util
import json
import re
from pathlib import Path

import markdown
import markdown_exec
import numpy as np
import pytest
import yaml
from test_lessons import ZH, _ConfigLoader, built_page, find_chromium, nav_files
from test_lessons_interactive import Browser

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")  # Han characters and CJK punctuation

RUN_DEPENDENT = {
    # hypothesis draws its examples with a fixed seed (derandomize=True) but favours constants it
    # finds in the local modules imported so far (tinygrad_edu's, examples/), and the zh-TW copy
    # runs after every English page has imported more of them: other shapes, as valid
    "03-checking-gradients.md": [
        r"(?<=arrays of shapes such as\n)\[.*\]",
        r"(?<=pairs of shapes, such as ).*",
    ],
    # a timed chain of 100,000 multiplications
    "02-scalar-engine.md": [r"forward and backward through 100,000 nodes: [\d.]+ s"],
    # one timed forward and backward pass, and their ratio
    "05-report-derivation.md": [r"forward [\d.]+ ms, backward [\d.]+ ms, measured ratio [\d.]+"],
    # one timed forward pass, and the hours a finite-difference gradient would take at that speed
    "06-three-ways.md": [r"one forward pass \d+ ms", r"≈ [\d,]+ hours"],
    # the seconds each engine took per epoch, after the (deterministic) validation loss/accuracy
    "07-training.md": [r"(?<=val \d\.\d{4}/\d\.\d{4} )[\d.]+s"],
}

MKDOCS = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
I18N = next(plugin["i18n"] for plugin in MKDOCS["plugins"] if isinstance(plugin, dict) and "i18n" in plugin)
ZH_CONFIG = next(language for language in I18N["languages"] if language["locale"] == ZH)


def zh_source(file):
    """lessons/X.zh-TW.md for the nav's X.md."""
    return LESSONS / Path(file).with_suffix(f".{ZH}.md")


def translatable():
    """The nav's pages that get a translation: all but the API reference."""
    return [file for file in nav_files() if not file.startswith("api/")]


def translated():
    """The nav's pages whose zh-TW file exists."""
    return [file for file in translatable() if zh_source(file).is_file()]


def zh_page(site, file):
    return built_page(site / ZH, file)


def article(page):
    """The HTML of a built page's content column (no header, nav or footer)."""
    text = page.read_text(encoding="utf-8")
    found = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', text, re.DOTALL)
    assert found, f"{page}: no article found"
    return found.group(1)


def text_of(fragment):
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


# ---- the sources ----


def test_every_page_but_the_api_reference_has_its_zh_tw_file():
    missing = [file for file in translatable() if not zh_source(file).is_file()]
    assert not missing, f"pages of the nav without their .{ZH}.md: {missing}"


# ---- both languages in the built site ----


def test_every_page_is_built_in_both_languages(site):
    for file in nav_files():
        english, chinese = built_page(site, file), zh_page(site, file)
        assert english.is_file() and chinese.is_file(), f"{file}: not built in both languages"
        assert '<html lang="en"' in english.read_text(encoding="utf-8"), f"{english}: not marked English"
        assert f'<html lang="{ZH}"' in chinese.read_text(encoding="utf-8"), f"{chinese}: not marked {ZH}"


@pytest.mark.parametrize("file", translatable())
def test_a_zh_tw_page_shows_its_translation_or_else_the_english_page(site, file):
    def title(text):  # the page's H1, as Markdown writes it
        return re.search(r"^# .+$", text, re.MULTILINE).group(0)

    source = zh_source(file) if zh_source(file).is_file() else LESSONS / file
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", article(zh_page(site, file)), re.DOTALL)
    shown = text_of(heading.group(1)).replace("¶", "").strip()
    expected = text_of(markdown.markdown(title(source.read_text(encoding="utf-8")))).strip()
    assert shown == expected, f"zh-TW/{file} shows {shown!r}, its source {source.name} says {expected!r}"


def test_the_nav_titles_are_chinese_on_zh_tw_pages(site):
    def nav_titles(page):
        text = page.read_text(encoding="utf-8")
        return set(re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', text))

    chinese, english = nav_titles(zh_page(site, "index.md")), nav_titles(built_page(site, "index.md"))
    translations = {html.escape(k, quote=False): html.escape(v, quote=False)
                    for k, v in ZH_CONFIG["nav_translations"].items()}
    assert set(translations) <= english, "the English nav lost a title that nav_translations translates"
    assert set(translations.values()) <= chinese, "a nav title is not translated on zh-TW pages"
    # the API reference's first page, English in both languages, keeps its own title (its H1)
    left = set(translations) & chinese - {"API reference"}
    assert not left, f"English nav titles left on zh-TW pages: {sorted(left)}"


def material_words(language):
    """{key: text} of the theme's own interface strings in `language` (its partials/languages/)."""
    partial = Path(importlib.util.find_spec("material").origin).parent / "templates/partials/languages"
    text = (partial / f"{language}.html").read_text(encoding="utf-8")
    return dict(re.findall(r'^\s*"([\w.]+)": "(.*)",?$', text, re.MULTILINE))


def test_the_theme_speaks_chinese_on_zh_tw_pages(site):
    for folder, language in ((site / ZH, ZH), (site, "en")):
        page = built_page(folder, "02-scalar-engine.md").read_text(encoding="utf-8")
        words = material_words(language)
        for key in ("search.placeholder", "select.language", "footer.next", "toc"):
            assert html.escape(words[key]) in page, f"{language}: the theme's {key!r} is not {words[key]!r}"


def switch_links(page):
    """{language: target} of a built page's language switch."""
    links = re.findall(r'<a href="([^"]*)" hreflang="([^"]*)" class="md-select__link">',
                       page.read_text(encoding="utf-8"))
    return {language: target for target, language in links}


@pytest.mark.parametrize("file", nav_files())
def test_the_language_switch_leads_to_the_same_page_in_the_other_language(site, file):
    english, chinese = built_page(site, file), zh_page(site, file)
    for page in (english, chinese):
        links = switch_links(page)
        assert set(links) == {"en", ZH}, f"{page.relative_to(site)}: switch offers {sorted(links)}"
        for language, target in {"en": english, ZH: chinese}.items():
            resolved = (page.parent / links[language]).resolve()
            assert resolved == target.resolve(), (
                f"{page.relative_to(site)}: the {language} switch goes to {links[language]}, "
                f"not {target.relative_to(site)}"
            )


def test_each_language_has_its_own_404_page(site):
    # both builds write 404.html at the site's root: docs_hooks/not_found.py keeps each language's own
    assert '<html lang="en"' in (site / "404.html").read_text(encoding="utf-8")
    assert f'<html lang="{ZH}"' in (site / ZH / "404.html").read_text(encoding="utf-8")


def test_the_search_index_holds_both_languages(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    pages = {entry["location"].split("#")[0] for entry in index["docs"]}
    # (an untranslated page's zh-TW copy says what the English page says: the plugin drops its
    # entries from the index as duplicates, so a search from a zh-TW page finds the English page)
    for file in translatable():
        english = built_page(site, file).relative_to(site).as_posix()
        assert english in pages, f"{file}: not searchable"
        assert f"{ZH}/{english}" in pages or not zh_source(file).is_file(), f"zh-TW/{file}: not searchable"
    for file in translated():
        entries = [e for e in index["docs"] if e["location"].split("#")[0] == f"{ZH}/{Path(file).stem}.html"]
        assert any(CJK.search(entry["text"]) for entry in entries), f"zh-TW/{file}: no Chinese text indexed"
    # Chinese has no spaces between words: the separator splits around each Han character
    separator = re.compile(index["config"]["separator"])
    tokens = [token for token in separator.split("反向傳播 backward pass") if token]
    assert tokens == ["反", "向", "傳", "播", "backward", "pass"]


# ---- the code: same blocks, same outputs ----

COMMENT = re.compile(r'<span class="c[1hm]?">.*?</span>', re.DOTALL)  # Pygments' comment tokens
GRAPHVIZ_ID = re.compile(r"(?<!\d)\d{9,}(?!\d)")  # graphviz node names: Python's id() of each Value
MATPLOTLIB_ID = re.compile(r'(?<=["#])[A-Za-z]*[0-9a-f]{10,}(?=[")])')  # ids from a random hash salt


def rendered_code(page):
    """What the page's code produced, in order: each code block's text (Python comments dropped:
    the translations may translate them) and each figure's SVG (ids made of memory addresses and
    random hashes masked), as lines."""
    content = article(page)
    pieces = []
    for match in re.finditer(r'<div class="highlight">(.*?)</div>|<svg\b.*?</svg>', content, re.DOTALL):
        if match.group(1) is not None:
            code = text_of(COMMENT.sub("", match.group(1)))
            pieces.append("\n".join(line.rstrip() for line in code.splitlines() if line.strip()))
        else:
            svg = GRAPHVIZ_ID.sub("<id>", MATPLOTLIB_ID.sub("<id>", match.group(0)))
            pieces.append(re.sub(r"<dc:date>.*?</dc:date>", "", svg, flags=re.DOTALL))
    return pieces


def masked(pieces, patterns, where):
    """`pieces` with every match of `patterns` replaced by <run-dependent>; each pattern must match."""
    joined = "\n\0\n".join(pieces)
    for pattern in patterns:
        joined, count = re.subn(pattern, "<run-dependent>", joined)
        assert count, f"{where}: the run-dependent output {pattern!r} is no longer on the page"
    return joined.split("\n\0\n")


@pytest.mark.parametrize("file", translatable())
def test_both_languages_show_the_same_code_and_outputs(site, file):
    # A page without its translation yet is compared too: its zh-TW copy ran the same Markdown again.
    english = masked(rendered_code(built_page(site, file)), RUN_DEPENDENT.get(file, []), file)
    chinese = masked(rendered_code(zh_page(site, file)), RUN_DEPENDENT.get(file, []), f"zh-TW/{file}")
    assert english, f"{file}: no code found on the page"
    assert len(chinese) == len(english), f"{file}: {len(english)} code blocks/figures, zh-TW {len(chinese)}"
    for number, (ours, theirs) in enumerate(zip(english, chinese), start=1):
        assert theirs == ours, f"{file}: code block/figure {number} differs in zh-TW:\n{ours}\n---\n{theirs}"


def test_the_comparison_sees_outputs_and_ignores_comments_and_ids(tmp_path):
    def page(body, tmp):
        tmp.write_text(f'<article class="md-content__inner md-typeset">{body}</article>', encoding="utf-8")
        return rendered_code(tmp)

    tmp = tmp_path / "page.html"
    source = '<div class="highlight"><pre><code>x = 1  <span class="c1"># {}</span>\n</code></pre></div>'
    output = '<div class="highlight"><pre><code>{}\n</code></pre></div>'
    graph = '<svg><g id="node1"><title>140218780753872</title></g></svg>'
    english = page(source.format("one") + output.format("1.25") + graph, tmp)
    assert page(source.format("一") + output.format("1.25") + graph.replace("7808", "9999"), tmp) == english
    assert page(source.format("一") + output.format("1.26") + graph, tmp) != english
    timing = page(output.format("forward and backward through 100,000 nodes: 0.71 s"), tmp)
    other_run = page(output.format("forward and backward through 100,000 nodes: 1.02 s"), tmp)
    patterns = RUN_DEPENDENT["02-scalar-engine.md"]
    assert masked(timing, patterns, "test") == masked(other_run, patterns, "test")
    with pytest.raises(AssertionError, match="no longer on the page"):
        masked(english, patterns, "test")


def _load_hook(name):
    spec = importlib.util.spec_from_file_location(f"{name}_hook", ROOT / "docs_hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


COUNTING_PAGE = '''\
```python exec="on" result="text" session="lesson-99"
runs = globals().get("runs", 0) + 1
print(f"run {runs}")
```
'''


def render_with_markdown_exec(text):
    """`text` through Markdown with markdown-exec's Python fence, as the site renders a page."""
    fence = {"name": "python", "class": "python", "validator": markdown_exec.validator,
             "format": markdown_exec.formatter}
    return markdown.markdown(text, extensions=["pymdownx.superfences"],
                             extension_configs={"pymdownx.superfences": {"custom_fences": [fence]}})


def test_each_page_runs_from_fresh_sessions_in_each_language():
    # markdown-exec keeps a session's globals for the whole process, and the process builds every
    # page twice: the zh-TW page would continue from the English page's state without the hook.
    sessions = _load_hook("sessions")
    sessions.reset_sessions()
    assert "run 1" in render_with_markdown_exec(COUNTING_PAGE)
    assert "run 2" in render_with_markdown_exec(COUNTING_PAGE), "markdown-exec no longer keeps sessions"
    sessions.on_pre_page(None, None, None)
    assert "run 1" in render_with_markdown_exec(COUNTING_PAGE), "the hook gave the page no fresh sessions"
    np.set_printoptions(precision=2)  # as lesson 5 does, for every page after it
    sessions.on_pre_page(None, None, None)
    assert np.get_printoptions()["precision"] == 8, "numpy's print options were not restored"
    hooks = MKDOCS["hooks"]
    assert "docs_hooks/sessions.py" in hooks, "mkdocs.yml does not run docs_hooks/sessions.py"


# ---- Chinese text in a browser ----

# The Chinese text the test measures: the first paragraph of the page's content with Chinese in it
# (a translated page), else the page's Chinese nav title (a page still in English).
FIRST_CHINESE_TEXT = """(() => {
  const cjk = /[\\u3400-\\u9fff]/;
  const own = e => [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('');
  const all = selector => [...document.querySelectorAll(selector)];
  const candidates = [...all('article p'), ...all('.md-nav__link .md-ellipsis')];  // the article first
  const found = candidates.find(e => cjk.test(own(e)) && e.getBoundingClientRect().width > 0);
  if (!found) return null;
  found.setAttribute('data-cjk-probe', '');
  return {text: own(found), font: getComputedStyle(found).fontFamily};
})()"""


def test_chinese_text_is_drawn_with_noto_sans_cjk_tc_in_chromium(site, tmp_path):
    file = (translated() or ["01-chain-rule.md"])[0]
    if file.startswith("index"):
        file = next((f for f in translated() if f[:2].isdigit()), "01-chain-rule.md")
    with Browser(find_chromium(), tmp_path / "profile") as browser:
        browser.open(zh_page(site, file).resolve().as_uri())
        probe = browser.evaluate(FIRST_CHINESE_TEXT)
        assert probe, f"zh-TW/{file}: no Chinese text found on the page"
        assert "Noto Sans CJK TC" in probe["font"], f"zh-TW text: no Noto Sans CJK TC in {probe['font']}"
        browser.send("DOM.enable")
        browser.send("CSS.enable")
        root = browser.send("DOM.getDocument")["root"]["nodeId"]
        node = browser.send("DOM.querySelector", nodeId=root, selector="[data-cjk-probe]")["nodeId"]
        fonts = browser.send("CSS.getPlatformFontsForNode", nodeId=node)["fonts"]
        screenshot = tmp_path / f"zh-TW-{Path(file).stem}.png"
        browser.screenshot(screenshot)
    print(f"zh-TW/{file}: {probe['text'][:40]!r} drawn with {fonts}; screenshot {screenshot}")
    cjk_glyphs = len(CJK.findall(probe["text"]))
    noto = sum(font["glyphCount"] for font in fonts if font["familyName"] == "Noto Sans CJK TC")
    others = [font for font in fonts if font["familyName"] != "Noto Sans CJK TC"]
    assert cjk_glyphs > 0 and noto >= cjk_glyphs, (
        f"zh-TW/{file}: {cjk_glyphs} Chinese characters, {noto} glyphs from Noto Sans CJK TC: {fonts}"
    )
    # any other font drew the Latin letters, digits and spaces only: no Chinese character fell back
    latin = len(probe["text"]) - cjk_glyphs
    assert sum(font["glyphCount"] for font in others) <= latin, f"a Chinese character fell back: {others}"
    assert screenshot.stat().st_size > 10_000, "no screenshot was taken"
