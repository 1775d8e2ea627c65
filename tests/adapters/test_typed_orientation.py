"""An orientation as a reviewer types it in chat (Matrix's `modifier ID ORIENTATION comment`)
or in the terminal: its name or its label in French or English, then the comment as typed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.chat.commands import outcome_labels, outcome_named, typed_outcome
from bot.i18n import LANGS, t
from flows.model import OUTCOMES


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("examen approfondi Le budget manque.", ("full_review", "Le budget manque.")),
        ("Parcours allégé  trop  court", ("light_track", "trop  court")),
        ("PARCOURS ALLEGE ok", ("light_track", "ok")),
        ("light track Seen in committee.", ("light_track", "Seen in committee.")),
        ("full_review\nLe comité a tranché.", ("full_review", "Le comité a tranché.")),
        ("incompatible avec la doctrine Article 5.", ("incompatible", "Article 5.")),
        ("incompatible Article 5.", ("incompatible", "Article 5.")),
        ("allégé trop court", ("", "allégé trop court")),
        ("", ("", "")),
    ],
)
def test_the_first_words_name_the_orientation_and_the_rest_is_the_comment(
    typed: str, expected: tuple[str, str]
) -> None:
    assert typed_outcome(typed) == expected


NAMES = [
    (outcome, name)
    for outcome in OUTCOMES
    for name in (outcome, *(t(f"outcome_{outcome}", lang) for lang in LANGS))
]


@given(named=st.sampled_from(NAMES), comment=st.text(max_size=60), upper=st.booleans())
def test_any_name_of_an_orientation_then_any_comment(
    named: tuple[str, str], comment: str, upper: bool
) -> None:
    outcome, name = named
    found, rest = typed_outcome(f"{name.upper() if upper else name} {comment}")
    assert found == outcome
    assert comment.strip().endswith(rest)


def test_the_choices_offered_are_labels_without_the_one_proposed() -> None:
    assert outcome_labels("fr", but="incompatible") == "« parcours allégé » ; « examen approfondi »"
    assert outcome_labels("en") == "'light track'; 'full review'; 'incompatible'"
    assert all(outcome_named(t(f"outcome_{o}", "fr")) == o for o in OUTCOMES)
