"""Every public (callable, parameter) pair of the library's documented API, for the bad-input sweep.

Not a test: `tests/test_parameter_catalogue.py` imports `public_parameters()` and fails when a pair
has no cases in `tests/catalogue_cases.py`, so a new public parameter cannot go unchecked.

The API is what the reference pages document (`lessons/api/*.md`, their `:::` targets and `members:`
filters), the `__all__` of the packages, and the public functions of the modules `interop` and
`crosscheck`. Left out: `tinygrad_edu.data` (its own catalogue, tests/test_data_bad_input.py) and
the course and data command lines (tests/test_bad_input_cli.py).

A pair is named "qualified.name(param)": "nn.Linear(in_features)", "Tensor.sum(axis)",
"report.ShallowNeuralNetwork.train(l_rate)". A class contributes its `__init__` (under the class's
name) and its public methods; `self`, `cls`, `**kwargs` catch-alls and `_private` parameters are not
counted.
"""

import importlib
import inspect
import re
from pathlib import Path

API_PAGES = Path(__file__).resolve().parents[1] / "lessons" / "api"
EXCLUDED_PAGES = ("data.md",)
MODULES = ("tinygrad_edu.interop", "tinygrad_edu.crosscheck")  # documented by lessons 6 and 9, not by :::
PACKAGES_ALL = (
    "tinygrad_edu",
    "tinygrad_edu.train",
    "tinygrad_edu.viz",
    "tinygrad_edu.autograd",
    "tinygrad_edu.nn",
    "tinygrad_edu.optim",
    "tinygrad_edu.report",
)
PREFIXES = (
    "nn.functional",
    "nn",
    "optim",
    "report",
    "train",
    "viz",
    "interop",
    "crosscheck",
)  # pairs are spelled as a learner imports them


def api_targets():
    """(dotted target, members filter or None, inherited_members) for every `:::` block in scope."""
    targets = []
    for page in sorted(API_PAGES.glob("*.md")):
        if page.name in EXCLUDED_PAGES:
            continue
        blocks = re.split(r"^::: ", page.read_text(encoding="utf-8"), flags=re.M)[1:]
        for block in blocks:
            target, _, options = block.partition("\n")
            options = options.split("\n\n")[0]
            members = re.search(r"members: \[(.*?)\]", options)
            members = [m.strip() for m in members.group(1).split(",")] if members else None
            targets.append((target.strip(), members, "inherited_members: true" in options))
    return targets


def _resolve(dotted):
    """The module or the module-level object a dotted name points at."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(dotted)


def _short(obj):
    """ "nn.Linear" for tinygrad_edu.nn.linear.Linear: its package's spelling; engine names bare."""
    module = obj.__module__.removeprefix("tinygrad_edu.")
    for prefix in PREFIXES:
        if module == prefix or module.startswith(prefix + "."):
            return f"{prefix}.{obj.__qualname__}"
    return obj.__qualname__


def _parameters(function):
    """The names of a function's parameters, without self/cls and *args/**kwargs catch-alls of no name."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return []
    return [
        p.name
        for p in signature.parameters.values()
        if p.name not in ("self", "cls")
        and not p.name.startswith("_")
        and p.kind is not inspect.Parameter.VAR_KEYWORD
    ]


def _class_pairs(cls, inherited):
    if cls.__init__ is not object.__init__:
        yield _short(cls), cls.__init__
    for klass in cls.__mro__ if inherited else (cls,):
        if not klass.__module__.startswith("tinygrad_edu"):
            continue
        for name, member in vars(klass).items():
            if name.startswith("_") or not callable(member) and not isinstance(member, classmethod):
                continue
            yield f"{_short(cls)}.{name}", getattr(cls, name)


def _object_pairs(obj, inherited=False):
    if inspect.isclass(obj):
        if issubclass(obj, BaseException):
            return
        yield from _class_pairs(obj, inherited)
    elif inspect.isfunction(obj) or inspect.isbuiltin(obj) or callable(obj):
        yield _short(obj), obj


def _module_pairs(module, members):
    for name, obj in vars(module).items():
        if name.startswith("_") or members is not None and name not in members:
            continue
        if getattr(obj, "__module__", None) != module.__name__ or not callable(obj):
            continue  # imported names are documented where they are defined
        yield from _object_pairs(obj)


def public_parameters():
    """Sorted list of every "qualified.name(param)" in scope."""
    callables = {}
    for target, members, inherited in api_targets():
        obj = _resolve(target)
        pairs = _module_pairs(obj, members) if inspect.ismodule(obj) else _object_pairs(obj, inherited)
        callables.update(pairs)
    for module in MODULES:
        callables.update(_module_pairs(importlib.import_module(module), None))
    for package in PACKAGES_ALL:
        module = importlib.import_module(package)
        for name in module.__all__:
            obj = getattr(module, name)
            if not inspect.ismodule(obj) and callable(obj):
                callables.update(_object_pairs(obj))
    seen = {}
    for qualname, function in callables.items():
        for parameter in _parameters(function):
            seen[f"{qualname}({parameter})"] = None
    return sorted(seen)


if __name__ == "__main__":
    pairs = public_parameters()
    print("\n".join(pairs))
    print(len(pairs), "public parameters")
