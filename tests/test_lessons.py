"""The lessons: the site builds, every code block on it runs, and a browser shows math and graphs.

The lessons in lessons/ are Markdown pages whose Python blocks are run while the site is built
(markdown-exec), so a lesson can only show what its code really prints. These tests:

* build the site once, with `mkdocs build --strict`, into a temporary folder: a code block that
  raises, a missing page or a broken link fails the build;
* check the built pages: every page of the nav is there, no code block's error was rendered,
  no math was left unrendered by accident, and nothing is loaded from the internet;
* check the lesson sources: each has a goal, exercises with solutions and its source code, and
  every Python block either runs at build time or embeds a file of the library (so no code on
  the site can drift away from the library without a failing build);
* open a page in headless Chromium (Debian's `chromium` package) and check that KaTeX typeset
  its equations and that its graphviz graph is there, and save a screenshot;
* measure every page in Chromium at a 1280-px window: no code block, output or table is cut
  off or needs sideways scrolling;
* open the site straight from disk (file://): every link and asset a page names is a file of
  the site, and a page opened that way shows its math.

The site has two languages (mkdocs-static-i18n): English at the root, 繁體中文 under zh-TW/. The
checks of built pages run on both (`site_pages`), the browser's width measurement on the zh-TW
pages that are translated (a page not translated yet is the English page again); test_i18n.py
checks what is particular to the two languages.
"""

