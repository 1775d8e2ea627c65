"""Every golden answer file gives exactly the result the grid defines."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import jsonschema
import pytest

from bot.answer_file import AnswerFileError, validate_answers
from bot.app import App
from bot.events import Actor
from tests.cases import load_cases

# Shipped with the package, where docs/cli.md sends script writers.
SCHEMA = json.loads(files("bot").joinpath("triage-result.schema.json").read_text("utf-8"))
ACTOR = Actor("console", "agent")


def run(app: App, answers: dict[str, Any], lang: str = "fr") -> dict[str, Any]:
    with app.store.reading() as tx:
        published = app.catalog.latest(tx)
    valid = validate_answers(published.flow, answers, app.engine.choices, lang, "case.yaml")
    view = app.engine.submit(ACTOR, lang, published, valid.answers, valid.ignored)
    return view.document()


@pytest.mark.parametrize(
    ("name", "case"), load_cases(valid=True), ids=lambda v: v if isinstance(v, str) else ""
)
def test_valid_case_gives_the_grid_result(app: App, name: str, case: dict[str, Any]) -> None:
    document = run(app, case["answers"])
    jsonschema.validate(document, SCHEMA)
    expect = case["expect"]
    assert document["outcome"] == expect["outcome"]
    assert [r["id"] for r in document["rules"]] == expect["rules"]
    assert [c["id"] for c in document["conditions"]] == expect["conditions"]
    points = [
        {
            "question": p["question"],
            "may_be_incompatible": p["may_be_incompatible"],
            "rules": p["rules"],
        }
        for p in document["blocking_points"]
    ]
    assert points == expect["blocking_points"]
    assert sorted(document["ignored"]) == sorted(expect["ignored"])
    assert not set(document["ignored"]) & set(document["answers"])
    fired = {r["id"]: r for r in document["rules"]}
    for rule_id, because in (expect.get("because") or {}).items():
        assert fired[rule_id]["because"] == because


@pytest.mark.parametrize(
    ("name", "case"), load_cases(valid=False), ids=lambda v: v if isinstance(v, str) else ""
)
def test_invalid_case_names_every_question_and_records_nothing(
    app: App, name: str, case: dict[str, Any]
) -> None:
    with pytest.raises(AnswerFileError) as raised:
        run(app, case["answers"])
    named = {line.split(":", 1)[0] for line in raised.value.lines}
    assert set(case["expect"]["questions"]) <= named
    with app.store.reading() as tx:
        assert tx.triages_of(tx.find_pseudonym("console", "agent") or "") == []
