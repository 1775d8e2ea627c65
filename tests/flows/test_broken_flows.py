"""A catalogue of broken flows, each a small textual edit of the bundled file, as an admin
would make by mistake: every one is refused, with the expected message at the expected line.

It covers the element checks of `flows.checks` and the path checks of `flows.analysis` that
`check_source` runs once a flow compiles (reachability, dead ends, section shapes, rules that
can never fire, outcomes never produced).
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

import pytest

from flows.loader import CheckResult, bundled_flow_bytes, check_source

BUNDLED = bundled_flow_bytes().decode("utf-8")
SEPARATOR = "  # " + "-" * 93 + "\n"


def line_of(text: str, marker: str) -> int:
    assert text.count(marker) == 1, f"marker not unique: {marker!r}"
    return text[: text.index(marker)].count("\n") + 1


def between(start: str, end: str) -> str:
    """The bundled text from `start` up to (not including) the next `end`."""
    first = BUNDLED.index(start)
    return BUNDLED[first : BUNDLED.index(end, first)]


class Case(NamedTuple):
    name: str
    old: str
    new: str
    marker: str
    message: str
    count: int = 1
    """How many occurrences of `old` to replace; 0 replaces them all."""

    def text(self) -> str:
        assert self.old in BUNDLED, self.old
        return BUNDLED.replace(self.old, self.new, self.count or -1)


P4_DEAD_END = """\
      - id: P4
        type: single
        choices: []
        label: {fr: Budget, en: Budget}
        why: {fr: Pour le suivi., en: For follow-up.}
        reference: {fr: "[BP] Suivi", en: "[BP] Follow-up"}
"""
G_ALWAYS = """\
      - id: G-R0
        when: {answered: P1}
        effect: full_review
        explanation: {fr: Toujours., en: Always.}
        reference: {fr: "[BP] Test", en: "[BP] Test"}
"""
G_QUESTION = """\
    questions:
      - id: G-Q1
        type: yes_no
        label: {fr: Synthèse ?, en: Summary?}
        why: {fr: Pour voir., en: To see.}
        reference: {fr: "[BP] Test", en: "[BP] Test"}
"""
P_RULE = """\
    rules:
      - id: P-R1
        when: {answered: P1}
        effect: condition
        condition: {fr: Nommer le projet., en: Name the project.}
        explanation: {fr: Un nom aide., en: A name helps.}
        reference: {fr: "[BP] Suivi", en: "[BP] Follow-up"}
