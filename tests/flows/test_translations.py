"""Every message the checker produces for the broken-flow catalogue reads in French too."""

from __future__ import annotations

import pytest

from flows.translations import french
from tests.flows.test_broken_flows import CATALOGUE, checked
from tests.flows.test_flow_checks import CATALOGUE as FIRST_CATALOGUE
from tests.flows.test_flow_checks import broken


@pytest.mark.parametrize("case", CATALOGUE, ids=[c.name for c in CATALOGUE])
def test_each_problem_of_the_catalogue_has_a_french_rendering(case) -> None:
    for problem in checked(case.name).problems:
        assert french(problem.message), problem.message
        assert problem.render("fr").startswith(f"flow.yaml:{problem.line}: {problem.severity}: ")


@pytest.mark.parametrize("case", FIRST_CATALOGUE, ids=[c[0] for c in FIRST_CATALOGUE])
def test_the_first_catalogue_too(case) -> None:
    from flows.loader import check_source

    _, old, new, _, _ = case
    for problem in check_source(broken(old, new).encode(), "f.yaml").problems:
        assert french(problem.message), problem.message


def test_french_rendering_keeps_the_values() -> None:
    assert french("unknown question 'DI9'") == "question inconnue 'DI9'"
    assert french("DI1 cannot be 'x'; its choices are: oui, non") == (
        "DI1 ne peut pas valoir 'x' ; ses choix sont : oui, non"
    )
