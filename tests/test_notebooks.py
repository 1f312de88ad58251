"""The lessons as Jupyter notebooks (docs_hooks/notebooks.py): built from the pages, and each runs.

* the converter, on small pages: what runs, what is hidden, admonitions, math, snippets, links,
  images, and the download link it puts on each lesson page;
* every lesson's notebook: one code cell per block the site runs, no stored outputs;
* every notebook executed top to bottom, headless, by nbclient with an ipykernel running this
  test's own interpreter, from a folder outside the repository (as a learner's download would
  be): any error fails, and so does a notebook that takes a minute or more. A minute of either
  clock passes: the wall-clock, or the kernel's CPU time (which a machine busy with other work
  does not inflate, and which bounds the wall-clock time on an idle machine, since the kernel
  computes from start to end with at least one thread).
"""

import base64
import importlib.util
import json
import os
import re
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
import yaml
from nbclient import NotebookClient
from test_lessons import _ConfigLoader, nav_files

ROOT = Path(__file__).resolve().parents[1]
TIME_LIMIT = 60  # seconds for each notebook, wall-clock or the kernel's CPU time
HANG_LIMIT = 600  # seconds of wall-clock time for one cell, however busy the machine
CPU_TIME_CELL = """\
import resource

used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
print(sum(usage.ru_utime + usage.ru_stime for usage in used))"""
KERNEL = "tinygrad-edu-test"


