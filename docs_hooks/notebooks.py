"""MkDocs hook: every lesson page is also a Jupyter notebook, built from the same Markdown.

For each lesson `lessons/NN-name.md` (index and the reproduction page aside), the build adds
`notebooks/NN-name.ipynb` to the site and a "Download this lesson as a notebook" link under the
page's title. One source: the notebook is made from the page's Markdown at every build.

How the page's Markdown becomes cells:

* ```` ```python exec="on" … ```` blocks (markdown-exec; indented ones inside lists and
  admonitions too) become code cells, in order, in one namespace. A block the site runs
  without showing (no `source=`) is there too, under a comment saying so. A block whose
  printed output the site inserts as HTML (`html="true"`, the figures) or as Markdown (no
  `result=`) is run under `%%capture`, and the cell after it displays what it printed;
* `--8<--` snippets are expanded with the site's own pymdownx.snippets settings, so a listing
  of the library's source is text in the notebook and needs no file at run time;
* admonitions (`!!!`, `???`) become a bold title and a quoted body; a collapsible one without
  code to run becomes an HTML `<details>` block, as collapsible in Jupyter as on the site;
* math `\\( … \\)` and `\\[ … \\]` becomes `$ … $` and `$$ … $$`, which every notebook viewer
  renders; links to other lessons point at their notebooks, links to other pages at the site;
  local images are embedded as cell attachments;
* no outputs are stored: the learner runs the cells.

Both languages (mkdocs-static-i18n builds the site once per language): the zh-TW build makes
`zh-TW/notebooks/NN-name.ipynb` from `lessons/NN-name.zh-TW.md` (from the English page while it has
no translation), with the header and the page's link in Chinese. The code cells are the page's
blocks, which the translations keep identical to the English ones, so tests compare them instead
of running the zh-TW notebooks a second time. These files are added after the i18n plugin has
sorted the pages into languages (its `on_files` runs at priority -100): it cannot handle a file
made in memory, and only then does the hook know which language the build is.

A first code cell moves the kernel to the root of the repository that tinygrad_edu is
installed from (`pip install -e .`), because the site runs the lessons' code from there
(lesson 7 reads examples/fashion_mnist.py).

Why not jupytext: its Markdown format knows plain fenced blocks only. On lesson 2 it made 16
code cells out of 19 blocks that run (the ones indented under `??? success "Solution"` stayed
Markdown), and kept `!!!`, `--8<--` and `\\(` as raw text; everything above would have been
pre- and post-processing around it.
"""

import base64
import json
import mimetypes
import re
from pathlib import Path, PurePosixPath

import markdown
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

NOTEBOOK_DIR = "notebooks"  # where the notebooks land in the built site
LESSON_FILE = re.compile(r"^\d\d-[a-z0-9-]+\.md$")  # a lesson page, at the top of the docs folder
DEFAULT_LANGUAGE = "en"
# What the hook writes in each language: the download link on the page, and the notebook's header.
WORDS = {
    "en": {
        "link": "Download this lesson as a notebook",
        "after_link": " and run it cell by cell in Jupyter.",
        "header": (
            "*This notebook is built from `{source}`, the same page as on the course site, where the "
            "outputs are shown. Run it in Jupyter (`jupyter lab`) with tinygrad_edu installed in the "
            "kernel's environment: `pip install -e '.[notebooks]'` from a clone of the repository.*"
        ),
    },
    "zh-TW": {
        "link": "下載這一課的筆記本（notebook）",
        "after_link": "，在 Jupyter 中逐格執行。",
        "header": (
            "*這本筆記本由 `{source}` 產生，和課程網站上的頁面相同（網站上顯示了輸出）。請在 Jupyter"
            "（`jupyter lab`）中執行，kernel 的環境要裝好 tinygrad_edu：在儲存庫的 clone 裡執行 "
            "`pip install -e '.[notebooks]'`。*"
        ),
    },
}

FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
ADMONITION = re.compile(
    r'^(?P<indent>[ \t]*)(?P<marker>!!!|\?\?\?\+?)\s+(?P<kind>[\w-]+)(?:\s+"(?P<title>[^"]*)")?\s*$'
)
OPTION = re.compile(r'([\w-]+)="([^"]*)"')
INLINE_MATH = re.compile(r"\\\((.+?)\\\)", re.DOTALL)
DISPLAY_MATH = re.compile(r"\\\[(.+?)\\\]", re.DOTALL)
CODE_SPAN = re.compile(r"(`+)(?:.+?)\1", re.DOTALL)
LINK = re.compile(r"(?P<image>!?)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)\)")
FALSE_WORDS = {"", "no", "off", "false", "0"}  # markdown-exec's reading of a boolean option

