"""The condition language's semantics, as the grid fixes them."""

from __future__ import annotations

import pytest

from flows.conditions import (
    ConditionError,
    Context,
    compile_condition,
    matched_questions,
    parse,
)

CONTEXT = Context(gates=("G1",), unknown="nsp", texts=frozenset({"T"}))


def holds(raw: object, answers: dict) -> bool:
    return compile_condition(parse(raw, ()), CONTEXT)(answers)


def test_a_comparison_on_an_unasked_question_is_false() -> None:
    assert not holds({"equals": {"Q": "oui"}}, {})
    assert not holds({"not_equals": {"Q": "oui"}}, {})
    assert not holds({"in": {"Q": ["oui"]}}, {})
    assert not holds({"includes": {"M": "a"}}, {})
    assert not holds({"less_or_equal": {"S": 2}}, {})


def test_not_equals_differs_from_not_equals_on_an_unasked_question() -> None:
    assert holds({"not": {"equals": {"Q": "oui"}}}, {})
    assert not holds({"not_equals": {"Q": "oui"}}, {})
    assert holds({"not_equals": {"Q": "oui"}}, {"Q": "non"})


def test_multi_equality_is_a_set_equality() -> None:
    assert holds({"equals": {"M": ["b", "a"]}}, {"M": ["a", "b"]})
    assert holds({"not_equals": {"M": ["aucun"]}}, {"M": ["rh"]})
    assert not holds({"not_equals": {"M": ["aucun"]}}, {"M": ["aucun"]})


def test_at_least_counts_each_condition_once() -> None:
    raw = {
        "at_least": {
            "count": 2,
            "of": [
                {"any": [{"equals": {"A": "oui"}}, {"equals": {"B": "oui"}}]},
                {"equals": {"C": "oui"}},
            ],
        }
    }
    assert not holds(raw, {"A": "oui", "B": "oui"})
    assert holds(raw, {"A": "oui", "C": "oui"})


def reasons(raw: object, answers: dict) -> list[str]:
    return matched_questions(parse(raw, ()), CONTEXT, answers)


def test_because_names_only_the_answers_that_made_the_rule_fire() -> None:
    """An absent risk factor or the other side of an `any` is not a reason (C2-R5, G-R3)."""
    factors = {
        "all": [
            {"in": {"D": ["oui", "nsp"]}},
            {
                "any": [
                    {
                        "at_least": {
                            "count": 2,
                            "of": [
                                {"equals": {"A": "oui"}},
                                {"equals": {"B": "oui"}},
                                {"includes_any": {"M": ["x", "y"]}},
                            ],
                        }
                    },
                    {"includes": {"L": "hit"}},
                ]
            },
        ]
    }
    answers = {"D": "oui", "A": "oui", "B": "non", "M": ["x"], "L": ["other"]}
    assert reasons(factors, answers) == ["D", "A", "M"]
    assert reasons(factors, {"D": "nsp", "A": "non", "M": ["aucune"], "L": ["hit"]}) == [
        "D",
        "L",
    ]


def test_because_under_not_names_what_it_read() -> None:
    assert reasons({"not": {"equals": {"Q": "oui"}}}, {"Q": "non", "R": "oui"}) == ["Q"]


def test_unknown_count_ignores_texts_that_say_nsp() -> None:
    raw = {"unknown_count_at_least": 2}
    assert not holds(raw, {"Q": "nsp", "T": "nsp"})
    assert holds(raw, {"Q": "nsp", "M": ["nsp"]})


def test_gate_unknown_reads_only_gates() -> None:
    assert holds({"gate_unknown": True}, {"G1": ["nsp"]})
    assert not holds({"gate_unknown": True}, {"Q": "nsp"})


@pytest.mark.parametrize(
    "raw",
    [
        "DI1 == oui",
        {"equals": {"A": 1}, "in": {"B": [1]}},
        {"eval": "1"},
        {"at_least": {"count": 3, "of": [{"answered": "A"}]}},
        {"all": []},
    ],
)
def test_anything_outside_the_language_is_refused(raw: object) -> None:
    with pytest.raises(ConditionError):
        parse(raw, ())
