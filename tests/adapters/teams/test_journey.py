"""Whole triages through the real server and CloudAdapter, as Teams would drive them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.app import App
from tests.adapters.teams.client import (
    AGENT,
    TeamsClient,
    inputs,
    run_triage,
    submit_data,
    texts,
)
from tests.adapters.teams.conftest import OUTBOUND_TOKEN
from tests.cases import load_cases
from tests.e2e.helpers import boussole

CASES = dict(load_cases(valid=True))
JOURNEYS = [
    "01-school-meals-grid-example",
    "06-di-ia-auto-incompatible",
    "13-c1-facial-identification",
    "17-chatbot-external-llm",
]


def _comparable(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k not in ("triage_id", "ignored")}


@pytest.mark.asyncio
@pytest.mark.parametrize("name", JOURNEYS)
async def test_a_whole_triage_in_teams_gives_the_answer_file_result(
    teams: TeamsClient,
    teams_app: App,
    cli_env: dict[str, str],
    tmp_path: Path,
    name: str,
) -> None:
    answers = CASES[name]["answers"]
    triage_id, result, replies = await run_triage(teams, answers)

    answer_file = tmp_path / "answers.json"
    answer_file.write_text(json.dumps(answers, ensure_ascii=False), "utf-8")
    done = boussole("triage", "--answers", str(answer_file), "--format", "json", env=cli_env)
    assert done.returncode == 0, done.stderr
    expected = json.loads(done.stdout)
    with teams_app.store.reading() as tx:
        recorded = teams_app.engine.result(tx, triage_id, "fr").document()
    answered = {q: a for q, a in answers.items() if q in recorded["answers"]}
    assert _comparable(recorded) == _comparable(expected)
    assert recorded["answers"] == answered

    assert all(reply.status == 201 for reply in replies)
    shown = texts(result)
    assert f"Résultat de l'analyse {triage_id}" in shown
    for rule in expected["rules"]:
        assert rule["id"] in shown


@pytest.mark.asyncio
async def test_each_answered_card_is_replaced_by_a_summary_without_inputs(
    teams: TeamsClient,
) -> None:
    answers = CASES["01-school-meals-grid-example"]["answers"]
    _triage_id, _result, replies = await run_triage(teams, answers)
    clicks = replies[1:]
    for reply in clicks:
        updates = [c for c in reply.calls if c.method == "PUT"]
        assert len(updates) == 1
        replaced = updates[0]
        assert replaced.authorization == f"Bearer {OUTBOUND_TOKEN}"
        assert replaced.card is not None and not inputs(replaced.card)
        assert "actions" not in replaced.card
        assert "✓" in texts(replaced.card)
    card_ids = [c.returned_id for r in replies for c in r.calls if c.method == "POST"]
    replaced_ids = [c.activity_id for r in clicks for c in r.calls if c.method == "PUT"]
    assert replaced_ids == card_ids[: len(replaced_ids)]
    assert all(c.conversation_id == teams.conversation(AGENT) for r in replies for c in r.calls)


@pytest.mark.asyncio
async def test_first_question_card_carries_triage_question_and_flow_version(
    teams: TeamsClient,
) -> None:
    reply = await teams.say("nouvelle analyse")
    assert reply.status == 201
    card = reply.calls[-1].card
    assert card is not None
    data = submit_data(card)
    assert data["flow_version"] == 1 and data["question"] == "P1" and data["triage"]
    assert card["version"] == "1.5"
