"""The lesson page's two languages, English and 繁體中文 (zh-TW): file names and the words tables share.

Each translated text sits next to its English one as a small {language: text} table (here for the
shared words; in the module that builds a table or sentence for its own strings).
"""

from pathlib import Path

from reproduction.verdicts import DIVERGED, NOT_REPRODUCED, PENDING, REPRODUCED

EN, ZH_TW = "en", "zh-TW"
LANGUAGES = (EN, ZH_TW)

#: A verdict's status (the English word, as summary.md prints it) as each page writes it.
VERDICT_WORDS = {
    EN: {REPRODUCED: "reproduced", NOT_REPRODUCED: "not reproduced", PENDING: "pending",
         DIVERGED: "diverged"},
    ZH_TW: {REPRODUCED: "已重現", NOT_REPRODUCED: "未重現", PENDING: "待定", DIVERGED: "發散"},
}
#: A table cell's yes and no.
YES_NO = {EN: ("yes", "no"), ZH_TW: ("是", "否")}


def verdict_word(status, language=EN):
    return VERDICT_WORDS[language][status]


def yes_no(flag, language=EN):
    return YES_NO[language][0 if flag else 1]


def place(where, language=EN):
    """Where in the report, as the page writes it: "§2.4, Fig. 3" is "§2.4，圖 3" in 繁體中文."""
    return where.replace(", ", "，").replace("Fig. ", "圖 ") if language == ZH_TW else where


def claim_text(verdict, language=EN):
    """The claim a verdict grades, in `language`."""
    return verdict.claim_zh if language == ZH_TW else verdict.claim


def page_in(page, language):
    """The page's file in `language`: X.md itself, or X.zh-TW.md beside it (mkdocs-static-i18n's suffix
    layout)."""
    page = Path(page)
    return page if language == EN else page.with_name(f"{page.stem}.{language}{page.suffix}")
