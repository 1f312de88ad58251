"""MkDocs hook: typeset the lessons' math with KaTeX served from the site itself (no CDN).

The lessons write math as \\( … \\) and \\[ … \\]; pymdownx.arithmatex (generic mode) leaves
those delimiters in the HTML, and KaTeX's auto-render script turns them into typeset math
in the browser (see lessons/javascripts/katex-init.js). So that this works with no
internet, the KaTeX files come from Debian's `libjs-katex` package (which pulls in
`fonts-katex`) and are copied into the built site under assets/katex/:

    katex.min.js, contrib/auto-render.min.js, katex.min.css, and every font file
    that katex.min.css asks for with url(fonts/...)

The fonts directory in that package is a symlink into /usr/share/fonts; paths are
resolved before copying, so the site gets real files next to katex.min.css and the
CSS's relative url(fonts/...) resolve. If a file is missing the build stops, naming it.

Elsewhere than Debian/Ubuntu, point KATEX_DIR at a folder laid out the same way
(e.g. the `dist` folder of the katex npm package).
"""

import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

KATEX_DIR = Path(os.environ.get("KATEX_DIR", "/usr/share/javascript/katex"))
SITE_DIR = "assets/katex"  # where the files land in the built site; mkdocs.yml links to them

# file in the built site  ←  the first of these files that exists in KATEX_DIR (Debian names
# the minified auto-render script auto-render.js; the katex npm package, auto-render.min.js)
SCRIPTS_AND_STYLE = {
    "katex.min.js": ("katex.min.js",),
    "contrib/auto-render.min.js": ("contrib/auto-render.min.js", "contrib/auto-render.js"),
    "katex.min.css": ("katex.min.css",),
}


def _missing(paths):
    """PluginError listing the files that could not be found, and how to get them."""
    listed = "\n".join(f"  {path}" for path in paths)
    return PluginError(
        f"KaTeX files are missing, so the lessons' math cannot be rendered offline:\n{listed}\n"
        "Install them with:  apt-get install libjs-katex   (it brings fonts-katex too),\n"
        "or set KATEX_DIR to a folder holding katex.min.js, katex.min.css, fonts/ and\n"
        "contrib/auto-render(.min).js."
    )


def katex_files():
    """{path in the site: real file on disk} for every KaTeX file the site needs."""
    wanted = {}
    for site, candidates in SCRIPTS_AND_STYLE.items():
        paths = [KATEX_DIR / candidate for candidate in candidates]
        wanted[site] = next((path for path in paths if path.is_file()), paths[-1])
    css = wanted["katex.min.css"]
    if not css.is_file():
        raise _missing([css])
    # the fonts are whatever the stylesheet points at, relative to the stylesheet itself
    for font in sorted(set(re.findall(r"url\((fonts/[^)\"']+)\)", css.read_text(encoding="utf-8")))):
        wanted[font] = KATEX_DIR / font
    resolved = {site: path.resolve() for site, path in wanted.items()}  # follow the symlinks
    missing = [wanted[site] for site, path in resolved.items() if not path.is_file()]
    if missing:
        raise _missing(missing)
    return resolved


def on_config(config):
    """Fail at the start of the build, not half-way, if KaTeX is not installed."""
    katex_files()
    return config


def on_files(files, config):
    """Add the KaTeX files to the site, as if they were in the docs folder under assets/katex/."""
    for site_path, real_path in katex_files().items():
        files.append(File.generated(config, f"{SITE_DIR}/{site_path}", abs_src_path=str(real_path)))
    return files