"""
C7_RULES = between("    rules:\n      - id: C7-R1", SEPARATOR)
P3_END = '          en: "[BP] Documenting the project from the triage onwards"\n    rules: []\n'

CATALOGUE = [
    # -- references and order --------------------------------------------------------------
    Case(
        "unknown question in an ask_if",
        "ask_if: {equals: {DI3: identifiee}}",
        "ask_if: {equals: {DI9: identifiee}}",
        "ask_if: {equals: {DI9",
        "unknown question 'DI9'",
    ),
    Case(
        "cycle: two questions reading each other",
        "      - id: DI1\n        type: yes_no_unknown\n",
        "      - id: DI1\n        type: yes_no_unknown\n"
        "        ask_if: {not_equals: {DI2: ia_auto}}\n",
        "ask_if: {not_equals: {DI2: ia_auto}}",
        "an ask_if may only read earlier questions",
    ),
    Case(
        "cycle: a question reading itself",
        "ask_if: {equals: {C3-Q4: oui}}",
        "ask_if: {equals: {C3-Q5: oui}}",
        "ask_if: {equals: {C3-Q5: oui}}",
        "ask_if reads C3-Q5, which is not asked before this question",
    ),
    # -- paths ---------------------------------------------------------------------------------
    Case(
        "unreachable question: an ask_if that can never hold",
        "ask_if: {equals: {DI3: identifiee}}",
        "ask_if: {all: [{equals: {DI1: oui}}, {equals: {DI1: non}}]}",
        "ask_if: {all: [{equals: {DI1: oui}}, {equals: {DI1: non}}]}",
        "question DI3T is never asked",
    ),
    Case(
        "unreachable question: reads an answer only another branch gives",
        "ask_if: {all: [{not_equals: {DI1: non}}, {equals: {DI2: agent_decide}}]}",
        "ask_if: {all: [{equals: {DI1: non}}, {equals: {DI2: agent_decide}}]}",
        "ask_if: {all: [{equals: {DI1: non}}, {equals: {DI2: agent_decide}}]}",
        "question DI4 is never asked",
    ),
    Case(
        "dead end: a single question with no choice",
        P3_END,
        P3_END.replace("    rules: []\n", P4_DEAD_END + "    rules: []\n"),
        "        choices: []",
        "question P4 offers no choice",
    ),
    Case(
        "rule that can never fire: reads a question its path skips",
        "when: {all: [{equals: {DI1: oui}}, {in: {DI2: [ia_auto, agent_valide]}}]}",
        "when: {all: [{equals: {DI1: non}}, {in: {DI2: [ia_auto, agent_valide]}}]}",
        "when: {all: [{equals: {DI1: non}}, {in: {DI2",
        "rule DI-R1 can never fire",
    ),
    Case(
        "rule that can never fire: a scale below its lowest point",
        "when: {less_or_equal: {C4-Q5: 2}}",
        "when: {less_than: {C4-Q5: 1}}",
        "when: {less_than: {C4-Q5: 1}}",
        "rule C4-R3 can never fire",
    ),
    Case(
        "outcome never produced: no incompatible rule left",
        "effect: incompatible",
        "effect: full_review",
        "  incompatible:\n    label:",
        "outcome 'incompatible' is never produced",
        count=0,
    ),
    Case(
        "outcome never produced: a rule that always fires forbids the light track",
        "    questions: []\n    rules:\n",
        "    questions: []\n    rules:\n" + G_ALWAYS,
        "  light_track:\n",
        "outcome 'light_track' is never produced",
    ),
    # -- section shapes --------------------------------------------------------------------------
    Case(
        "section shape: a question in G",
        "    questions: []\n    rules:\n      - id: G-R1\n",
        G_QUESTION + "    rules:\n      - id: G-R1\n",
        "      - id: G-Q1",
        "section G holds rules only",
    ),
    Case(
        "section shape: a rule in P",
        "    rules: []\n",
        P_RULE,
        "      - id: P-R1",
        "section P holds questions only",
    ),
    Case(
        "section shape: a criterion without rules",
        C7_RULES,
        "    rules: []\n\n",
        "    rules: []\n\n" + SEPARATOR + "  - id: G\n",
        "section C7 has no rule",
    ),
    # -- texts ---------------------------------------------------------------------------------
    Case(
        "missing translation",
        "label: {fr: Nom du projet, en: Project name}",
        "label: {fr: Nom du projet}",
        "label: {fr: Nom du projet}",
        "missing 'en' translation",
    ),
    Case(
        "text in a locale the flow does not list",
        "label: {fr: Nom du projet, en: Project name}",
        "label: {fr: Nom du projet, en: Project name, de: Projektname}",
        "de: Projektname",
        "text in 'de', which is not in locales",
    ),
    Case(
        "French not first",
        "locales: [fr, en]\n",
        "locales: [en, fr]\n",
        "locales: [en, fr]",
        "French comes first",
    ),
    # -- types in conditions ---------------------------------------------------------------------
    Case(
        "type mismatch: includes on a single question",
        "when: {equals: {C7-Q2: alternative_meilleure}}",
        "when: {includes: {C7-Q2: alternative_meilleure}}",
        "when: {includes: {C7-Q2",
        "includes applies to multi questions; C7-Q2 is single",
    ),
    Case(
        "type mismatch: a scale compared to a choice",
        "when: {less_or_equal: {C4-Q5: 2}}",
        "when: {equals: {C4-Q5: oui}}",
        "when: {equals: {C4-Q5: oui}}",
        "C4-Q5 is a scale: compare it with whole numbers",
    ),
    Case(
        "type mismatch: an order comparison on a choice question",
        "when: {equals: {C7-Q2: alternative_meilleure}}",
        "when: {less_or_equal: {C7-Q2: 2}}",
        "when: {less_or_equal: {C7-Q2: 2}}",
        "less_or_equal applies to scale questions; C7-Q2 is single",
    ),
    Case(
        "type mismatch: in on a multi question",
        "when: {includes: {C1-Q2: verifier}}",
        "when: {in: {C1-Q2: [verifier]}}",
        "when: {in: {C1-Q2: [verifier]}}",
        "in does not apply to the multi question C1-Q2",
    ),
    Case(
        "type mismatch: a multi question compared with one id",
        "{not_equals: {C2-Q4: [aucun]}}",
        "{not_equals: {C2-Q4: aucun}}",
        "{not_equals: {C2-Q4: aucun}}",
        "not_equals on C2-Q4 takes a list of choice ids",
    ),
    Case(
        "type mismatch: a text question compared",
        "ask_if: {equals: {C3-Q4: oui}}",
        "ask_if: {equals: {C3-Q1: oui}}",
        "ask_if: {equals: {C3-Q1: oui}}",
        "C3-Q1 cannot be compared",
    ),
    Case(
        "value a question cannot take",
        "ask_if: {equals: {C7-Q1: oui}}",
        "ask_if: {equals: {C7-Q1: nsp}}",
        "ask_if: {equals: {C7-Q1: nsp}}",
        "C7-Q1 cannot be 'nsp'; its choices are: oui, non",
    ),
    Case(
        "at_least counting more conditions than it has",
        "count: 2",
        "count: 9",
        "count: 9",
        "count must be a whole number from 1 to 8",
    ),
    Case(
        "unknown operator in an ask_if",
        "ask_if: {equals: {C7-Q1: oui}}",
        "ask_if: {is: {C7-Q1: oui}}",
        "ask_if: {is: {C7-Q1: oui}}",
        "unknown operator 'is'",
    ),
    # -- ids -------------------------------------------------------------------------------------
    Case(
        "duplicate section id",
        "  - id: C7\n",
        "  - id: C6\n",
        "  - id: C6\n    title: {fr: Bénéfice",
        "duplicate id 'C6'",
    ),
    Case(
        "duplicate choice id",
        "          - id: qualite\n",
        "          - id: delai\n",
        '- id: delai\n            label: {fr: "Qualité',
        "question C3-Q2: duplicate choice 'delai'",
    ),
    Case(
        "a gate that does not offer nsp",
        "      - id: C7-Q1\n        type: yes_no\n",
        "      - id: C7-Q1\n        type: yes_no\n        gate: true\n",
        '        gate: true\n        label:\n          fr: "Une alternative',
        "question C7-Q1 is a gate but does not offer 'nsp'",
    ),
    # -- effects and fields ----------------------------------------------------------------------
    Case(
        "bad effect: a value that does not exist",
        "when: {equals: {C7-Q2: alternative_meilleure}}\n        effect: incompatible",
        "when: {equals: {C7-Q2: alternative_meilleure}}\n        effect: refused",
        "effect: refused",
        "input should be 'incompatible', 'full_review' or 'condition'",
    ),
    Case(
        "bad effect: condition without its text",
        "when: {equals: {C7-Q1: non}}\n        effect: full_review",
        "when: {equals: {C7-Q1: non}}\n        effect: condition",
        "      - id: C7-R2",
        "rule C7-R2 has effect 'condition' but no 'condition' text",
    ),
    Case(
        "unknown field (typo)",
        "        gate: true\n",
        "        gates: true\n",
        "        gates: true",
        "unknown field 'gates'",
    ),
    Case(
        "missing field",
        "    progress: {fr: Critère 7/7, en: Criterion 7/7}\n",
        "",
        "  - id: C7\n",
        "missing field 'progress'",
    ),
    # -- YAML ------------------------------------------------------------------------------------
    Case(
        "YAML syntax error: a tab",
        "    progress: {fr: Critère 7/7, en: Criterion 7/7}\n",
        "\tprogress: {fr: Critère 7/7, en: Criterion 7/7}\n",
        "\tprogress",
        "not valid YAML",
    ),
    Case(
        "YAML syntax error: a key given twice",
        "flow: boussole-nantes\n",
        "flow: boussole-nantes\nflow: autre\n",
        "flow: autre",
        "not valid YAML: found duplicate key",
    ),
]


BY_NAME = {c.name: c for c in CATALOGUE}


@cache
def checked(name: str) -> CheckResult:
    """Each case is parsed once: round-trip YAML parsing is what costs here."""
    return check_source(BY_NAME[name].text().encode(), "flow.yaml")


@pytest.mark.parametrize("case", CATALOGUE, ids=[c.name for c in CATALOGUE])
def test_broken_flow_is_refused_with_message_and_line(case: Case) -> None:
    text = case.text()
    result = checked(case.name)
    assert result.flow is None
    matching = [p for p in result.errors if case.message in p.message]
    assert matching, [str(p) for p in result.problems]
    assert matching[0].line == line_of(text, case.marker), str(matching[0])
    assert str(matching[0]).startswith(f"flow.yaml:{matching[0].line}: error: ")


def test_the_catalogue_is_large_and_every_case_is_distinct() -> None:
    assert len(CATALOGUE) >= 15
    assert len({c.text() for c in CATALOGUE}) == len(CATALOGUE)


def test_the_path_errors_name_the_field_to_fix() -> None:
    (error,) = checked("unreachable question: an ask_if that can never hold").errors
    assert error.field == "sections[1].questions[3].ask_if"
    errors = checked("rule that can never fire: reads a question its path skips").errors
    assert [p.field for p in errors] == ["sections[1].rules[0].when"]
    assert "DI1, DI2" in errors[0].message


def test_a_branch_cut_off_takes_its_rules_with_it() -> None:
    """DI4 never asked: the rules that read it can never fire either, and each is named."""
    name = "unreachable question: reads an answer only another branch gives"
    messages = [p.message for p in checked(name).errors]
    for rule in ("DI-R2", "DI-R2b", "DI-R4"):
        assert any(m.startswith(f"rule {rule} can never fire") for m in messages), messages
