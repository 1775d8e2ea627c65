"""The cards themselves: Adaptive Cards 1.5 by the schema's rules, one input per question
type as the issue asks, sizes Teams accepts, and button data read back strictly."""

from __future__ import annotations

import json
import re
import string
from typing import Any

import pytest

from adapters.chat.clicks import read_submit
from adapters.chat.question_layout import EXPANDED_MAX
from adapters.teams import card_parts
from adapters.teams.messages import CATALOG
from bot.app import App
from tests.adapters.teams.card_samples import all_cards, longest_result
from tests.adapters.teams.schema15 import problems

TEAMS_MESSAGE_LIMIT = 28 * 1024


@pytest.fixture
def samples(app: App) -> dict[str, dict[str, Any]]:
    return all_cards(app)


def test_every_card_follows_the_1_5_schema_rules(samples: dict[str, dict[str, Any]]) -> None:
    found = {name: problems(card) for name, card in samples.items()}
    assert {name: p for name, p in found.items() if p} == {}
    assert len(samples) > 250


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        ({"type": "AdaptiveCard", "version": "1.6", "body": []}, "must be 1.5"),
        (
            {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "Table"}]},
            "unknown or unused element type 'Table'",
        ),
        (
            {
                "type": "AdaptiveCard",
                "version": "1.5",
                "body": [{"type": "TextBlock", "text": "x", "bogus": True}],
            },
            "bogus: not a property",
        ),
        (
            {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock"}]},
            "text is required",
        ),
        (
            {
                "type": "AdaptiveCard",
                "version": "1.5",
                "body": [{"type": "TextBlock", "text": "x", "size": "huge"}],
            },
            "'huge' is not one of",
        ),
        (
            {
                "type": "AdaptiveCard",
                "version": "1.5",
                "actions": [{"type": "Action.Submit", "title": "x", "data": "text"}],
            },
            "must be an object",
        ),
        (
            {
                "type": "AdaptiveCard",
                "version": "1.5",
                "body": [
                    {"type": "Input.Text", "id": "a"},
                    {"type": "Input.Text", "id": "a"},
                ],
            },
            "used twice",
        ),
    ],
)
def test_the_schema_rules_catch_what_teams_would_not_render(
    card: dict[str, Any], expected: str
) -> None:
    assert any(expected in problem for problem in problems(card)), problems(card)


def _input(card: dict[str, Any]) -> dict[str, Any]:
    (found,) = [e for e in card["body"] if e["type"].startswith("Input.")]
    return found


def test_each_question_type_gets_its_input(samples: dict[str, dict[str, Any]], app: App) -> None:
    with app.store.reading() as tx:
        flow = app.catalog.latest(tx).flow
    seen = set()
    for question in flow.questions:
        field = _input(samples[f"question-{question.id}-fr"])
        kind = question.spec.type
        seen.add(kind)
        assert field["id"] == "answer" and field["isRequired"] and field["errorMessage"]
        assert field["label"]
        if kind == "text":
            assert field["type"] == "Input.Text"
            assert field["maxLength"] == 2000 and field["isMultiline"]
            continue
        assert field["type"] == "Input.ChoiceSet"
        values = [c["value"] for c in field["choices"]]
        if kind == "scale":
            assert values == ["1", "2", "3", "4", "5"]
            assert field["style"] == "expanded"
            continue
        assert field["isMultiSelect"] == (kind == "multi")
        expected_style = "expanded" if len(values) <= EXPANDED_MAX else "compact"
        assert field["style"] == expected_style
        choices = app.engine.choices(question)
        assert values == [c.id for c in choices]
    assert seen == {"yes_no", "yes_no_unknown", "single", "multi", "text", "scale"}


def test_question_buttons_carry_triage_question_and_version(
    samples: dict[str, dict[str, Any]],
) -> None:
    card = samples["question-C1-Q4-en"]
    titles = [a["title"] for a in card["actions"]]
    assert titles == ["Confirm", "Why?", "Back", "Cancel the triage"]
    for action in card["actions"]:
        data = action["data"]
        assert (data["triage"], data["question"], data["flow_version"]) == (
            "3k7mq2x9ab",
            "C1-Q4",
            1,
        )
    assert [a.get("associatedInputs") for a in card["actions"]] == [None, "none", "none", "none"]
    first = samples["question-P1-fr"]
    assert [a["title"] for a in first["actions"]] == ["Valider", "Pourquoi ?", "Annuler l'analyse"]


