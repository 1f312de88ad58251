"""The bad-input sweep (issue 24): every public parameter has cases, and every case holds.

`tests/parameter_catalogue_api.py` lists the public (callable, parameter) pairs; `tests/catalogue_cases.py`
holds, for each, values of the kinds a learner gets wrong and what must happen. A new public
parameter without cases fails `test_every_public_parameter_has_cases`.
"""

import re
import warnings

import pytest
from catalogue_cases import CALLS, CASES, Case, Covered
from parameter_catalogue_api import public_parameters
from test_bad_input import CATALOGUE

PAIR = re.compile(r"^(?P<callable>[\w.]+)\((?P<parameter>\w+)\)$")
COVERED_ELSEWHERE = {case.name for case in CATALOGUE}


def test_every_public_parameter_has_cases():
    missing = sorted(set(public_parameters()) - set(CASES))
    assert not missing, f"public parameters without cases in tests/catalogue_cases.py: {missing}"


def test_every_catalogued_parameter_is_public():
    stale = sorted(set(CASES) - set(public_parameters()))
    assert not stale, f"cases for parameters that no longer exist: {stale}"


def test_each_parameter_probes_at_least_one_case_of_its_own_or_of_test_bad_input():
    assert all(CASES[pair] for pair in CASES)


@pytest.mark.parametrize(
    "pair, covered",
    [(pair, c) for pair, cases in CASES.items() for c in cases if isinstance(c, Covered)],
    ids=lambda x: x if isinstance(x, str) else x.case,
)
def test_a_covered_entry_names_a_case_of_test_bad_input(pair, covered):
    assert covered.case in COVERED_ELSEWHERE, f"{pair}: no case {covered.case!r} in tests/test_bad_input.py"


OWN_CASES = [
    pytest.param(
        pair,
        case,
        id=f"{pair}-{case.kind}",
        marks=[pytest.mark.xfail(strict=True, reason=case.known)] if case.known else [],
    )
    for pair, cases in CASES.items()
    for case in cases
    if isinstance(case, Case)
]


@pytest.mark.parametrize("pair, case", OWN_CASES)
def test_the_parameter_accepts_or_refuses_the_value_clearly(pair, case):
    match = PAIR.match(pair)
    call = CALLS[match["callable"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a value accepted may still warn (e.g. nan in an array)
        if case.error is None:
            call(**{match["parameter"]: case.value})
        else:
            with pytest.raises(case.error, match=case.message):
                call(**{match["parameter"]: case.value})