def _load_hook():
    spec = importlib.util.spec_from_file_location("notebooks_hook", ROOT / "docs_hooks" / "notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hook = _load_hook()


MKDOCS = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
NAV = nav_files()
LESSONS = [file for file in NAV if hook.is_lesson(file)]


def site_config(docs_dir=ROOT / "lessons", use_directory_urls=True):
    """The parts of the MkDocs config that the converter reads."""
    snippets = next(e["pymdownx.snippets"] for e in MKDOCS["markdown_extensions"]
                    if isinstance(e, dict) and "pymdownx.snippets" in e)
    return {"docs_dir": str(docs_dir), "use_directory_urls": use_directory_urls,
            "mdx_configs": {"pymdownx.snippets": snippets}}


def convert(text, page="02-page.md", **config):
    return hook.lesson_notebook(text, page, site_config(**config))


def code_cells(notebook):
    """The code cells after the setup cell that every notebook starts with."""
    return [cell["source"] for cell in notebook["cells"] if cell["cell_type"] == "code"][1:]


def markdown_text(notebook):
    return "\n".join(cell["source"] for cell in notebook["cells"] if cell["cell_type"] == "markdown")


@pytest.fixture(autouse=True)
def at_the_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # as for mkdocs build: pymdownx.snippets reads paths relative to it


# ---- the converter ----


def test_every_lesson_page_of_the_nav_gets_a_notebook_and_no_other_page():
    assert LESSONS == [file for file in NAV if re.match(r"\d\d-", file)]
    assert "index.md" in NAV and "reproduction.md" in NAV
    assert not hook.is_lesson("index.md") and not hook.is_lesson("reproduction.md")


def test_blocks_that_run_become_code_cells_and_shown_code_stays_text():
    page = (
        "# 2. Page\n\nText.\n\n"
        '```python exec="on" source="above" result="text" session="s"\nx = 1\nprint(x)\n```\n\n'
        "```bash\npython script.py\n```\n\n"
        '```python title="not run"\nshown_only = True\n```\n'
    )
    notebook = convert(page)
    assert code_cells(notebook) == ["x = 1\nprint(x)"]
    text = markdown_text(notebook)
    assert "```bash\npython script.py\n```" in text and "```python\nshown_only = True\n```" in text
    assert "exec=" not in text


def test_a_hidden_figure_block_runs_under_a_comment_and_its_html_is_displayed():
    page = '# 2. Page\n\n```python exec="on" html="true" session="s"\nprint("<svg></svg>")\n```\n'
    figure, display = code_cells(convert(page))
    assert figure.splitlines()[0] == "%%capture --no-stderr printed_html"
    assert "Hidden on the site: this cell drew the figure" in figure.splitlines()[1]
    assert figure.endswith('print("<svg></svg>")')
    assert "HTML(printed_html.stdout)" in display


def test_printed_markdown_is_displayed_as_markdown():
    page = '# 2. Page\n\n```python exec="on" source="above" session="s"\nprint("| a |\\n|---|")\n```\n'
    code, display = code_cells(convert(page))
    assert code.startswith("%%capture --no-stderr printed_markdown\n")
    assert "Hidden" not in code
    assert "Markdown(printed_markdown.stdout)" in display


def test_admonitions_become_readable_markdown_and_their_code_cells():
    page = (
        '# 2. Page\n\n!!! abstract "Goal"\n\n    Learn \\( x \\).\n\n'
        '1. A question?\n\n    ??? success "Solution"\n        Because.\n\n'
        '        ```python exec="on" source="above" result="text" session="s"\n'
        "        if True:\n            print(1)\n        ```\n\n"
        '??? abstract "Source: a file"\n    ```python\n    listing = 1\n    ```\n'
    )
    notebook = convert(page)
    assert code_cells(notebook) == ["if True:\n    print(1)"]
    text = markdown_text(notebook)
    assert "**Goal**\n\n> Learn $x$." in text
    assert "**Solution**\n\n> Because." in text
    assert "<details><summary>Source: a file</summary>\n\n```python\nlisting = 1\n```\n\n</details>" in text
    assert "!!!" not in text and "???" not in text


def test_math_delimiters_become_dollars_outside_code_only():
    page = "# 2. Page\n\nInline \\( a^2 \\), display\n\n\\[\n  b = 1\n\\]\n\nCode `\\(kept\\)`.\n"
    text = markdown_text(convert(page))
    assert "Inline $a^2$" in text and "$$b = 1$$" in text and "`\\(kept\\)`" in text


def test_snippets_are_expanded_with_the_sites_settings():
    page = '# 2. Page\n\n??? abstract "Source"\n    ```python\n    --8<-- "tinygrad_edu/autograd/graph.py"\n'
    page += "    ```\n"

    text = markdown_text(convert(page))
    assert "--8<--" not in text
    assert "def topological_order(" in text


def test_links_point_at_notebooks_and_the_site_and_images_are_embedded(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "dot.png").write_bytes(b"\x89PNG fake")
    page = ("# 2. Page\n\nSee [lesson 3](03-next.md#a-section), [the results](reproduction.md#table), "
            "[home](index.md), [PyTorch](https://pytorch.org).\n\n![a dot](assets/dot.png)\n")
    for use_directory_urls, results in ((True, "../reproduction/#table"),
                                        (False, "../reproduction.html#table")):
        notebook = convert(page, docs_dir=tmp_path, use_directory_urls=use_directory_urls)
        text = markdown_text(notebook)
        assert "[lesson 3](03-next.ipynb)" in text
        assert f"[the results]({results})" in text and "[home](../)" in text
        assert "[PyTorch](https://pytorch.org)" in text
        assert "![a dot](attachment:dot.png)" in text
    cell = next(c for c in notebook["cells"] if "attachment:" in c["source"])
    png = base64.b64encode(b"\x89PNG fake").decode("ascii")
    assert cell["attachments"] == {"dot.png": {"image/png": png}}
    nbformat.validate(nbformat.reads(hook.notebook_json(notebook), as_version=4))


def test_a_block_that_is_never_closed_or_cannot_run_stops_the_build():
    with pytest.raises(Exception, match="never closed"):
        convert('# 2. Page\n\n```python exec="on"\nx = 1\n')
    with pytest.raises(Exception, match="cannot run a 'bash' block"):
        convert('# 2. Page\n\n```bash exec="on"\nls\n```\n')


def test_each_lesson_page_gets_the_download_link_under_its_title():
    page = SimpleNamespace(file=SimpleNamespace(src_uri="02-scalar-engine.md"))
    text = hook.on_page_markdown("# 2. A title\n\nFirst line.\n", page, None, None)
    title, blank, link = text.split("\n")[:3]
    assert title == "# 2. A title" and blank == ""
    assert link.startswith(f"[{hook.WORDS['en']['link']}](notebooks/02-scalar-engine.ipynb)")
    other = SimpleNamespace(file=SimpleNamespace(src_uri="reproduction.md"))
    assert hook.on_page_markdown("# Results\n", other, None, None) == "# Results\n"


def test_a_zh_tw_page_gets_the_link_in_chinese_to_its_zh_tw_notebook():
    # in the zh-TW build (mkdocs-static-i18n's current language), a page's file knows its untranslated path
    page = SimpleNamespace(file=SimpleNamespace(src_uri="02-scalar-engine.zh-TW.md",
                                                norm_src_uri="02-scalar-engine.md"))
    i18n = SimpleNamespace(current_language="zh-TW", default_language="en")
    text = hook.on_page_markdown("# 2. 標題\n", page, {"plugins": {"i18n": i18n}}, None)
    link = text.split("\n")[2]
    assert link.startswith(f"[{hook.WORDS['zh-TW']['link']}](zh-TW/notebooks/02-scalar-engine.ipynb)")
    assert link.endswith(hook.WORDS["zh-TW"]["after_link"])


def test_a_zh_tw_notebook_has_the_english_notebooks_code_and_a_chinese_header():
    english = convert("# 2. Page\n\nText.\n\n```python exec=\"on\"\nx = 1  # one\n```\n")
    chinese = hook.lesson_notebook("# 2. 頁\n\n文字。\n\n```python exec=\"on\"\nx = 1  # one\n```\n",
                                   "02-page.zh-TW.md", site_config(), "zh-TW")
    assert code_cells(chinese) == code_cells(english)
    header = chinese["cells"][0]["source"]
    assert "lessons/02-page.zh-TW.md" in header and "這本筆記本" in header


# ---- the lessons' notebooks ----


@pytest.fixture(scope="module")
def lesson_notebooks():
    """{lesson file: its notebook}, made as the site's build makes them."""
    config = site_config()
    previous = Path.cwd()
    try:
        os.chdir(ROOT)
        pages = {lesson: (ROOT / "lessons" / lesson).read_text(encoding="utf-8") for lesson in LESSONS}
        return {lesson: hook.lesson_notebook(text, lesson, config) for lesson, text in pages.items()}
    finally:
        os.chdir(previous)


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_lessons_notebook_has_a_code_cell_per_block_the_site_runs_and_no_outputs(lesson, lesson_notebooks):
    text = (ROOT / "lessons" / lesson).read_text(encoding="utf-8")
    runs = len(re.findall(r'^\s*```+\s*python\b[^\n]*\bexec="(?:on|1|true|yes)"', text, re.MULTILINE))
    notebook = lesson_notebooks[lesson]
    cells = [c for c in code_cells(notebook) if not c.startswith("from IPython.display import")]
    assert runs > 0 and len(cells) == runs
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    nbformat.validate(nbformat.reads(hook.notebook_json(notebook), as_version=4))


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_zh_tw_notebook_is_in_the_site_with_the_english_notebooks_code_cells(site, lesson):
    # The zh-TW notebooks are not run: their code cells are the English notebook's (which the test
    # below runs), since a translated page keeps every code block (tests/test_translations.py).
    # Python comments may be translated, so the cells are compared as tests/test_translations.py
    # compares code: as tokens, comments and string contents aside.
    from test_translations import python_shape

    def cells(folder):
        notebook = json.loads((site / folder / "notebooks" / f"{Path(lesson).stem}.ipynb").read_text("utf-8"))
        nbformat.validate(nbformat.reads(json.dumps(notebook), as_version=4))
        return notebook, [python_shape(cell) for cell in code_cells(notebook)]

    (_, english_code), (chinese, chinese_code) = cells("."), cells("zh-TW")
    assert english_code and chinese_code == english_code, f"zh-TW/notebooks/{lesson}: code cells differ"
    translated = (ROOT / "lessons" / Path(lesson).with_suffix(".zh-TW.md")).is_file()
    header = chinese["cells"][0]["source"]
    assert ("這本筆記本" in header) and (translated == (".zh-TW.md" in header)), header


@pytest.fixture(scope="module")
def jupyter_path(tmp_path_factory):
    """A Jupyter data folder whose one kernel runs this test's interpreter (so, this checkout's package)."""
    folder = tmp_path_factory.mktemp("jupyter")
    (folder / "kernels" / KERNEL).mkdir(parents=True)
    (folder / "kernels" / KERNEL / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "tinygrad_edu tests", "language": "python",
    }))
    return folder


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_lessons_notebook_runs_top_to_bottom_within_a_minute(lesson, lesson_notebooks, jupyter_path,
                                                                tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", str(jupyter_path))  # searched first for kernels
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))  # its connection file
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))  # nothing written to the home folder
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.reads(hook.notebook_json(lesson_notebooks[lesson]), as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(CPU_TIME_CELL))  # the kernel's CPU time, at the end
    client = NotebookClient(notebook, kernel_name=KERNEL, timeout=HANG_LIMIT,
                            resources={"metadata": {"path": str(tmp_path)}})  # run from a download folder
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError, with the cell and its traceback, at the first error
    seconds = time.perf_counter() - start
    cpu_seconds = float(notebook.cells[-1].outputs[0]["text"])
    print(f"{lesson}: {seconds:.1f} s wall-clock, {cpu_seconds:.1f} s of CPU in the kernel")
    setup_output = notebook.cells[1].outputs[0]["text"]
    assert f"working directory: {ROOT}" in setup_output  # the setup cell found the repository
    assert min(seconds, cpu_seconds) < TIME_LIMIT, (
        f"{lesson}'s notebook took {seconds:.0f} s and {cpu_seconds:.0f} s of CPU, both over {TIME_LIMIT} s"
    )