def test_a_previous_answer_is_shown_in_the_input(samples: dict[str, dict[str, Any]]) -> None:
    assert _input(samples["question-C4-Q5-previous-fr"])["value"] == "3"
    assert _input(samples["question-P1-previous-fr"])["value"] == "Réponse précédente"
    multi = _input(samples["question-C1-Q4-previous-fr"])
    assert multi["value"] == "sante,origine"


def test_result_card_lists_rules_conditions_and_blocking_points_as_fact_sets(
    samples: dict[str, dict[str, Any]],
) -> None:
    card = samples["result-13-c1-facial-identification-fr"]
    facts = [e for e in card["body"] if e["type"] == "FactSet"]
    titles = [f["title"] for fact_set in facts for f in fact_set["facts"]]
    assert any(title.startswith("C1-R") for title in titles)
    assert not [e for e in card["body"] if e["type"].startswith("Input.")]
    assert card["actions"][0]["type"] == "Action.ShowCard"
    outcome = card["body"][1]
    assert outcome["type"] == "Container" and outcome["style"] in ("warning", "attention")


def test_the_longest_result_card_stays_under_the_teams_message_limit(app: App) -> None:
    card = longest_result(app)
    assert len(json.dumps(card, ensure_ascii=False).encode()) < TEAMS_MESSAGE_LIMIT // 2
    assert "boussole report" in json.dumps(card, ensure_ascii=False)


def test_an_answer_cannot_become_a_link_on_a_card() -> None:
    assert card_parts.plain("[clic](https://example.invalid)") != "[clic](https://example.invalid)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            {
                "boussole": "answer",
                "triage": "t1",
                "question": "C1-Q4",
                "flow_version": 1,
                "type": "multi",
                "answer": "a,b",
            },
            ["a", "b"],
        ),
        (
            {
                "boussole": "answer",
                "triage": "t1",
                "question": "C4-Q5",
                "flow_version": 1,
                "type": "scale",
                "answer": "4",
            },
            4,
        ),
        (
            {
                "boussole": "answer",
                "triage": "t1",
                "question": "C4-Q5",
                "flow_version": 1,
                "type": "scale",
                "answer": "quatre",
            },
            "quatre",
        ),
        (
            {
                "boussole": "answer",
                "triage": "t1",
                "question": "P1",
                "flow_version": 1,
                "type": "text",
                "answer": "  x  ",
            },
            "  x  ",
        ),
    ],
)
def test_submitted_values_are_converted_for_their_type(value: Any, expected: Any) -> None:
    submit = read_submit(value)
    assert submit is not None and submit.answer() == expected


@pytest.mark.parametrize(
    "value",
    [
        None,
        "answer",
        [],
        {"boussole": "delete_everything", "triage": "t1"},
        {"boussole": "answer", "triage": "t1", "flow_version": 1},
        {"boussole": "answer", "triage": 5, "question": "P1", "flow_version": 1},
        {"boussole": "answer", "triage": "t1", "question": "P1", "flow_version": "1"},
        {"boussole": "answer", "triage": "t1", "question": "P1", "flow_version": True},
        {"boussole": "back"},
        {"action": "start"},
    ],
)
def test_foreign_or_forged_button_data_is_not_read(value: Any) -> None:
    assert read_submit(value) is None


def test_every_message_exists_in_french_and_english_with_the_same_placeholders() -> None:
    names = string.Formatter()
    for key, entry in CATALOG.items():
        assert set(entry) == {"fr", "en"}, key
        fields = [{f for _, f, _, _ in names.parse(text) if f} for text in entry.values()]
        assert fields[0] == fields[1], key
        assert all(text.strip() for text in entry.values()), key


def test_english_cards_have_no_french_button(samples: dict[str, dict[str, Any]]) -> None:
    english = json.dumps(samples["welcome-en"]) + json.dumps(samples["question-P2-en"])
    assert not re.search(r"Nouvelle analyse|Valider|Pourquoi", english)
