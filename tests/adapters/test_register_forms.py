"""The register's chat form, as both platforms draw it: every field's problem in the reader's
language, the published details offered for correction, and what a form does not ask kept."""

from __future__ import annotations

import json

from adapters.chat.register import submitted_values
from adapters.slack.register import INPUT_MAX, form_values, register_modal
from adapters.teams.register import CARD_BYTES_MAX, prefilled_card, register_card
from bot.register_details import RegisterDetails
from bot.register_form import FIELDS, details_from_form, initial_values
from tests.adapters.teams.schema15 import problems
from tests.bot.register_journeys import details

EXAMPLE = details().document()


def form_of(document: dict) -> dict[str, str]:
    values, kept = initial_values(document, INPUT_MAX)
    assert kept == []
    return values


def test_a_complete_form_gives_the_details_and_each_mistake_is_told_by_field() -> None:
    values = form_of(EXAMPLE)
    checked = details_from_form(values, "fr")
    assert isinstance(checked, RegisterDetails)
    assert checked.purpose == {"fr": EXAMPLE["purpose"]["fr"]}
    wrong = values | {"contact_email": "Jean Dupont", "status": "retired", "website": "x"}
    del wrong["risks"]
    problems_ = details_from_form(wrong, "fr")
    assert set(problems_) == {"contact_email", "website", "risks"}
    assert problems_["contact_email"].startswith("pas une adresse électronique")
    assert problems_["risks"] == "champ 'risks' manquant"
    dates = details_from_form(values | {"status": "retired"}, "en")
    assert dates == {"end_date": "a retired algorithm needs its end_date"}


def test_published_details_are_offered_and_what_the_form_does_not_ask_is_kept() -> None:
    published = EXAMPLE | {"codebase_url": "https://code.example.org/menus"}
    values = form_of(published)
    changed = values | {"purpose": "Une autre finalité"}
    checked = details_from_form(changed, "fr", published)
    assert isinstance(checked, RegisterDetails)
    assert checked.codebase_url == "https://code.example.org/menus"
    assert checked.purpose == {"fr": "Une autre finalité"}
    assert checked.audience == EXAMPLE["audience"]  # unchanged: its English stays
    long_text = {"fr": "x" * (INPUT_MAX + 1)}
    values, kept = initial_values(published | {"description": long_text}, INPUT_MAX)
    assert kept == ["description"] and "description" not in values
    kept_as_is = details_from_form(values, "fr", published | {"description": long_text})
    assert kept_as_is.description == long_text


def test_the_slack_modal_asks_every_field_and_reads_its_submission_back() -> None:
    values = form_of(EXAMPLE)
    modal = register_modal("abcd234567", '<b>"Menus"</b>', values, ["remark"], "en")
    blocks = {b["block_id"]: b for b in modal["blocks"]}
    assert [f.name for f in FIELDS] == [b for b in blocks if b != "help"]
    assert "&lt;b&gt;" in blocks["help"]["text"]["text"]
    assert blocks["status"]["element"]["initial_option"]["value"] == "in_use"
    assert blocks["remark"]["optional"] is True and blocks["purpose"]["optional"] is False
    state = {
        name: {"value": {"type": "plain_text_input", "value": values.get(name)}} for name in blocks
    }
    state["status"] = {"value": {"type": "static_select", "selected_option": {"value": "retired"}}}
    state["end_date"] = {"value": {"type": "datepicker", "selected_date": "2027-01-31"}}
    view = {**modal, "state": {"values": state}}
    triage_id, kept, read = form_values(view)
    assert (triage_id, kept) == ("abcd234567", ["remark"])
    assert read["status"] == "retired" and read["end_date"] == "2027-01-31"
    assert isinstance(details_from_form(read, "fr"), RegisterDetails)


def test_the_teams_card_is_valid_adaptive_cards_1_5_and_fits_a_message() -> None:
    card = register_card("abcd234567", "Menus", form_of(EXAMPLE), "fr", {"risks": "manquant"})
    assert problems(card) == []
    shown = json.dumps(card, ensure_ascii=False)
    assert "manquant" in shown and "Éducation et recherche" in shown
    data = card["actions"][0]["data"]
    sent = {**data, **{f"register_{k}": v for k, v in form_of(EXAMPLE).items()}}
    triage_id, kept, values = submitted_values(sent)
    assert triage_id == "abcd234567" and kept == ()
    assert isinstance(details_from_form(values, "fr"), RegisterDetails)
    huge = EXAMPLE | {f.name: {"fr": "é" * 1400} for f in FIELDS if f.kind == "text"}
    full = prefilled_card("abcd234567", "Menus", huge, "fr")
    assert len(json.dumps(full, ensure_ascii=False).encode("utf-8")) <= CARD_BYTES_MAX
    assert problems(full) == []
    assert full["actions"][0]["data"]["kept"]
