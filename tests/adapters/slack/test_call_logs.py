"""What the Web API calls leave in the logs."""

from __future__ import annotations

import logging

import pytest

from tests.adapters.slack.harness import AGENT, Slack, answer, question_of
from tests.cases import load_cases

pytestmark = pytest.mark.asyncio

SCHOOL_MEALS = dict(load_cases(valid=True))["01-school-meals-grid-example"]["answers"]


async def test_debug_logging_leaves_out_the_bodies_of_web_api_calls(
    slack: Slack, caplog: pytest.LogCaptureFixture
) -> None:
    """slack_sdk writes every request and response body at DEBUG when its logger's own
    level is unset: those bodies carry the agents' answers, and formatting them cost a
    twentieth of the CPU of a turn even with nothing printed."""
    caplog.set_level(logging.DEBUG)
    await slack.command("")
    await slack.settled()
    question = slack.posted(AGENT)[-1]
    await answer(slack, question, SCHOOL_MEALS[question_of(question)])
    assert question_of(slack.posted(AGENT)[-1]) != question_of(question)
    chatty = [
        record.getMessage()[:80]
        for record in caplog.records
        if record.name.startswith(("slack_sdk", "adapters.slack.calls"))
        and record.levelno < logging.INFO
    ]
    assert chatty == []
