"""When one reviewer decides, every other reviewer's copy of the notice shows the decision in
place of its buttons (chat.update of the copy where it was posted), even a copy that was
still on its way when the decision was made."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.slack.client import LruCache
from adapters.slack.refs import REVIEW_CLAIM, REVIEW_CONFIRM
from bot import events as ev
from bot.app import App
from bot.notifier import Notifier
from bot.settings import Settings
from tests.adapters.slack.harness import Slack, find_element
from tests.adapters.slack.stub import Call
from tests.adapters.slack.test_home_and_reviews import FLAGGED
from tests.adapters.slack.test_triage import run_triage, triage_ids

pytestmark = pytest.mark.asyncio

FIRST, SECOND = "URVW1", "URVW2"
DIRECTORY = """\
departments:
  - id: education
    name: {fr: Éducation, en: Education}
    reviewers: ["slack:URVW1", "slack:URVW2"]
"""


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    directory = tmp_path / "directory.yaml"
    directory.write_text(DIRECTORY, encoding="utf-8")
    return Settings(database_url=database_url, data_dir=tmp_path / "data", directory_file=directory)


async def drain(slack: Slack, app: App) -> int:
    runtime = slack.platform.runtime
    assert runtime is not None
    return await Notifier(app.store, {"slack": runtime.sender}).drain_once()


def has_buttons(blocks: list[dict]) -> bool:
    actions = {e.get("action_id") for b in blocks for e in b.get("elements") or []}
    return bool(actions & {REVIEW_CLAIM, REVIEW_CONFIRM})


def updates_of(slack: Slack, notice: Call) -> list[Call]:
    return [
        c
        for c in slack.stub.to("chat.update")
        if (c.params["channel"], c.params["ts"])
        == (notice.params["channel"], notice.response["ts"])
    ]


async def test_the_second_reviewers_notice_loses_its_buttons_once_the_first_decides(
    slack: Slack, app: App
) -> None:
    await run_triage(slack, FLAGGED)
    (triage_id,) = triage_ids(app)
    assert await drain(slack, app) == 2
    (first,), (second,) = slack.posted(FIRST), slack.posted(SECOND)
    find_element(second.blocks, REVIEW_CONFIRM, triage_id)

    await slack.click(first, REVIEW_CONFIRM, user=FIRST)
    await slack.settled()
    assert updates_of(slack, second) == []
    assert await drain(slack, app) == 2  # the agent's news, and the second reviewer's copy
    (updated,) = updates_of(slack, second)
    assert not has_buttons(updated.blocks)
    assert "Orientation confirmée pour" in json.dumps(updated.blocks, ensure_ascii=False)


async def test_a_copy_still_on_its_way_goes_out_decided(slack: Slack, app: App) -> None:
    await run_triage(slack, FLAGGED)
    (triage_id,) = triage_ids(app)
    app.engine.handle(
        ev.ReviewAction(ev.Actor("slack", FIRST), "fr", triage_id=triage_id, action="confirm")
    )
    await drain(slack, app)
    (second,) = slack.posted(SECOND)
    assert not has_buttons(second.blocks)
    assert "Orientation confirmée pour" in json.dumps(second.blocks, ensure_ascii=False)


async def test_a_copy_is_closed_in_the_language_it_was_posted_in(slack: Slack, app: App) -> None:
    """The chat kit's rule: a reviewer who switched Slack to French after an English copy
    reached them sees that copy closed in English, as it was written (Slack used to redraw it
    in their locale of the moment)."""
    slack.stub.locales[SECOND] = "en-US"
    await run_triage(slack, FLAGGED)
    assert await drain(slack, app) == 2
    (second,) = slack.posted(SECOND)
    slack.stub.locales[SECOND] = "fr-FR"
    runtime = slack.platform.runtime
    assert runtime is not None
    runtime.out._langs = LruCache()  # forget the locale read when the copy was posted

    (first,) = slack.posted(FIRST)
    await slack.click(first, REVIEW_CONFIRM, user=FIRST)
    await slack.settled()
    await drain(slack, app)
    (updated,) = updates_of(slack, second)
    assert "Orientation confirmed for" in json.dumps(updated.blocks, ensure_ascii=False)
