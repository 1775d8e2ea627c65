"""What a server's logs show: one JSON object per line with the ids a turn carries, and
neither the machine's state changes nor anything an agent answered."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from bot.app import App
from bot.logs import configure_logging
from tests.bot.journeys import answer_all
from tests.cases import load_cases

ANSWERS = dict(load_cases(valid=True))["01-school-meals-grid-example"]["answers"]


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    quiet = logging.getLogger("transitions").level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.getLogger("transitions").setLevel(quiet)


def test_json_lines_carry_the_ids_given_in_extra(
    restored_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("json")
    logging.getLogger("adapters.slack").info("turn done", extra={"triage_id": "abc123"})
    line = json.loads(capsys.readouterr().err.strip())
    assert line["message"] == "turn done"
    assert line["triage_id"] == "abc123"
    assert line["level"] == "info" and line["logger"] == "adapters.slack"


def test_a_whole_triage_logs_no_state_change_and_no_answer(
    restored_logging: None, app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("text")
    answer_all(app, ANSWERS)
    logged = capsys.readouterr().err
    assert "transitions" not in logged
    texts = [v for v in ANSWERS.values() if isinstance(v, str) and " " in v]
    assert texts and not any(text in logged for text in texts)