import contextlib
import functools
import html
import http.server
import json
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
ZH = "zh-TW"  # the second language: its folder in the site, and the suffix of its Markdown files
ZH_SUFFIX = f".{ZH}.md"
LESSON_FILES = sorted(f for f in LESSONS.glob("[0-9][0-9]-*.md") if not f.name.endswith(ZH_SUFFIX))
TRANSLATED_LESSON_FILES = sorted(LESSONS.glob(f"[0-9][0-9]-*{ZH_SUFFIX}"))  # the zh-TW lessons there are
BROWSER_PAGE = "01-chain-rule.md"  # has inline and display math and a graph drawn at build time


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring tags such as !!python/name: that only MkDocs resolves."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def nav_files():
    """The Markdown files named in mkdocs.yml's nav, in order (those of its sections included)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    return list(_files_in(config["nav"]))


def _files_in(entry):
    """The files of a nav entry: a file name, a {title: entry} mapping, or a list of entries."""
    if isinstance(entry, str):
        yield entry
    else:
        for item in entry.values() if isinstance(entry, dict) else entry:
            yield from _files_in(item)


def built_page(site, markdown_file):
    """The HTML file that mkdocs writes for a Markdown file (use_directory_urls: false)."""
    return site / Path(markdown_file).with_suffix(".html")


def is_translated(markdown_file):
    """True if the page has its zh-TW file (lessons/X.zh-TW.md) yet."""
    return (LESSONS / Path(markdown_file).with_suffix(ZH_SUFFIX)).is_file()


def site_pages(files=None):
    """(language folder, nav file) for every page of the nav in both languages: "" and "zh-TW/"."""
    files = nav_files() if files is None else files
    return [(folder, file) for folder in ("", f"{ZH}/") for file in files]


# ---- the built site ----


def test_every_page_of_the_nav_is_a_lesson_and_is_built(site):
    files = nav_files()
    assert files[0] == "index.md"
    numbered = [LESSONS / f for f in files if f[:2].isdigit()]
    assert numbered == LESSON_FILES, "the nav should list every lesson, in order"
    assert files[1 : len(numbered) + 1] == [f.name for f in numbered], "lessons follow the home page"
    for folder, file in site_pages(files):
        assert built_page(site / folder, file).is_file(), f"{folder}{file} was not built"


@pytest.mark.parametrize("folder,file", site_pages())
def test_no_code_block_failed_on_the_page(site, folder, file):
    # markdown-exec renders a failing block as its traceback, in which the block is named
    # "<code block: session ...>"; a lesson that shows an error on purpose prints the
    # exception, never a traceback.
    html = built_page(site / folder, file).read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" not in html, f"{file}: a code block raised"
    assert "&lt;code block: " not in html, f"{file}: a code block raised"


@pytest.mark.parametrize("folder,file", site_pages())
def test_no_math_lost_its_delimiters(site, folder, file):
    # KaTeX typesets what is between \( \) or \[ \] in the browser. A formula whose
    # delimiters Markdown ate (a \[ … \] inside a paragraph, instead of on lines of
    # its own with blank lines around) would show as raw TeX: look for TeX commands
    # left outside any delimiters (and outside code, scripts and figures).
    html = built_page(site / folder, file).read_text(encoding="utf-8")
    for pattern in (
        r"<script\b.*?</script>",
        r"<style\b.*?</style>",
        r"<svg\b.*?</svg>",
        r"<pre\b.*?</pre>",
        r"<code\b.*?</code>",
        r"\\\(.*?\\\)",
        r"\\\[.*?\\\]",
    ):
        html = re.sub(pattern, "", html, flags=re.DOTALL)
    stray = re.findall(r".{0,40}\\[a-zA-Z]{2,}.{0,40}", html)
    hint = "is display math on lines of its own, with blank lines around?"
    assert not stray, f"{file}: TeX outside of math delimiters ({hint}): {stray[:3]}"


NOTEBOOK_LINK_TEXT = {"": "Download this lesson as a notebook", f"{ZH}/": "下載這一課的筆記本（notebook）"}


@pytest.mark.parametrize("folder,file", site_pages([f for f in nav_files() if f[:2].isdigit()]))
def test_each_lesson_links_to_its_notebook_which_is_in_the_site(site, folder, file):
    # docs_hooks/notebooks.py builds notebooks/NN-name.ipynb from each lesson and links it from the
    # page; a zh-TW page links to zh-TW/notebooks/NN-name.ipynb, with the link in Chinese
    stem = Path(file).stem
    notebook = json.loads((site / folder / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    assert any(cell["cell_type"] == "code" for cell in notebook["cells"]), f"{stem}.ipynb has no code"
    page = built_page(site / folder, file)
    link = re.search(rf'<a [^>]*href="([^"]*notebooks/{stem}\.ipynb)"[^>]*>{NOTEBOOK_LINK_TEXT[folder]}',
                     page.read_text(encoding="utf-8"))
    assert link, f"{folder}{file} has no link to its notebook"
    target = (page.parent / link.group(1)).resolve()
    assert target == (site / folder / "notebooks" / f"{stem}.ipynb").resolve(), f"{folder}{file} → {target}"


def test_the_site_loads_nothing_from_the_internet(site):
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        remote = re.findall(r'<(?:script|link|img)\b[^>]*(?:src|href)="(?:https?:)?//[^"]*"[^>]*>', html)
        remote = [tag for tag in remote if not tag.startswith("<link") or "stylesheet" in tag]
        assert not remote, f"{page.relative_to(site)} loads {remote}"


def test_katex_and_all_its_fonts_are_in_the_site(site):
    katex = site / "assets" / "katex"
    for file in ("katex.min.js", "contrib/auto-render.min.js", "katex.min.css"):
        assert (katex / file).is_file(), f"{file} is missing from the site"
    fonts = re.findall(r"url\(([^)]+)\)", (katex / "katex.min.css").read_text(encoding="utf-8"))
    assert fonts, "katex.min.css names no fonts"
    missing = [font for font in fonts if not (katex / font).is_file()]
    assert not missing, f"fonts named in katex.min.css but not in the site: {missing[:5]}"


# ---- the lesson sources ----

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*)$")


def code_blocks(text):
    """(line number, language, info string, body) of every fenced code block in Markdown text."""
    lines = text.splitlines()
    blocks, i = [], 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        fence, info = opening["fence"], opening["info"].strip()
        body, j = [], i + 1
        while j < len(lines):
            closing = FENCE.match(lines[j])
            closes = closing and not closing["info"].strip() and closing["fence"][0] == fence[0]
            if closes and len(closing["fence"]) >= len(fence):
                break
            body.append(lines[j])
            j += 1
        language = info.split()[0].lstrip("{.").rstrip("}") if info else ""
        blocks.append((i + 1, language, info, "\n".join(body)))
        i = j + 1
    return blocks


def test_the_fence_parser_finds_nested_blocks():
    text = 'a\n\n    ```python exec="on"\n    x = 1\n    ```\n````md\n```python\nnot a block\n```\n````\n'
    assert [(n, lang) for n, lang, _, _ in code_blocks(text)] == [(3, "python"), (6, "md")]


@pytest.mark.parametrize("lesson", LESSON_FILES + TRANSLATED_LESSON_FILES, ids=lambda path: path.name)
def test_every_python_block_runs_at_build_or_embeds_source(lesson):
    # The rule for lesson writers: Python on the site is either executed while the site is
    # built (markdown-exec: exec="on"), so it is known to work and its output is real, or it
    # is a snippet embed (--8<-- "tinygrad_edu/...") showing a library file as it is.
    offenders = []
    for line, language, info, body in code_blocks(lesson.read_text(encoding="utf-8")):
        if language not in ("python", "py", "python3", "pycon"):
            continue
        executed = re.search(r'\bexec="(on|1|true|yes)"', info) is not None
        content = [row.strip() for row in body.splitlines() if row.strip()]
        embeds_source = bool(content) and all(row.startswith("--8<--") for row in content)
        if not (executed or embeds_source):
            offenders.append(f"{lesson.name}:{line}: {info}")
    assert not offenders, 'Python blocks neither run (exec="on") nor embed source:\n' + "\n".join(offenders)


# The words of a lesson's fixed parts in each language (a zh-TW heading is found by its English id)
LESSON_PARTS = {
    "en": {"goal": '!!! abstract "Goal"', "exercises": r"^## Exercises\s*$",
           "solution": '??? success "Solution"', "source": r"^## Source\s*$"},
    "zh-TW": {"goal": '!!! abstract "目標"', "exercises": r"^## .*\{#exercises\}\s*$",
              "solution": '??? success "解答"', "source": r"^## .*\{#source\}\s*$"},
}


@pytest.mark.parametrize("lesson", LESSON_FILES + TRANSLATED_LESSON_FILES, ids=lambda path: path.name)
def test_every_lesson_has_a_goal_exercises_solutions_and_its_source(lesson):
    text = lesson.read_text(encoding="utf-8")
    parts = LESSON_PARTS["zh-TW" if lesson.name.endswith(ZH_SUFFIX) else "en"]
    number = int(lesson.name[:2])
    assert text.startswith(f"# {number}. "), f"{lesson.name} should start with '# {number}. Title'"
    assert parts["goal"] in text, f"{lesson.name} has no Goal admonition"
    assert re.search(parts["exercises"], text, re.MULTILINE), f"{lesson.name} has no Exercises section"
    assert parts["solution"] in text, f"{lesson.name} has no folded solution"
    heading = re.search(parts["source"], text, re.MULTILINE)
    source = text[heading.start() :] if heading else ""
    assert source, f"{lesson.name} has no Source section"
    embedded = re.findall(r'--8<-- "([^"]+)"', source)
    assert embedded, f"{lesson.name}'s Source section embeds no file"
    for path in embedded:
        assert (ROOT / path).is_file(), f"{lesson.name} embeds {path}, which does not exist"


# ---- in a browser ----


def find_chromium():
    for name in ("chromium", "chromium-browser"):
        if path := shutil.which(name):
            return path
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    pytest.fail("Chromium not found: install it with `apt-get install chromium` (CI does)", pytrace=False)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(directory):
    """A folder over HTTP on 127.0.0.1, on a port the system picks: its base URL."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def served_site(site):
    """The built site over HTTP."""
    with serving(site) as url:
        yield url


