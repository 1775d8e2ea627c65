"""Every message and view, drawn as plain dicts, is what slack_sdk's Block Kit models would
draw and stays within Slack's limits, whatever the flow text: each question of the bundled
flow in both languages, every golden result, and oversized cases made up to hit the limits."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from adapters.slack.blocks import (
    current_question_notice,
    escape,
    help_message,
    notice,
    why_message,
)
from adapters.slack.home import HomeRows, ReviewRow, TriageRow, home_view, list_message
from adapters.slack.messages import CATALOG
from adapters.slack.questions import question_message, text_modal
from adapters.slack.refs import OPEN_TEXT, QuestionRef
from adapters.slack.results import result_message, review_message
from bot.app import App
from bot.events import Actor
from bot.notifications import ReviewNotice
from bot.views import ChoiceView, QuestionView, RuleView, question_view
from tests.adapters.slack.harness import assert_valid_message, find_element, kind_of
from tests.adapters.slack.stub import Call
from tests.cases import load_cases

LANGS = ("fr", "en")


def as_call(message: dict) -> Call:
    return Call("chat.postMessage", message, {})


def views_of_every_question(app: App, lang: str) -> list[QuestionView]:
    with app.store.reading() as tx:
        published = app.catalog.latest(tx)
    return [
        question_view(
            "abcdefghjk",
            published.flow,
            published.version,
            question,
            app.engine.choices(question),
            number,
            lang,
        )
        for number, question in enumerate(published.flow.questions, start=1)
    ]


def test_the_same_question_drawn_for_two_triages_names_each_its_own(app: App) -> None:
    """Question messages are drawn once and copied: a copy must never carry another
    triage's id (its buttons would answer someone else's triage)."""
    for view in views_of_every_question(app, "fr"):
        first = json.dumps(question_message(replace(view, triage_id="aaaa111111"), "fr"))
        second = json.dumps(question_message(replace(view, triage_id="bbbb222222"), "fr"))
        assert "aaaa111111" not in second and "bbbb222222" in second
        assert second == first.replace("aaaa111111", "bbbb222222")


@pytest.mark.parametrize("lang", LANGS)
def test_every_question_of_the_flow_gets_the_input_its_type_calls_for(app: App, lang: str) -> None:
    expected = {
        "yes_no": "buttons",
        "yes_no_unknown": "buttons",
        "scale": "buttons",
        "multi": "multi",
        "text": "text",
    }
    for view in views_of_every_question(app, lang):
        message = question_message(view, lang)
        assert_valid_message(message)
        kind = kind_of(as_call(message))
        if view.type == "single":
            assert kind == ("buttons" if len(view.choices) <= 5 else "select"), view.question_id
        else:
            assert kind == expected[view.type], view.question_id
        assert message["blocks"][0]["elements"][0]["text"] == escape(view.progress)
        assert view.label in message["text"]


def test_a_label_too_long_for_a_button_is_clipped_and_given_in_full(app: App) -> None:
    view = next(v for v in views_of_every_question(app, "fr") if v.question_id == "C2-Q1")
    long = [c.label for c in view.choices if len(c.label) > 75]
    assert long
    message = question_message(view, "fr")
    shown = json.dumps(message, ensure_ascii=False)
    assert all(escape(label) in shown for label in long)
    options = [
        o
        for b in message["blocks"]
        for e in b.get("elements") or []
        for o in e.get("options") or []
    ]
    assert all(len(o["text"]["text"]) <= 75 for o in options)


def make_view(**changes: object) -> QuestionView:
    base = QuestionView(
        triage_id="abcdefghjk",
        flow_version=3,
        question_id="Q1",
        type="single",
        label="Une question ?",
        section_id="C1",
        section_title="Critère",
        progress="Critère 1/7 · question 2",
        number=2,
        choices=tuple(ChoiceView(f"c{i}", f"Choix {i}", False) for i in range(6)),
        scale=(1, 5),
        max_length=2000,
        can_go_back=True,
    )
    return replace(base, **changes)


def test_a_previous_answer_is_preselected_after_going_back() -> None:
    select = question_message(make_view(previous="c4"), "fr")
    assert '"initial_option"' in json.dumps(select)
    choices = tuple(ChoiceView(f"c{i}", f"Choix {i}", i == 11) for i in range(12))
    many = question_message(make_view(type="multi", choices=choices, previous=["c1", "c2"]), "fr")
    assert_valid_message(many)
    element = next(
        e
        for b in many["blocks"]
        for e in b.get("elements") or []
        if e["type"] == "multi_static_select"
    )
    assert [o["value"] for o in element["initial_options"]] == ["c1", "c2"]
    scale = question_message(make_view(type="scale", choices=(), previous=4), "en")
    _block, four = find_element(scale["blocks"], "answer:4")
    assert four["style"] == "primary"
    assert json.loads(four["value"]) == {"t": "abcdefghjk", "q": "Q1", "v": 3, "c": 4}


def test_the_first_question_has_no_back_button() -> None:
    message = question_message(make_view(can_go_back=False), "fr")
    with pytest.raises(AssertionError):
        find_element(message["blocks"], "back")


def test_the_text_modal_carries_what_it_needs_within_slack_limits() -> None:
    previous = "é" * 2000
    view = make_view(type="text", choices=(), previous=previous, label="L" * 400)
    message = question_message(view, "fr")
    _block, button = find_element(message["blocks"], OPEN_TEXT)
    assert len(button["value"]) <= 2000
    ref, details = QuestionRef.decode(button["value"])
    assert "a" not in details  # too long to carry whole: left out, never cut
    modal = text_modal(ref, details, "DUAGENT01", "1700000000.000100", "fr")
    assert len(modal["private_metadata"]) <= 3000
    assert_valid_message({"view": modal})
    short = question_message(make_view(type="text", choices=(), previous="Court"), "fr")
    _block, button = find_element(short["blocks"], OPEN_TEXT)
    ref, details = QuestionRef.decode(button["value"])
    assert (
        text_modal(ref, details, None, None, "en")["blocks"][-1]["element"]["initial_value"]
        == "Court"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_every_golden_result_fits_one_message(app: App, lang: str) -> None:
    with app.store.reading() as tx:
        published = app.catalog.latest(tx)
    from bot.answer_file import validate_answers

    for _name, case in load_cases(valid=True):
        valid = validate_answers(published.flow, case["answers"], app.engine.choices, lang, "c")
        view = app.engine.submit(Actor("console", "t"), lang, published, valid.answers, ())
        message = result_message(view, lang)
        assert_valid_message(message)
        shown = json.dumps(message, ensure_ascii=False)
        assert all(r.id in shown for r in view.rules)
        assert all(c.id in shown for c in view.conditions)
        assert all(p.question in shown for p in view.blocking_points)


def test_a_result_too_large_for_slack_is_cut_with_a_note(app: App) -> None:
    with app.store.reading() as tx:
        published = app.catalog.latest(tx)
    from bot.answer_file import validate_answers

    answers = dict(load_cases(valid=True))["06-di-ia-auto-incompatible"]["answers"]
    valid = validate_answers(published.flow, answers, app.engine.choices, "fr", "c")
    view = app.engine.submit(Actor("console", "t"), "fr", published, valid.answers, ())
    rule = RuleView("R", "C1", "full_review", "E" * 2900, "Ref", {"C1-Q1": "oui"})
    huge = replace(view, rules=tuple(replace(rule, id=f"R{i}") for i in range(120)))
    message = result_message(huge, "fr")
    assert_valid_message(message)
    assert len(message["blocks"]) == 50
    assert "ne tiennent pas dans un message Slack" in json.dumps(message, ensure_ascii=False)


def test_review_notice_home_and_lists_fit_their_limits() -> None:
    notice_ = ReviewNotice(
        triage_id="abcdefghjk",
        project="P" * 300,
        department="Éducation",
        outcome="incompatible",
        outcome_label="Incompatible",
        summary="Le projet <script> & co",
        rules=tuple((f"R{i}", "incompatible", "x" * 900) for i in range(200)),
    )
    review = review_message(notice_, "fr")
    assert_valid_message(review)
    assert "&lt;script&gt; &amp; co" in json.dumps(review)
    stamp = datetime(2025, 3, 28, 9, 30, tzinfo=UTC)
    triages = [
        TriageRow(f"id{i:08d}", "Projet *gras* <@U1>", status, outcome, label, stamp)
        for i, (status, outcome, label) in enumerate(
            [
                ("in_progress", None, ""),
                ("completed", "full_review", "Examen"),
                ("cancelled", None, ""),
            ]
            * 10
        )
    ]
    reviews = [
        ReviewRow(f"rv{i:08d}", "P", "Éducation", "incompatible", "Incompatible", stamp)
        for i in range(30)
    ]
    home = home_view(HomeRows(triages, reviews), "/boussole", "fr")
    assert_valid_message({"view": home})
    assert "&lt;@U1&gt;" in json.dumps(home)
    assert "<!date^1743154200^{date_short_pretty} {time}|2025-03-28 09:30 UTC>" in json.dumps(home)
    assert_valid_message(list_message(triages[:10], "/boussole", "en", 10))
    assert_valid_message(list_message([], "/boussole", "fr", 10))


def test_notices_help_and_why_are_valid_messages() -> None:
    for lang in LANGS:
        assert_valid_message(help_message("/boussole", lang, "Je n'ai pas compris « x ».'"))
        assert_valid_message(notice("x" * 5000))
        assert_valid_message(why_message("Critère — Parce que.\nRéférence : RGPD", lang))
        assert_valid_message(current_question_notice("Déjà répondu.", "Label", "abc", lang))


def test_every_slack_message_exists_in_french_and_english_with_the_same_placeholders() -> None:
    for key, texts in CATALOG.items():
        assert set(texts) == {"fr", "en"}, key
        placeholders = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in texts.items()}
        assert placeholders["fr"] == placeholders["en"], key
