"""The exercises' instructions in other languages: only the docstrings change, never the code.

A workspace file in language `lang` is its reference solution (`solutions/PART.py`, the one
source of the code) with every docstring replaced by its translation. The translations of a
part live in `translations/LANG_MODULE/PART.py` as one dict, DOCSTRINGS, keyed like
`docstring_sites`: "<module>" for the module docstring, else the qualified name ("add",
"Value"). Texts only, no code: the signatures and bodies cannot drift from the solutions, and a
reviewer reads each text next to the English one it translates.
"""

import ast
import importlib
import inspect

#: `init --lang` choices → the package holding their docstrings (None: the solutions' own English).
LANGUAGES = {"en": None, "zh-TW": "zh_TW"}
MODULE_KEY = "<module>"


class TranslationError(Exception):
    """Translated docstrings that do not match the solution's docstrings one to one."""


def docstring_sites(source):
    """{key: the docstring's ast.Constant} for the module and every function or class in `source`."""
    sites = {}

    def visit(node, prefix):
        body = getattr(node, "body", [])
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            if isinstance(body[0].value.value, str):
                sites[prefix or MODULE_KEY] = body[0].value
        for child in body:
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                visit(child, f"{prefix}.{child.name}" if prefix else child.name)

    visit(ast.parse(source), "")
    return sites


def docstrings(part, lang):
    """{key: text} of workspace file `part` in `lang` (cleaned as inspect.cleandoc does)."""
    if lang not in LANGUAGES:
        raise TranslationError(f"no language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    if LANGUAGES[lang] is None:
        raise TranslationError(f"{lang!r} is the solutions' own language: nothing to look up")
    module = importlib.import_module(f"tinygrad_edu.course.translations.{LANGUAGES[lang]}.{part}")
    return {key: inspect.cleandoc(text) for key, text in module.DOCSTRINGS.items()}


def translate(source, texts):
    """`source` with each docstring replaced by texts[key]; TranslationError names a missing or stale key."""
    sites = docstring_sites(source)
    missing, stale = sorted(set(sites) - set(texts)), sorted(set(texts) - set(sites))
    if missing or stale:
        raise TranslationError(
            f"translated docstrings out of step with the solution: missing {missing or 'none'}, "
            f"stale (no such docstring) {stale or 'none'}"
        )
    lines = [line.encode("utf-8") for line in source.splitlines(keepends=True)]
    for key, node in sorted(sites.items(), key=lambda item: item[1].lineno, reverse=True):
        # ast's column offsets count UTF-8 bytes, hence the lines as bytes
        before, after = (
            lines[node.lineno - 1][: node.col_offset],
            lines[node.end_lineno - 1][node.end_col_offset :],
        )
        if before.strip():
            raise TranslationError(f"the docstring of {key} shares its line with code; give it its own")
        literal = _literal(texts[key], indent=before.decode("utf-8")).encode("utf-8")
        lines[node.lineno - 1 : node.end_lineno] = [before + literal + after]
    return b"".join(lines).decode("utf-8")


def _literal(text, indent):
    """`text` as a triple-quoted docstring whose later lines start with `indent` (PEP 257's layout)."""
    if '"""' in text or text.endswith('"'):
        raise TranslationError(f"a docstring may not contain or end with a double quote: {text[:40]!r}…")
    lines = text.replace("\\", "\\\\").splitlines()
    if len(lines) == 1:
        return f'"""{lines[0]}"""'
    rest = [f"{indent}{line}" if line else "" for line in lines[1:]]
    return "\n".join([f'"""{lines[0]}', *rest, f'{indent}"""'])