# Headless, and with no network of its own: without the background-networking flags Chromium
# keeps trying (and failing) to reach Google's services on this offline machine.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",  # Chromium's sandbox refuses to run as root (CI runs as root)
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def run_chromium(chromium, user_data_dir, *arguments, timeout=120):
    """Headless Chromium with a fresh profile and no network of its own; its stdout."""
    command = [
        chromium,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={user_data_dir}",
        "--virtual-time-budget=10000",  # let the page's scripts (KaTeX) run before the dump
        *arguments,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"chromium failed (exit {result.returncode}):\n{result.stderr[-3000:]}"
    return result.stdout


def test_a_page_shows_typeset_math_and_a_graph_in_chromium(site, served_site, tmp_path):
    chromium = find_chromium()
    url = f"{served_site}/{built_page(site, BROWSER_PAGE).relative_to(site)}"
    built = built_page(site, BROWSER_PAGE).read_text(encoding="utf-8")
    formulas = re.findall(r'class="arithmatex">(.*?)</(?:span|div)>', built, flags=re.DOTALL)
    assert any(f.startswith("\\(") for f in formulas) and any(f.startswith("\\[") for f in formulas)

    dom = run_chromium(chromium, tmp_path / "profile-dom", "--dump-dom", url)

    assert 'class="katex"' in dom, "KaTeX produced no .katex element: is the math script running?"
    assert dom.count('class="katex"') >= len(formulas), "some formulas were not typeset"
    assert "katex-error" not in dom, "KaTeX could not parse a formula"
    assert not re.search(r'class="arithmatex">\s*\\[(\[]', dom), "a formula still shows its delimiters"
    text = re.sub(r"<(script|style|pre|code|textarea)\b.*?</\1>", "", dom, flags=re.DOTALL)
    assert "\\(" not in text and "\\[" not in text, "raw math delimiters are left on the page"
    assert "<svg" in dom and 'class="graph"' in dom, "the graph drawn by graphviz at build time is missing"

    screenshot = tmp_path / "lesson-01.png"
    window = "--window-size=1280,2000"
    run_chromium(chromium, tmp_path / "profile-shot", window, f"--screenshot={screenshot}", url)
    assert screenshot.is_file() and screenshot.stat().st_size > 10_000, "no screenshot was taken"
    print(f"screenshot of {url}: {screenshot}")


# Each page is loaded into a 1280-px wide frame of a harness page, served from the site's
# own origin so that the harness can look inside. Frames in the harness's HTML hold back its
# load event until they are loaded (with the theme's scripts and KaTeX run), and --dump-dom
# prints the DOM after that event: the measuring runs in the load handler. With its <details>
# opened (the Source listings), each page's code blocks and tables are measured: an element
# whose content is wider than its box (scrollWidth > clientWidth) is cut off or needs sideways
# scrolling, and one whose right edge passes the content column's sticks out of it. The
# results go into the harness's DOM as JSON.
MEASURE_HARNESS = """<!doctype html>
<html><body><pre id="measurements">pending</pre>
%(frames)s
<script>
const SELECTOR = "pre, pre > code, table, .md-typeset__scrollwrap, .md-typeset__table";

function describe(element) {
  const text = element.textContent.replace(/\\s+/g, " ").trim().slice(0, 70);
  return `<${element.tagName.toLowerCase()}> "${text}"`;
}

function measure(frame) {
  const page = frame.contentDocument;
  page.querySelectorAll("details").forEach((details) => (details.open = true));
  const column = page.querySelector(".md-content").getBoundingClientRect();
  const elements = [...page.querySelectorAll(".md-content " + SELECTOR.split(", ").join(", .md-content "))];
  const problems = [];
  for (const element of elements) {
    const [content, box] = [element.scrollWidth, element.clientWidth];
    if (content > box) problems.push(`${describe(element)}: content ${content} px in a box of ${box} px`);
    const [right, edge] = [element.getBoundingClientRect().right, column.right];
    if (right > edge + 1) {
      problems.push(`${describe(element)}: right edge at ${right} px, past the column's ${edge} px`);
    }
  }
  return {
    viewport: frame.contentWindow.innerWidth,
    column: Math.round(column.width),
    measured: elements.length,
    pre: page.querySelectorAll(".md-content pre").length,
    tables: page.querySelectorAll(".md-content table").length,
    problems: problems,
  };
}

window.addEventListener("load", () => {
  const results = {};
  try {
    for (const frame of document.querySelectorAll("iframe")) results[frame.dataset.page] = measure(frame);
  } catch (error) {
    results.error = String(error);
  }
  document.getElementById("measurements").textContent = JSON.stringify(results);
});
</script></body></html>
"""


def test_no_code_output_or_table_is_cut_off_at_1280_px(site, tmp_path):
    chromium = find_chromium()
    served = tmp_path / "site"
    shutil.copytree(site, served)  # the harness is added to a copy: the build stays as it was
    # the zh-TW pages that are translated too (the others are the English pages again)
    pages = [built_page(site / folder, file).relative_to(site).as_posix()
             for folder, file in site_pages() if not folder or is_translated(file)]
    results = {}
    with serving(served) as base_url:
        for number, page in enumerate(pages):  # one page per run: a long page takes a while to lay out
            frame = f'<iframe data-page="{page}" src="{page}" style="width: 1280px; height: 900px"></iframe>'
            harness = served / f"measure-harness-{number}.html"
            harness.write_text(MEASURE_HARNESS % {"frames": frame}, encoding="utf-8")
            profile, url = tmp_path / f"profile-{number}", f"{base_url}/{harness.name}"
            dom = run_chromium(chromium, profile, "--window-size=1400,1000", "--dump-dom", url, timeout=300)
            found = re.search(r'<pre id="measurements">(.*?)</pre>', dom, flags=re.DOTALL)
            assert found and found.group(1) != "pending", f"{page}: the measuring script did not finish"
            measured = json.loads(html.unescape(found.group(1)))
            assert "error" not in measured, f"{page}: the measuring script failed: {measured.get('error')}"
            results.update(measured)
    assert sorted(results) == sorted(pages), "every page of the nav should have been measured"
    problems = []
    for page, result in results.items():
        assert result["viewport"] == 1280, f"{page} was laid out {result['viewport']} px wide, not 1280"
        if "api/" not in page:  # a reference page may be prose and signatures only
            assert result["measured"] > 0, f"{page}: no code block or table was found to measure"
        problems += [f"{page}: {problem}" for problem in result["problems"]]
    assert sum(result["pre"] for result in results.values()) > 0, "no code block was measured"
    assert not problems, "cut off or scrolling sideways at a 1280-px window:\n" + "\n".join(problems)
    print({page: (result["column"], result["pre"], result["tables"]) for page, result in results.items()})


def local_references(page):
    """The site-relative targets of a built page's links, scripts, stylesheets and images."""
    text = page.read_text(encoding="utf-8")
    references = re.findall(r'<(?:a|link|script|img)\b[^>]*?\b(?:href|src)="([^"]+)"', text)
    local = []
    for reference in references:
        target = html.unescape(reference).split("#")[0].split("?")[0]
        if target and not re.match(r"^[a-z][a-z0-9+.-]*:", target):  # skip http:, mailto:, data: ...
            local.append(target)
    return local


def test_every_link_and_asset_resolves_to_a_file_when_opened_from_disk(site):
    # Opened from disk there is no web server to turn "lesson/" into "lesson/index.html": every
    # relative link must name a file that exists (mkdocs.yml: use_directory_urls: false).
    missing = []
    checked = 0
    pages = [page for page in site.rglob("*.html") if page.name != "404.html"]  # 404: a server's only
    for page in pages:
        for target in local_references(page):
            checked += 1
            resolved = (page.parent / target).resolve()
            if not resolved.is_file():
                missing.append(f"{page.relative_to(site)} → {target}")
    assert checked > 100, f"only {checked} references found: is the parsing still right?"
    assert (site / ZH / "index.html") in pages, "the zh-TW pages were not checked"
    assert not missing, "links or assets that are not files of the site:\n" + "\n".join(missing[:20])


SEARCH_NEEDS_A_SERVER = {"": "Search needs a web server", f"{ZH}/": "搜尋需要網頁伺服器"}


@pytest.mark.parametrize("folder", ["", f"{ZH}/"])
def test_a_page_opened_from_disk_shows_its_math_and_says_search_needs_a_server(site, tmp_path, folder):
    chromium = find_chromium()
    page = built_page(site / folder, BROWSER_PAGE)
    dom = run_chromium(chromium, tmp_path / "profile", "--dump-dom", page.resolve().as_uri())
    assert 'class="katex"' in dom, "KaTeX did not typeset the page opened from disk: are its scripts found?"
    assert "<svg" in dom, "the page's graph is missing"
    nav_links = re.findall(r'<a href="([^"#]+\.html)" class="md-nav__link', dom)
    assert {Path(file).with_suffix(".html").name for file in nav_files()} <= {Path(h).name for h in nav_links}
    # The theme's search runs in a Web Worker, which browsers refuse to start from a file:// page;
    # javascripts/file-url.js says so in the search box instead.
    search_box = re.search(r'<input[^>]*class="md-search__input"[^>]*>', dom)
    assert search_box and "disabled" in search_box.group(0), "the search box should be disabled from disk"
    assert SEARCH_NEEDS_A_SERVER[folder] in search_box.group(0)