SETUP_CELL = '''\
# Setup (not on the site): the site runs this lesson's code from the root of the repository, so
# go there: the clone that tinygrad_edu is installed from with `pip install -e .`.
import os
from pathlib import Path

import tinygrad_edu

repository = Path(tinygrad_edu.__file__).resolve().parents[1]
if (repository / "pyproject.toml").is_file():
    os.chdir(repository)
else:
    print("tinygrad_edu is not installed from a clone of its repository (pip install -e .), so cells")
    print("that read the repository's files (examples/, results/) will not find them.")
print("working directory:", Path.cwd())'''


def _is_true(value):
    return value.strip().lower() not in FALSE_WORDS


def _dedent(lines, width):
    """Remove `width` columns of leading spaces (fewer if a line has fewer)."""
    return [line[min(width, len(line) - len(line.lstrip(" "))):] for line in lines]


class _Cells:
    """Accumulates Markdown text and code cells; adjacent Markdown pieces join into one cell."""

    def __init__(self):
        self.items = []  # ("markdown" | "code", text)

    def markdown(self, text):
        if self.items and self.items[-1][0] == "markdown":
            self.items[-1] = ("markdown", self.items[-1][1] + "\n" + text)
        else:
            self.items.append(("markdown", text))

    def code(self, text):
        self.items.append(("code", text))

    def extend(self, other, quote=False):
        for kind, text in other.items:
            if kind == "markdown" and not text.strip():
                continue
            if kind == "markdown" and quote:  # a blank line after it, so the quote ends there
                text = "\n".join(f"> {line}".rstrip() for line in text.strip("\n").split("\n")) + "\n"
            (self.markdown if kind == "markdown" else self.code)(text)


def _code_cells(code, options, where):
    """The cells for one markdown-exec block: the code itself, and a display cell if the site shows
    its printed output as HTML or Markdown."""
    language = options["language"]
    if language not in ("python", "py"):
        raise PluginError(f"{where}: a notebook cannot run a {language!r} block with exec=\"on\"")
    shown_as = "HTML" if _is_true(options.get("html", "no")) else None
    if shown_as is None and not options.get("result"):
        shown_as = "Markdown"  # markdown-exec renders printed output as Markdown when no result= is given
    comments = []
    if not options.get("source"):  # markdown-exec shows no source unless source= names a place
        if shown_as == "HTML":
            comments.append("# Hidden on the site: this cell drew the figure shown there.")
        else:
            comments.append("# Hidden on the site: there, this cell runs without its code being shown.")
    if shown_as is None:
        return ["\n".join(comments + [code])]
    variable = f"printed_{shown_as.lower()}"
    capture = f"%%capture --no-stderr {variable}"
    display = (
        f"from IPython.display import {shown_as}\n\n"
        f"{shown_as}({variable}.stdout)  # what the cell above printed, shown as the site shows it"
    )
    return ["\n".join([capture] + comments + [code]), display]


