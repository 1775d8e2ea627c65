"""Publishing in the register from Slack: `/boussole registre ID`, the button, the modal, its
errors shown next to their fields in the ack, then the publication told in the DM."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from adapters.slack.register import REGISTER_OPEN, VALUE
from bot.app import App
from bot.register_form import FIELDS
from storage import register as rows
from tests.adapters.slack.harness import AGENT, APP_ID, TEAM, Reply, Slack
from tests.adapters.slack.test_triage import SCHOOL_MEALS, run_triage, triage_ids
from tests.bot.register_journeys import details

pytestmark = pytest.mark.asyncio
ADMIN = "UADMIN01"
_views = itertools.count(1)


async def open_form(slack: Slack, triage_id: str, user: str) -> dict[str, Any] | None:
    await slack.command(f"registre {triage_id}", user)
    await slack.settled()
    prompt = next(c for c in reversed(slack.stub.calls) if REGISTER_OPEN in str(c.blocks))
    opened = len(slack.stub.to("views.open"))
    await slack.click(prompt, REGISTER_OPEN, user)
    await slack.settled()
    views = slack.stub.to("views.open")
    return views[-1].params["view"] if len(views) > opened else None


async def submit(slack: Slack, form: dict[str, Any], values: dict[str, str], user: str) -> Reply:
    state: dict[str, Any] = {}
    for field in FIELDS:
        value = values.get(field.name)
        if field.kind == "choice":
            option = {"value": value} if value else None
            state[field.name] = {VALUE: {"type": "static_select", "selected_option": option}}
        elif field.kind == "date":
            state[field.name] = {VALUE: {"type": "datepicker", "selected_date": value}}
        else:
            state[field.name] = {VALUE: {"type": "plain_text_input", "value": value}}
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "nantes-metropole"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM},
        "api_app_id": APP_ID,
        "view": {**form, "id": f"VREGISTER{next(_views)}", "state": {"values": state}},
    }
    return await slack.interact(payload)


def form_values() -> dict[str, str]:
    document = details().document()
    return {
        f.name: (v["fr"] if isinstance(v, dict) else str(v))
        for f in FIELDS
        if (v := document.get(f.name)) is not None
    }


async def test_an_admin_publishes_from_the_modal_and_errors_come_back_by_field(
    slack: Slack, app: App
) -> None:
    await run_triage(slack, SCHOOL_MEALS)
    (triage_id,) = triage_ids(app)
    with app.store.transaction() as tx:
        tx.add_admin(f"slack:{ADMIN}")
    form = await open_form(slack, triage_id, ADMIN)
    assert form is not None and form["callback_id"] == "register_details"
    wrong = form_values() | {"contact_email": "Jean Dupont", "risks": ""}
    refused = await submit(slack, form, wrong, ADMIN)
    assert refused.json["response_action"] == "errors"
    assert set(refused.json["errors"]) == {"contact_email", "risks"}
    with app.store.reading() as tx:
        assert rows.history(tx) == []
    done = await submit(slack, form, form_values(), ADMIN)
    assert done.status == 200 and not done.body
    await slack.settled()
    with app.store.reading() as tx:
        (entry,) = rows.history(tx)
    assert entry.triage_id == triage_id and entry.details["status"] == "in_use"
    told = slack.posted(ADMIN)[-1]
    assert f"Analyse {triage_id} publiée au registre" in told.params["text"]
    again = await open_form(slack, triage_id, ADMIN)
    assert again is not None
    assert "numerique@example.org" in str(again["blocks"])


async def test_the_author_who_reviews_nothing_is_told_before_any_form(
    slack: Slack, app: App
) -> None:
    await run_triage(slack, SCHOOL_MEALS)
    (triage_id,) = triage_ids(app)
    await slack.command(f"registre {triage_id}", AGENT)
    await slack.settled()
    # The kit's rule: the refusal answers the command itself, before any button to a form.
    assert not [c for c in slack.stub.calls if REGISTER_OPEN in str(c.blocks)]
    assert "Seuls les responsables" in str(slack.stub.calls[-1].params)
    await slack.command("registre", AGENT)
    await slack.settled()
    assert "« registre ID »" in str(slack.stub.calls[-1].params)


async def test_a_click_on_the_button_follows_the_kit_and_a_refusal_is_told_in_the_dm(
    slack: Slack, app: App
) -> None:
    """The button runs the kit's `registre ID` (ChatBot.register_prompt): someone who may not
    fill the form in (the agent, clicking the admin's prompt) opens no modal and is told why
    in their DM."""
    await run_triage(slack, SCHOOL_MEALS)
    (triage_id,) = triage_ids(app)
    with app.store.transaction() as tx:
        tx.add_admin(f"slack:{ADMIN}")
    await slack.command(f"registre {triage_id}", ADMIN)
    await slack.settled()
    prompt = next(c for c in reversed(slack.stub.calls) if REGISTER_OPEN in str(c.blocks))
    opened = len(slack.stub.to("views.open"))
    await slack.click(prompt, REGISTER_OPEN, AGENT)
    await slack.settled()
    assert len(slack.stub.to("views.open")) == opened
    assert "Seuls les responsables" in slack.posted(AGENT)[-1].params["text"]
