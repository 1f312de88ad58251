"""MkDocs hook: each language keeps its own 404 page.

mkdocs-static-i18n builds the zh-TW site into the same site_dir after the English one, and every
build writes the theme's 404.html at the site's root: the zh-TW build would replace the English
page with a Chinese one. This hook keeps the English page at site/404.html and moves the zh-TW one
to site/zh-TW/404.html. (A 404 page is sent by a web server for any missing path, so its links are
absolute and work from either folder.)

The i18n plugin starts the zh-TW build from its own on_post_build (priority -100), so this hook's
on_post_build of the English build (priority 0) runs first and keeps a copy of the English page.
"""

from pathlib import Path

_english_page = {}  # "404.html" → the English page's bytes, between the two builds


def on_post_build(config):
    page = Path(config["site_dir"]) / "404.html"
    i18n = config["plugins"].get("i18n")
    if not page.is_file() or i18n is None:
        return
    if i18n.current_language == i18n.default_language:
        _english_page["404.html"] = page.read_bytes()
    elif "404.html" in _english_page:
        folder = page.parent / i18n.current_language
        folder.mkdir(parents=True, exist_ok=True)
        page.replace(folder / "404.html")
        page.write_bytes(_english_page.pop("404.html"))
