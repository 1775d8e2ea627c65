"""Where the chat kit places a turn's effects: notices on top of the message that follows,
the clicked message's fate, and a summary said in words where it cannot be edited."""

from __future__ import annotations

from adapters.chat.clicks import Submit
from adapters.chat.placement import (
    ANSWERED,
    CANCELLED,
    NOT_CURRENT,
    WENT_BACK,
    Closed,
    Drawn,
    Notice,
    aside,
    clicked_by,
    place,
)
from bot import effects as fx
from bot import events as ev
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
    assert placed.closed == Closed("Q1 → oui", "t1", "✓", ANSWERED)


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
    assert placed.closed == Closed(
        "This question is no longer the current one.", "t1", "", NOT_CURRENT
    )


def test_a_step_back_refused_as_stale_closes_the_older_copy_as_no_longer_current() -> None:
    """A "back" clicked on an older copy of a question goes nowhere: its copy must not say
    it went back."""
    effects = [fx.Info("…", code="stale_question"), fx.Ask(question("Q3"))]
    placed = place(effects, Submit("back", "t1", "Q2"), "fr", editable=True)
    assert placed.closed == Closed("Cette question n'est plus en cours.", "t1", "", NOT_CURRENT)


def test_a_step_back_taken_closes_the_clicked_question_as_gone_back() -> None:
    placed = place([fx.Ask(question("Q1"))], Submit("back", "t1", "Q2"), "fr", editable=True)
    assert placed.closed is not None and placed.closed.reason == WENT_BACK


# Aside: where a notice can be shown to the person who acted alone (Slack)


def test_aside_draws_each_notice_on_its_own_in_order_and_freezes_the_answered_one() -> None:
    effects = [fx.Freeze("t1", "Q1", "Q1 → oui"), fx.Info("Noté."), fx.Ask(question("Q2"))]
    placed = aside(effects, Submit("answer", "t1", "Q1", 1), False, True, "fr")
    assert placed.messages == [Notice("Noté."), Drawn(fx.Ask(question("Q2")))]
    assert placed.closed == Closed("Q1 → oui", "t1", "✓", ANSWERED)


def test_aside_a_refused_answer_names_the_current_question_instead_of_asking_it_again() -> None:
    """A notice seen by one person alone cannot be frozen once answered: it holds no
    question, and the question clicked is left as it is."""
    effects = [fx.Info("Déjà répondu.", code="stale_question"), fx.Ask(question("Q3"))]
    placed = aside(effects, Submit("answer", "t1", "Q1", 1), True, True, "fr")
    assert placed.messages == [Notice("Déjà répondu.", current=question("Q3"))]
    assert placed.closed is None
    errors = [fx.Error("Choisissez.", code="invalid"), fx.Ask(question("Q1"))]
    placed = aside(errors, Submit("answer", "t1", "Q1", 1), True, True, "fr")
    assert placed.messages == [Notice("Choisissez.", error=True)]


def test_aside_a_refused_why_is_said_and_asks_nothing_again() -> None:
    """The engine answers why with a refusal (nothing was written): it is not an answer
    refused, so its notice names no question."""
    placed = aside([fx.Info("Parce que.")], Submit("why", "t1", "Q1"), True, True, "fr")
    assert placed.messages == [Notice("Parce que.")] and placed.closed is None


def test_aside_a_step_back_replaces_the_clicked_question() -> None:
    placed = aside([fx.Ask(question("Q1"))], Submit("back", "t1", "Q2"), False, True, "en")
    assert placed.messages == [Drawn(fx.Ask(question("Q1")))]
    assert placed.closed == Closed("↩ Back to the previous question.", "t1", "", WENT_BACK)


def test_aside_a_cancel_replaces_the_question_with_the_engine_s_words_said_nowhere_else() -> None:
    said = [fx.Info("Analyse t1 annulée.", code="cancelled")]
    placed = aside(said, Submit("cancel", "t1"), False, True, "fr")
    assert placed.messages == [] and placed.closed == Closed(
        "Analyse t1 annulée.", "t1", "", CANCELLED
    )
    typed = aside(said, Submit("cancel", "t1"), False, False, "fr")
    assert typed.messages == [Notice("Analyse t1 annulée.")] and typed.closed is None


def test_the_click_an_engine_event_stands_for() -> None:
    actor = ev.Actor("slack", "U1")
    answer = ev.Answer(actor, "fr", "k", "t1", "Q1", "oui", 3)
    assert clicked_by(answer) == Submit("answer", "t1", "Q1", 3)
    assert clicked_by(ev.Back(actor, "fr", "k", "t1", "Q2")) == Submit("back", "t1", "Q2")
    assert clicked_by(ev.Why(actor, "fr", "k", "t1", None)) == Submit("why", "t1")
    assert clicked_by(ev.Cancel(actor, "fr", "k", "t1")) == Submit("cancel", "t1")
    assert clicked_by(ev.StartTriage(actor, "fr", "k")) is None
