"""Every kind of card the Teams adapter can send, built from the bundled flow and the golden
cases, in French and English: what both the Python schema check and the Node check read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from adapters.chat.placement import Notice
from adapters.teams import card_parts, cards, result_cards
from bot.answer_file import validate_answers
from bot.app import App
from bot.events import Actor
from bot.listings import TriageRow
from bot.notifications import review_notice
from bot.views import question_view
from flows.model import TEXT_MAX_LENGTH
from tests.cases import load_cases

LANGS = ("fr", "en")
SAMPLE_ID = "3k7mq2x9ab"


def all_cards(app: App) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    with app.store.reading() as tx:
        published = app.catalog.latest(tx)
    flow = published.flow
    for lang in LANGS:
        for number, question in enumerate(flow.questions, start=1):
            view = question_view(
                SAMPLE_ID,
                flow,
                published.version,
                question,
                app.engine.choices(question),
                number,
                lang,
            )
            found[f"question-{question.id}-{lang}"] = cards.question_card(view, lang)
            previous = _previous(view)
            if previous is not None:
                again = question_view(
                    SAMPLE_ID,
                    flow,
                    published.version,
                    question,
                    app.engine.choices(question),
                    number,
                    lang,
                    previous,
                )
                notices = [Notice("Retour à cette question.", error=False)]
                found[f"question-{question.id}-previous-{lang}"] = cards.question_card(
                    again, lang, notices
                )
        found[f"question-error-{lang}"] = cards.question_card(
            view, lang, [Notice("note", False), Notice("erreur", True)]
        )
        found[f"frozen-{lang}"] = card_parts.frozen_card("P1 → Projet", SAMPLE_ID, lang)
        found[f"closed-{lang}"] = card_parts.frozen_card("Fermée.", SAMPLE_ID, lang, mark="")
        found[f"welcome-{lang}"] = cards.welcome_card(lang)
        found[f"help-{lang}"] = cards.help_card(lang)
        found[f"help-notice-{lang}"] = cards.help_card(lang, [Notice("?", False)])
        found[f"list-empty-{lang}"] = cards.list_card([], lang, 10)
        found[f"list-{lang}"] = cards.list_card(_rows(), lang, 2)
        found[f"review-decided-{lang}"] = result_cards.review_decided_card(
            "Orientation confirmée pour « Prévision des repas ».", SAMPLE_ID, lang
        )
        found[f"agent-question-{lang}"] = result_cards.agent_question_card(
            "Un responsable demande des précisions : quelle base légale ?", SAMPLE_ID, lang
        )
        answered = result_cards.agent_answered_card("L'article 6.", SAMPLE_ID, lang)
        found[f"agent-answered-{lang}"] = answered
        found[f"done-{lang}"] = cards.done_card("Grille publiée : version 2.")
        diagram = "flowchart TD\n" + "".join(f"  Q{i} --> Q{i + 1}\n" for i in range(2000))
        found[f"upload-{lang}"] = cards.upload_card(
            "Grille valide : 30 questions.", diagram, "0" * 64, lang
        )
        found[f"upload-refused-{lang}"] = cards.upload_card(
            "Erreur ligne 3.", None, None, lang, False
        )
    for name, case in load_cases(valid=True):
        for lang in LANGS:
            valid = validate_answers(flow, case["answers"], app.engine.choices, lang, name)
            view = app.engine.submit(
                Actor("teams", "29:cards"), lang, published, valid.answers, valid.ignored
            )
            found[f"result-{name}-{lang}"] = result_cards.result_card(view, lang, retriage=True)
            if view.outcome != "light_track":
                notice = review_notice(view, str(case["answers"].get("P2")), app.directory, lang)
                found[f"review-{name}-{lang}"] = result_cards.review_card(notice, lang)
    return found


def longest_result(app: App, lang: str = "fr") -> dict[str, Any]:
    """A result card whose every text answer has the maximum length."""
    with app.store.reading() as tx:
        published = app.catalog.latest(tx)
    answers = dict(load_cases(valid=True)[0][1]["answers"])
    for question in published.flow.questions:
        if question.spec.type == "text" and question.id in answers:
            answers[question.id] = ("Lorem ipsum dolor sit amet. " * 100)[:TEXT_MAX_LENGTH]
    valid = validate_answers(published.flow, answers, app.engine.choices, lang, "long")
    view = app.engine.submit(Actor("teams", "29:long"), lang, published, valid.answers, ())
    return result_cards.result_card(view, lang, retriage=True)


def _previous(view: Any) -> Any:
    if view.type == "text":
        return "Réponse précédente"
    if view.type == "scale":
        return 3
    if view.type == "multi":
        return [c.id for c in view.choices if not c.exclusive][:2]
    return view.choices[0].id if view.choices else None


def _rows() -> list[TriageRow]:
    stamp = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    return [
        TriageRow(
            SAMPLE_ID, "Prévision des repas", "completed", "light_track", "Voie allégée", stamp
        ),
        TriageRow("4n8pr3y2cd", "(projet sans nom)", "in_progress", None, "", stamp),
    ]
