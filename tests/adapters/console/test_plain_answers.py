"""`--plain` reads a choice by its number, by the label on the screen or by its id."""

from __future__ import annotations

import pytest

from adapters.console.prompts import Reply, parse_line
from bot.views import QuestionView, question_view
from flows.loader import load_bundled

FLOW = load_bundled()


def asked(question_id: str, lang: str) -> QuestionView:
    question = FLOW.by_id[question_id]
    return question_view("t1", FLOW, 1, question, question.choices, 1, lang)


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("fr", "4"),
        ("fr", "Région UE d'un fournisseur soumis à un droit extra-européen"),
        ("fr", "  région ue d'un fournisseur soumis à un droit   extra-européen "),
        ("en", "EU region of a provider subject to non-EU law"),
        ("en", "cloud_ue_extra_ue"),
    ],
)
def test_a_single_choice_by_number_label_or_id(lang: str, line: str) -> None:
    assert parse_line(asked("C2-Q5", lang), line) == Reply("answer", "cloud_ue_extra_ue")


def test_several_choices_by_label_separated_by_commas() -> None:
    view = asked("C2-Q3", "en")
    labels = {c.id: c.label for c in view.choices}
    line = f"{labels['enfants']}, {labels['agents'].upper()}"
    assert parse_line(view, line) == Reply("answer", ["enfants", "agents"])
    assert parse_line(view, "1,3") == Reply("answer", [view.choices[0].id, view.choices[2].id])
    assert parse_line(view, "1 3") == Reply("answer", [view.choices[0].id, view.choices[2].id])


def test_a_label_that_holds_commas_is_one_choice() -> None:
    view = asked("C1-Q2", "fr")
    (with_commas,) = [c for c in view.choices if "," in c.label][:1]
    assert parse_line(view, with_commas.label) == Reply("answer", [with_commas.id])


def test_a_label_of_another_question_is_unreadable() -> None:
    assert parse_line(asked("C2-Q5", "fr"), "Oui") is None
