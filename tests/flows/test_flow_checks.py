"""Broken flows are refused with every problem named by file, line and field."""

from __future__ import annotations

import pytest

from flows.loader import bundled_flow_bytes, check_source

BUNDLED = bundled_flow_bytes().decode("utf-8")


def line_of(text: str, marker: str) -> int:
    return text[: text.index(marker)].count("\n") + 1


def broken(old: str, new: str, count: int = 1) -> str:
    assert BUNDLED.count(old) >= count, old
    return BUNDLED.replace(old, new, count)


CATALOGUE = [
    (
        "unknown question in a rule",
        "{equals: {DI1: oui}}, {in: {DI2: [ia_auto, agent_valide]}}",
        "{equals: {DI9: oui}}, {in: {DI2: [ia_auto, agent_valide]}}",
        "DI9: oui",
        "unknown question 'DI9'",
    ),
    (
        "duplicate question id",
        "      - id: C4-Q5\n",
        "      - id: C4-Q4\n",
        "      - id: C4-Q4\n        type: scale",
        "duplicate id 'C4-Q4'",
    ),
    (
        "duplicate rule id",
        "      - id: DI-R2\n",
        "      - id: DI-R1\n",
        "      - id: DI-R1\n        when: {all: [{equals: {DI1: oui}}, {equals: {DI2: agent_",
        "duplicate id 'DI-R1'",
    ),
    (
        "missing translation",
        "label: {fr: Parcours allégé, en: Light track}",
        "label: {fr: Parcours allégé}",
        "label: {fr: Parcours allégé}",
        "missing 'en' translation",
    ),
    (
        "unknown operator",
        "when: {less_or_equal: {C4-Q5: 2}}",
        "when: {below: {C4-Q5: 2}}",
        "when: {below:",
        "unknown operator 'below'",
    ),
    (
        "value the question cannot take",
        "{equals: {DI1: oui}}, {in: {DI2: [ia_auto, agent_valide]}}",
        "{equals: {DI1: peut-etre}}, {in: {DI2: [ia_auto, agent_valide]}}",
        "DI1: peut-etre",
        "DI1 cannot be 'peut-etre'",
    ),
    (
        "scale compared out of range",
        "when: {less_or_equal: {C4-Q5: 2}}",
        "when: {less_or_equal: {C4-Q5: 9}}",
        "C4-Q5: 9",
        "needs a whole number from 1 to 5",
    ),
    (
        "includes on a single question",
        "{equals: {DI1: oui}}, {in: {DI2: [ia_auto, agent_valide]}}",
        "{equals: {DI1: oui}}, {includes: {DI2: ia_auto}}",
        "{includes: {DI2: ia_auto}}",
        "includes applies to multi questions",
    ),
    (
        "effect that does not exist",
        "        effect: incompatible\n",
        "        effect: forbidden\n",
        "effect: forbidden",
        "input should be 'incompatible', 'full_review' or 'condition'",
    ),
    (
        "unknown field (typo)",
        "        effect: incompatible\n",
        "        efect: incompatible\n",
        "efect: incompatible",
        "unknown field 'efect'",
    ),
    (
        "ask_if reading a later question",
        "ask_if: {not_equals: {DI1: non}}",
        "ask_if: {not_equals: {DI5: non}}",
        "ask_if: {not_equals: {DI5: non}}",
        "may only read earlier questions",
    ),
    (
        "not YAML",
        "flow: boussole-nantes\n",
        "flow: [boussole-nantes\n",
        "flow: [boussole-nantes",
        "not valid YAML",
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "marker", "message"), CATALOGUE, ids=[c[0] for c in CATALOGUE]
)
def test_broken_flow_is_refused_with_line_and_message(
    name: str, old: str, new: str, marker: str, message: str
) -> None:
    text = broken(old, new)
    result = check_source(text.encode(), "flow.yaml")
    assert result.flow is None
    errors = [p for p in result.errors if message in p.message]
    assert errors, [str(p) for p in result.problems]
    if name != "not YAML":
        assert errors[0].line == line_of(text, marker)
    assert str(errors[0]).startswith(f"flow.yaml:{errors[0].line}: error: ")


def test_every_problem_is_listed_not_only_the_first() -> None:
    text = broken("label: {fr: Parcours allégé, en: Light track}", "label: {fr: Parcours allégé}")
    text = text.replace("when: {less_or_equal: {C4-Q5: 2}}", "when: {below: {C4-Q5: 2}}")
    messages = [p.message for p in check_source(text.encode(), "f.yaml").errors]
    assert any("missing 'en'" in m for m in messages)
    assert any("unknown operator" in m for m in messages)


def test_a_valid_flow_has_no_problem() -> None:
    result = check_source(BUNDLED.encode(), "flow.yaml")
    assert result.problems == []
    assert result.flow is not None


def test_more_choices_than_a_slack_menu_holds_is_a_warning_on_the_choices_line() -> None:
    many = "".join(
        f"          - id: extra{i}\n            label: {{fr: Choix {i}, en: Choice {i}}}\n"
        for i in range(97)
    )
    text = broken(
        "        choices:\n          - id: ia_auto\n",
        f"        choices:\n{many}          - id: ia_auto\n",
    )
    result = check_source(text.encode(), "flow.yaml")
    assert result.flow is not None  # Teams and the terminal can still ask it
    (warning,) = result.problems
    assert warning.severity == "warning" and "101 choices" in warning.message
    assert warning.line == line_of(text, "        choices:\n          - id: extra0")
    assert warning.render("fr").endswith(
        "la question DI2 a 101 choix ; les menus de Slack en contiennent 100 au plus, Slack ne "
        "peut donc pas l'afficher : scindez la question (champ sections[1].questions[1].choices)"
    )
