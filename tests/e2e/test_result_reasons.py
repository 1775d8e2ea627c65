"""A rule's reasons read as the agent answered, in the terminal, Slack and Teams alike.

Case 17 (a chatbot on an external LLM, hosted in the EU region of a provider under non-EU law)
fires C2-R3 because of C2-Q5 = cloud_ue_extra_ue: each channel shows the question and the
choice's label in the reader's language, never the choice id.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from rich.console import Console

from adapters.console.render import show_result
from adapters.slack.results import result_message
from adapters.teams.result_cards import result_card
from bot.answer_file import validate_answers
from bot.app import App
from bot.events import Actor
from bot.views import ResultView, why_text
from tests.cases import load_cases

HOSTING = {
    "fr": (
        "Où le système est-il hébergé et exécuté ?",
        "Région UE d'un fournisseur soumis à un droit extra-européen",
    ),
    "en": ("Where is the system hosted and run?", "EU region of a provider subject to non-EU law"),
}
RAW_IDS = ("cloud_ue_extra_ue", "C2-Q5 =", "api_externe", "plus_10000")


def chatbot_result(app: App, lang: str) -> ResultView:
    case = dict(load_cases(valid=True))["17-chatbot-external-llm"]
    with app.store.reading() as tx:
        published = app.catalog.latest(tx)
    valid = validate_answers(published.flow, case["answers"], app.engine.choices, lang, "17.yaml")
    return app.engine.submit(Actor("console", "agent"), lang, published, valid.answers, ())


def terminal(view: ResultView, lang: str) -> str:
    console = Console(record=True, width=200)
    show_result(console, view, lang)
    return console.export_text()


def slack(view: ResultView, lang: str) -> str:
    return json.dumps(result_message(view, lang), ensure_ascii=False)


def teams(view: ResultView, lang: str) -> str:
    return json.dumps(result_card(view, lang), ensure_ascii=False)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("channel", [terminal, slack, teams], ids=["terminal", "slack", "teams"])
def test_because_shows_labels_in_the_readers_language(
    app: App, lang: str, channel: Callable[[ResultView, str], str]
) -> None:
    shown = channel(chatbot_result(app, lang), lang)
    question, answer = HOSTING[lang]
    assert question in shown
    assert answer in shown
    for raw in RAW_IDS:
        assert raw not in shown


TAGS = {
    "fr": ("[N-int] une lecture de la doctrine", "[L] la loi", "[BP] une bonne pratique"),
    "en": ("[N-int] a reading of the doctrine", "[L] the law", "[BP] good practice"),
}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("channel", [terminal, slack, teams], ids=["terminal", "slack", "teams"])
def test_reference_tags_are_spelled_out_where_they_appear(
    app: App, lang: str, channel: Callable[[ResultView, str], str]
) -> None:
    shown = channel(chatbot_result(app, lang), lang)
    for tag in TAGS[lang]:
        assert tag in shown


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_why_spells_out_the_tags_of_its_reference(app: App, lang: str) -> None:
    with app.store.reading() as tx:
        flow = app.catalog.latest(tx).flow
    why = why_text(flow.by_id["C2-Q5"], lang)
    assert all(tag in why for tag in ("[N]", "[L]", "[BP]"))
    assert TAGS[lang][2] in why
    assert "[N-int]" not in why
