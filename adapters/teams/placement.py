"""Where a Teams turn's effects go: what the clicked card becomes (answered, abandoned, no
longer current, or left as it is to be corrected), whether the next card is the one already
in front of the person, and the words of a turn that draws no card. Pure functions over the
engine's effects and codes, no SDK."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adapters.teams import cards
from adapters.teams.cards import Submit
from adapters.teams.messages import m
from bot import effects as fx

NO_LONGER_CURRENT = frozenset(
    {"stale_question", "stale_version", "triage_completed", "triage_cancelled"}
)
"""A click on a question card answered with one of these: the card no longer asks anything."""


def replacement(
    effects: Sequence[fx.Effect],
    frozen: fx.Freeze | None,
    clicked: Submit | None,
    lang: str,
) -> dict[str, Any] | None:
    """What the clicked card becomes, or None to leave it as it is (an invalid answer can be
    corrected on the same card), from the codes of the engine's effects."""
    if frozen is not None:
        return cards.frozen_card(frozen.summary, frozen.triage_id, lang)
    if clicked is None:
        return None
    happened = fx.codes(effects)
    asked = [e.question for e in effects if isinstance(e, fx.Ask)]
    if clicked.action == "back" and asked and asked[0].question_id != clicked.question_id:
        return closed(m("went_back", lang), clicked, lang)
    if clicked.action == "cancel" and "cancelled" in happened:
        return closed(m("card_cancelled", lang, id=clicked.triage_id), clicked, lang)
    if happened & NO_LONGER_CURRENT:
        return closed(m("no_longer_current", lang), clicked, lang)
    return None


def same_card(effect: fx.Ask, clicked: Submit | None) -> bool:
    return (
        clicked is not None
        and clicked.action in ("why", "back", "cancel", "answer")
        and effect.question.triage_id == clicked.triage_id
        and effect.question.question_id == clicked.question_id
    )


def closed(text: str, clicked: Submit, lang: str) -> dict[str, Any]:
    return cards.frozen_card(text, clicked.triage_id, lang, mark="")


def said(effects: Sequence[fx.Effect]) -> str:
    return "\n\n".join(e.text for e in effects if isinstance(e, fx.Info | fx.Error))