def _convert(lines, where):
    """_Cells for the Markdown `lines` (already snippet-expanded, dedented to their block)."""
    cells = _Cells()
    prose = []

    def flush_prose():
        if prose:
            cells.markdown("\n".join(prose))
            prose.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        fence = FENCE_OPEN.match(line)
        admonition = ADMONITION.match(line)
        if fence:
            indent, marker = len(fence["indent"]), fence["fence"]
            end = i + 1
            while end < len(lines) and not (
                lines[end].strip().startswith(marker) and set(lines[end].strip()) == {marker[0]}
            ):
                end += 1
            if end == len(lines):
                raise PluginError(f"{where}: the code block {line.strip()!r} is never closed")
            info = fence["info"].strip()
            language = info.split(maxsplit=1)[0].lstrip(".").lower() if info else ""
            options = {"language": language, **dict(OPTION.findall(info))}
            if _is_true(options.get("exec", "no")):
                flush_prose()
                code = "\n".join(_dedent(lines[i + 1:end], indent)).strip("\n")
                for cell in _code_cells(code, options, f"{where}, block {line.strip()!r}"):
                    cells.code(cell)
            else:  # shown, not run: stays a code block in the Markdown, without markdown-exec's options
                prose.append(f"{fence['indent']}{marker}{language}")
                prose.extend(lines[i + 1:end + 1])
            i = end + 1
        elif admonition:
            flush_prose()
            width = len(admonition["indent"]) + 4
            end = i + 1
            while end < len(lines) and (not lines[end].strip() or lines[end].startswith(" " * width)):
                end += 1
            body = _convert(_dedent(lines[i + 1:end], width), f"{where}, in {line.strip()!r}")
            title = admonition["title"] or admonition["kind"].capitalize()
            collapsible = admonition["marker"].startswith("???")
            if collapsible and all(kind == "markdown" for kind, _ in body.items):
                text = "\n\n".join(text.strip("\n") for _, text in body.items)
                cells.markdown(f"<details><summary>{title}</summary>\n\n{text}\n\n</details>\n")
            else:
                cells.markdown(f"**{title}**\n")
                cells.extend(body, quote=True)
            i = end
        else:
            prose.append(line)
            i += 1
    flush_prose()
    return cells


def _outside_code(text, change):
    """Apply `change` to the parts of Markdown `text` outside code blocks and code spans."""
    parts, in_block, chunk = [], False, []
    for line in text.split("\n"):
        if FENCE_OPEN.match(line) or (in_block and re.match(r"^\s*(`{3,}|~{3,})\s*$", line)):
            if not in_block:
                parts.append(("prose", "\n".join(chunk)))
                chunk = []
            chunk.append(line)
            if in_block:
                parts.append(("code", "\n".join(chunk)))
                chunk = []
            in_block = not in_block
            continue
        chunk.append(line)
    parts.append(("code" if in_block else "prose", "\n".join(chunk)))
    out = []
    for kind, chunk in parts:
        if kind == "prose":
            pieces, last = [], 0
            for span in CODE_SPAN.finditer(chunk):
                pieces += [change(chunk[last:span.start()]), span.group(0)]
                last = span.end()
            chunk = "".join(pieces + [change(chunk[last:])])
        out.append(chunk)
    return "\n".join(out)


def _math(text):
    """\\( x \\) → $x$ and \\[ x \\] → $$x$$: the delimiters every notebook viewer knows."""
    text = DISPLAY_MATH.sub(lambda m: "$$" + m.group(1).strip() + "$$", text)
    return INLINE_MATH.sub(lambda m: "$" + m.group(1).strip() + "$", text)


class _Links:
    """Rewrites a lesson's links for its notebook: lessons → their notebooks, other pages → the site,
    local images → cell attachments (so the notebook needs no other file)."""

    def __init__(self, page, docs_dir, use_directory_urls):
        self.page, self.docs_dir, self.use_directory_urls = page, Path(docs_dir), use_directory_urls
        self.attachments = {}

    def __call__(self, text):
        return LINK.sub(self._rewrite, text)

    def _rewrite(self, match):
        target = match["target"]
        if re.match(r"^[a-z][a-z0-9+.-]*:|^#", target):  # http:, mailto:, an anchor on the same page
            return match.group(0)
        path, _, anchor = target.partition("#")
        source = PurePosixPath(self.page).parent / path
        if match["image"]:
            file = self.docs_dir / source
            if not file.is_file():
                raise PluginError(f"{self.page}: image {target!r} not found at {file}")
            name = file.name
            mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
            data = file.read_bytes()  # a notebook keeps SVG as text, other images in base64
            text = data.decode("utf-8") if mime == "image/svg+xml" else base64.b64encode(data).decode("ascii")
            self.attachments[name] = {mime: text}
            return f"![{match['text']}](attachment:{name})"
        if not path.endswith(".md"):
            return match.group(0)
        if LESSON_FILE.match(source.name) and source.parent == PurePosixPath("."):
            return f"[{match['text']}]({source.stem}.ipynb)"  # the notebooks sit side by side
        url = "" if source.stem == "index" else source.stem + ("/" if self.use_directory_urls else ".html")
        return f"[{match['text']}](../{url}{'#' + anchor if anchor else ''})"


