"""Whole triages through a real Synapse, typed as a person would, in plain and encrypted rooms."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from mautrix.api import Method
from mautrix.api import Path as ApiPath

from bot.app import App
from bot.views import QuestionView
from tests.adapters.matrix.conftest import Accounts, Running
from tests.adapters.matrix.person import WAIT, Person, Said
from tests.cases import load_cases
from tests.e2e.helpers import boussole

CASES = dict(load_cases(valid=True))
JOURNEYS = ["01-school-meals-grid-example", "13-c1-facial-identification"]
RESULT = "Résultat de l'analyse"
HINT = "'?' why this question, '<' previous question, 'cancel' to stop."


def typed(view: QuestionView, value: Any) -> str:
    """An answer as a person types it: choices by number ("1, 3"), text and numbers as is."""
    numbers = {choice.id: str(i) for i, choice in enumerate(view.choices, 1)}
    if view.type == "multi":
        return ", ".join(numbers[v] for v in value)
    if view.choices:
        return numbers[value]
    return str(value)


async def asked(running: Running, room_id: str, said: Said) -> QuestionView:
    """The question the bot just sent (it records it right after the send returns)."""
    async with asyncio.timeout(WAIT):
        while True:
            view = running.bot.asked.get(room_id)
            if view is not None and f"{view.number}. {view.label}" in said.body:
                return view
            await asyncio.sleep(0.01)


async def run_triage(
    running: Running, person: Person, room_id: str, answers: dict[str, Any]
) -> tuple[str, Said, list[Said]]:
    """Start a triage and answer every question; returns its id, the result and all said."""
    await person.say(room_id, "boussole")
    heard: list[Said] = []
    for _turn in range(200):
        said = await person.heard()
        heard.append(said)
        if RESULT in said.body:
            triage_id = said.body.split(RESULT, 1)[1].split()[0]
            return triage_id, said, heard
        if "1." not in said.body and "Répondez" not in said.body:
            continue  # a notice before the next question
        view = await asked(running, room_id, said)
        await person.say(room_id, typed(view, answers[view.question_id]))
    raise AssertionError("the triage did not end")


def comparable(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k not in ("triage_id", "ignored", "notified")}


async def expected_result(
    answers: dict[str, Any], cli_env: dict[str, str], tmp_path: Path
) -> dict[str, Any]:
    answer_file = tmp_path / "answers.json"
    answer_file.write_text(json.dumps(answers, ensure_ascii=False), "utf-8")
    done = await asyncio.to_thread(
        boussole, "triage", "--answers", str(answer_file), "--format", "json", env=cli_env
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.asyncio
@pytest.mark.parametrize("name", JOURNEYS)
async def test_a_whole_triage_in_matrix_gives_the_answer_file_result(
    matrix: Running,
    people: dict[str, Person],
    accounts: Accounts,
    matrix_app: App,
    cli_env: dict[str, str],
    tmp_path: Path,
    name: str,
) -> None:
    answers = CASES[name]["answers"]
    agent = people["agent"]
    room_id = await agent.direct_room(accounts.bot.user_id)
    triage_id, result, _heard = await run_triage(matrix, agent, room_id, answers)

    expected = await expected_result(answers, cli_env, tmp_path)
    with matrix_app.store.reading() as tx:
        recorded = matrix_app.engine.result(tx, triage_id, "fr").document()
    assert comparable(recorded) == comparable(expected)
    for rule in expected["rules"]:
        assert rule["id"] in result.body and rule["id"] in result.html
    assert "parce que" in result.body


@pytest.mark.asyncio
async def test_a_whole_triage_runs_in_an_encrypted_room(
    matrix: Running,
    people: dict[str, Person],
    accounts: Accounts,
    matrix_app: App,
    cli_env: dict[str, str],
    tmp_path: Path,
) -> None:
    answers = CASES["01-school-meals-grid-example"]["answers"]
    agent = people["agent"]
    room_id = await agent.direct_room(accounts.bot.user_id, encrypted=True)
    triage_id, _result, heard = await run_triage(matrix, agent, room_id, answers)

    assert all(said.encrypted for said in heard)
    assert agent.edits and all(edit.encrypted for edit in agent.edits)
    expected = await expected_result(answers, cli_env, tmp_path)
    with matrix_app.store.reading() as tx:
        recorded = matrix_app.engine.result(tx, triage_id, "fr").document()
    assert comparable(recorded) == comparable(expected)
    # The homeserver holds only ciphertext: the bot's messages as Synapse serves them.
    page = await agent.client.api.request(
        Method.GET, ApiPath.v3.rooms[room_id].messages, query_params={"dir": "b", "limit": "50"}
    )
    kinds = {e["type"] for e in page["chunk"] if e["sender"] == accounts.bot.user_id}
    assert "m.room.encrypted" in kinds and "m.room.message" not in kinds


@pytest.mark.asyncio
async def test_answers_by_label_why_back_and_cancel_in_english(
    matrix: Running, people: dict[str, Person], accounts: Accounts
) -> None:
    agent = people["agent"]
    room_id = await agent.direct_room(accounts.bot.user_id)
    await agent.say(room_id, "new")
    first = (await agent.heard_until(HINT))[-1]
    assert "<ol>" not in first.html and "<strong>" in first.html
    assert "Answer in one line of text." in first.body and "number" not in first.body
    await agent.say(room_id, "My project")
    second = (await agent.heard_until(HINT))[-1]
    view = await asked(matrix, room_id, second)
    assert view.choices and "<ol>" in second.html
    assert all(f"{i}. {c.label}" in second.body for i, c in enumerate(view.choices, 1))
    await agent.say(room_id, view.choices[0].label.upper())
    third = (await agent.heard_until(HINT))[-1]
    assert agent.edits[-1].replaces == second.event_id
    assert f"✓ {view.label} → {view.choices[0].label}" in agent.edits[-1].body
    assert "1. " not in agent.edits[-1].body
    await agent.say(room_id, "?")
    why = await agent.heard()
    assert why.body not in (second.body, third.body)
    await agent.say(room_id, "<")
    back = (await agent.heard_until(HINT))[-1]
    assert view.label in back.body
    assert f"Previous answer: {view.choices[0].label}" in back.body
    assert "Answer with the number or the label." in back.body
    await agent.say(room_id, "cancel")
    await agent.heard()
    assert matrix.bot.asked.get(room_id) is None
    await agent.say(room_id, "3")
    said = await agent.heard()
    assert "did not understand" in said.body


@pytest.mark.asyncio
async def test_in_a_shared_room_the_bot_reads_only_what_begins_with_its_name(
    matrix: Running, people: dict[str, Person], accounts: Accounts
) -> None:
    agent, reviewer = people["agent"], people["reviewer"]
    room_id = str(
        await agent.client.create_room(invitees=[accounts.bot.user_id, accounts.reviewer.user_id])
    )
    await reviewer.client.join_room(room_id)
    async with asyncio.timeout(WAIT):
        while accounts.bot.user_id not in await agent.client.get_joined_members(room_id):
            await asyncio.sleep(0.05)
    await agent.say(room_id, "identifiant")
    await agent.say(room_id, "!boussole identifiant")
    said = await agent.heard()
    assert f"matrix:{accounts.agent.user_id}" in said.body
    await agent.say(room_id, "!boussole reprendre")  # the kit's words, then the help
    said = await agent.heard()
    assert "« reprendre 3k7mq2x9ab »" in said.body and "Ce que je comprends" in said.body
    await agent.say(room_id, "!boussole")
    heard = await agent.heard_until("Répondez")
    assert "visibles de tous" in heard[0].body  # the kit's notice, as in a Slack channel
    first = heard[-1]
    view = await asked(matrix, room_id, first)
    await agent.say(room_id, "Projet partagé")  # an answer needs no prefix
    await agent.heard_until("Répondez")
    assert matrix.bot.asked[room_id].question_id != view.question_id
