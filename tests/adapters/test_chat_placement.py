"""Where the chat kit places a turn's effects: notices on top of the message that follows,
the clicked message's fate, and a summary said in words where it cannot be edited."""

from __future__ import annotations

from adapters.chat.clicks import Submit
from adapters.chat.placement import Closed, Drawn, Notice, place
from bot import effects as fx
from bot.views import QuestionView


def question(question_id: str) -> QuestionView:
    return QuestionView(
        "t1", 1, question_id, "single", "Label", "P", "Projet", "1/7", 1, (), (1, 5), 200, True
    )


def test_notices_go_on_top_of_the_next_question_and_the_answered_one_is_frozen() -> None:
    clicked = Submit("answer", "t1", "Q1", 1)
    effects = [
        fx.Freeze("t1", "Q1", "Q1 → oui"),
        fx.Info("Noté."),
        fx.Error("Attention."),
        fx.Ask(question("Q2")),
    ]
    placed = place(effects, clicked, "fr", editable=True)
    notices = (Notice("Noté."), Notice("Attention.", error=True))
    assert placed.messages == [Drawn(fx.Ask(question("Q2")), notices)]
    assert placed.closed == Closed("Q1 → oui", "t1", "✓")


def test_where_the_click_cannot_be_edited_the_answer_is_said_first() -> None:
    effects = [fx.Freeze("t1", "Q1", "Q1 → oui"), fx.Ask(question("Q2"))]
    placed = place(effects, Submit("answer", "t1", "Q1", 1), "fr", editable=False)
    assert placed.messages[0] == "✓ Q1 → oui" and placed.closed is None


def test_an_invalid_answer_leaves_the_question_where_it_is_with_the_error_in_words() -> None:
    effects = [fx.Error("Choisissez une réponse.", code="invalid"), fx.Ask(question("Q1"))]
    placed = place(effects, Submit("answer", "t1", "Q1", 1), "en", editable=True)
    assert placed.messages == ["Choisissez une réponse."] and placed.closed is None


def test_a_stale_click_closes_the_question_in_the_reader_s_language() -> None:
    effects = [fx.Error("…", code="stale_question"), fx.Ask(question("Q3"))]
    placed = place(effects, Submit("answer", "t1", "Q1", 1), "en", editable=True)
    assert placed.closed == Closed("This question is no longer the current one.", "t1")