def lesson_notebook(text, page, config, language=DEFAULT_LANGUAGE):
    """The notebook of the lesson whose Markdown is `text` (`page`: its path in the docs, e.g.
    02-scalar-engine.zh-TW.md), as the dict that is the .ipynb file's JSON (nbformat 4.5; the tests
    validate it with nbformat, which is not imported here: with jsonschema's format checkers it takes
    seconds to import). `language` chooses the header's words; the cells come from `text`."""
    snippets = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={"pymdownx.snippets": config["mdx_configs"].get("pymdownx.snippets", {})},
    ).preprocessors["snippet"]
    try:
        lines = snippets.run(text.split("\n"))
    except Exception as error:  # a missing snippet file: say which page asked for it
        raise PluginError(f"{page}: {error}") from error
    cells = _convert(lines, page)
    links = _Links(page, config["docs_dir"], config["use_directory_urls"])
    header = WORDS[language]["header"].format(source=f"{Path(config['docs_dir']).name}/{page}")
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
            "language_info": {"name": "python"},
        },
        "cells": [],
    }
    sources = [("markdown", header), ("code", SETUP_CELL)] + cells.items
    for number, (kind, source) in enumerate(sources):
        cell = {"cell_type": kind, "id": f"cell-{number}", "metadata": {}}  # fixed ids: same page, same file
        if kind == "code":
            cell.update(source=source, execution_count=None, outputs=[])
        else:
            links.attachments = {}
            cell["source"] = _outside_code(source.strip("\n"), lambda chunk: links(_math(chunk)))
            if links.attachments:
                cell["attachments"] = links.attachments
        notebook["cells"].append(cell)
    return notebook


def notebook_json(notebook):
    """The .ipynb file's text, laid out as Jupyter writes it."""
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def is_lesson(src_uri):
    """True for a lesson page (NN-name.md at the top of the docs folder), the pages that get a notebook.
    A translation (NN-name.zh-TW.md) is not one by its name: see `page_uri`."""
    return bool(LESSON_FILE.match(src_uri))


def page_uri(file):
    """The page's path without its language: 02-scalar-engine.md for 02-scalar-engine.zh-TW.md too
    (mkdocs-static-i18n gives its files `norm_src_uri`; without the plugin, the path itself)."""
    return getattr(file, "norm_src_uri", file.src_uri)


def build_language(config):
    """(language of the build under way, its folder in the site: "" for English, "zh-TW/")."""
    i18n = config["plugins"].get("i18n") if config is not None else None
    if i18n is None or i18n.current_language in (None, i18n.default_language):
        return DEFAULT_LANGUAGE, ""
    return i18n.current_language, f"{i18n.current_language}/"


def notebook_path(src_uri, folder=""):
    """Where a lesson's notebook lands in the built site, e.g. notebooks/02-scalar-engine.ipynb, or
    zh-TW/notebooks/02-scalar-engine.ipynb with folder="zh-TW/"."""
    return f"{folder}{NOTEBOOK_DIR}/{PurePosixPath(src_uri).stem}.ipynb"


@event_priority(-110)  # after mkdocs-static-i18n's on_files (-100): see the module's docstring
def on_files(files, config):
    """Add each lesson's notebook to the site, built from the Markdown of the page this language shows."""
    language, folder = build_language(config)
    for file in list(files.documentation_pages()):
        if is_lesson(page_uri(file)):
            text = Path(file.abs_src_path).read_text(encoding="utf-8")
            notebook = lesson_notebook(text, file.src_uri, config, language)
            path = notebook_path(page_uri(file), folder)
            files.append(File.generated(config, path, content=notebook_json(notebook)))
    return files


def on_page_markdown(text, page, config, files):
    """Put the download link under the lesson's title (the pages themselves do not carry it)."""
    if not is_lesson(page_uri(page.file)):
        return text
    language, folder = build_language(config)
    target = notebook_path(page_uri(page.file), folder)  # a link from the page's source: both at the top
    words = WORDS[language]
    link = (
        f'[{words["link"]}]({target}){{ .md-button download="{PurePosixPath(target).name}" }}'
        f'{words["after_link"]}'
    )
    lines = text.split("\n")
    title = next((i for i, line in enumerate(lines) if line.startswith("# ")), -1)
    lines[title + 1:title + 1] = ["", link, ""]
    return "\n".join(lines)
