"""App Home, and the DM a department's reviewers get when a triage ends in full review or
incompatible (departments and reviewers from the directory file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.slack.refs import NEW_TRIAGE, RESUME, SHOW_RESULT
from bot.app import App
from bot.notifier import Notifier
from bot.settings import Settings
from tests.adapters.slack.harness import AGENT, Slack, find_element, question_of
from tests.adapters.slack.test_triage import CASES, SCHOOL_MEALS, run_triage, triage_ids

pytestmark = pytest.mark.asyncio

REVIEWER = "URVW1"
DIRECTORY = """\
default_reviewers: ["slack:UDEFAULT"]
departments:
  - id: education
    name: {fr: Éducation, en: Education}
    reviewers: ["slack:URVW1", "teams:29:1abc"]
  - id: culture
    name: {fr: Culture, en: Culture}
    reviewers: []
"""
FLAGGED = {**CASES["06-di-ia-auto-incompatible"]["answers"], "P2": "education"}


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    directory = tmp_path / "directory.yaml"
    directory.write_text(DIRECTORY, encoding="utf-8")
    return Settings(database_url=database_url, data_dir=tmp_path / "data", directory_file=directory)


async def home_opened(slack: Slack, user: str) -> dict:
    await slack.event(
        {
            "type": "app_home_opened",
            "user": user,
            "channel": f"D{user}",
            "tab": "home",
            "event_ts": "1700000000.000100",
        }
    )
    await slack.settled()
    return slack.stub.to("views.publish")[-1].params["view"]


async def test_a_flagged_triage_is_sent_to_the_department_reviewers(slack: Slack, app: App) -> None:
    await run_triage(slack, FLAGGED)
    (triage_id,) = triage_ids(app)
    runtime = slack.platform.runtime
    assert runtime is not None
    delivered = await Notifier(app.store, {"slack": runtime.sender}).drain_once()
    assert delivered == 1  # the Teams reviewer waits for the Teams adapter
    opened = slack.stub.to("conversations.open")[-1]
    assert opened.params["users"] == REVIEWER
    notice = [c for c in slack.stub.to("chat.postMessage") if c.params["channel"] == "DURVW1"]
    assert len(notice) == 1
    shown = json.dumps(notice[0].params, ensure_ascii=False)
    assert "Éducation" in shown and triage_id in shown and "Incompatible" in shown
    find_element(notice[0].blocks, SHOW_RESULT, triage_id)

    # the "link to the full result": the reviewer may open it, a stranger may not
    await slack.click(notice[0], SHOW_RESULT, user=REVIEWER)
    await slack.click(notice[0], SHOW_RESULT, user="USTRANGER")
    await slack.settled()
    result = [c for c in slack.posted(REVIEWER) if c.params["text"].startswith("Résultat")]
    assert len(result) == 1 and triage_id in result[0].params["text"]
    (refusal,) = slack.stub.to("response_url")  # they clicked outside their own DM
    assert "seuls son auteur, les responsables de sa direction" in refusal.params["text"]

    # a second drain sends nothing again
    assert await Notifier(app.store, {"slack": runtime.sender}).drain_once() == 0

    # the reviewer's App Home lists it as waiting
    view = await home_opened(slack, REVIEWER)
    find_element(view["blocks"], SHOW_RESULT, triage_id)
    assert "En attente de votre examen" in json.dumps(view, ensure_ascii=False)


async def test_a_light_track_triage_notifies_nobody(slack: Slack, app: App) -> None:
    await run_triage(slack, SCHOOL_MEALS)
    runtime = slack.platform.runtime
    assert runtime is not None
    assert await Notifier(app.store, {"slack": runtime.sender}).drain_once() == 0
    assert slack.posted(REVIEWER) == []


async def test_a_reviewer_slack_will_never_reach_is_parked(slack: Slack, app: App) -> None:
    await run_triage(slack, FLAGGED)
    slack.stub.fail("conversations.open", 200, error="user_not_found")
    runtime = slack.platform.runtime
    assert runtime is not None
    assert await Notifier(app.store, {"slack": runtime.sender}).drain_once() == 0
    with app.store.reading() as tx:
        statuses = {m.platform: m.status for m in tx.outbox_messages()}
    assert statuses["slack"] == "parked"


async def test_a_failed_notification_is_retried_later(slack: Slack, app: App) -> None:
    await run_triage(slack, FLAGGED)
    slack.stub.fail("chat.postMessage", 200, error="internal_error")
    runtime = slack.platform.runtime
    assert runtime is not None
    assert await Notifier(app.store, {"slack": runtime.sender}).drain_once() == 0
    with app.store.reading() as tx:
        (message,) = [m for m in tx.outbox_messages() if m.platform == "slack"]
    assert message.status == "pending" and "internal_error" in message.last_error


async def test_app_home_lists_my_triages_with_their_state(slack: Slack, app: App) -> None:
    view = await home_opened(slack, AGENT)
    assert "Aucune analyse" in json.dumps(view, ensure_ascii=False)
    assert "En attente de votre examen" not in json.dumps(view, ensure_ascii=False)
    await slack.click_home(view, NEW_TRIAGE, "new")
    await slack.settled()
    assert question_of(slack.questions()[-1]) == "P1"
    await run_triage(slack, SCHOOL_MEALS)
    view = slack.stub.to("views.publish")[-1].params["view"]  # refreshed when it ended
    shown = json.dumps(view, ensure_ascii=False)
    assert "Parcours allégé" in shown and "terminée" in shown and "en cours" in shown
    done, started = triage_ids(app)
    find_element(view["blocks"], RESUME, started)
    find_element(view["blocks"], RESUME, done)
    await slack.click_home(view, RESUME, started)
    await slack.settled()
    assert question_of(slack.questions()[-1]) == "P1"
    assert slack.questions()[-1].params["channel"] == f"D{AGENT}"


async def test_the_messages_tab_does_not_publish_the_home(slack: Slack) -> None:
    await slack.event(
        {"type": "app_home_opened", "user": AGENT, "channel": f"D{AGENT}", "tab": "messages"}
    )
    await slack.settled()
    assert slack.stub.to("views.publish") == []


async def test_an_admin_and_the_author_open_the_result_a_stranger_does_not(
    slack: Slack, app: App
) -> None:
    """The one visibility rule (bot/visibility.py): admins see every result, though no review
    notice was sent to them; the author's copy offers to re-do it, nobody else's does."""
    await run_triage(slack, FLAGGED)
    (triage_id,) = triage_ids(app)
    with app.store.transaction() as tx:
        tx.add_admin("slack:UADMIN")
    home = {"id": "VHOME", "blocks": [
        {"type": "actions", "block_id": "rows", "elements": [
            {"type": "button", "action_id": SHOW_RESULT, "value": triage_id,
             "text": {"type": "plain_text", "text": "Résultat"}}
        ]}
    ]}  # fmt: skip
    for user in ("UADMIN", AGENT, "USTRANGER"):
        await slack.click_home(home, SHOW_RESULT, triage_id, user=user)
    await slack.settled()
    admin = [c for c in slack.posted("UADMIN") if c.params["text"].startswith("Résultat")]
    assert len(admin) == 1 and "retriage" not in json.dumps(admin[0].blocks)
    own = [c for c in slack.posted(AGENT) if c.params["text"].startswith("Résultat")]
    assert "retriage" in json.dumps(own[-1].blocks)
    assert not [c for c in slack.posted("USTRANGER") if "Résultat" in c.params["text"]]


async def test_a_reviewer_typing_voir_id_sees_the_result(slack: Slack, app: App) -> None:
    await run_triage(slack, FLAGGED)
    (triage_id,) = triage_ids(app)
    await slack.direct_message(f"voir {triage_id}", user=REVIEWER)
    await slack.settled()
    shown = [c for c in slack.posted(REVIEWER) if c.params["text"].startswith("Résultat")]
    assert len(shown) == 1 and "retriage" not in json.dumps(shown[0].blocks)


async def test_an_admin_standing_in_for_a_department_finds_the_request_on_the_app_home(
    slack: Slack, app: App
) -> None:
    """Culture has no reviewer and, here, nobody by default: the request goes to the admins,
    whose App Home left it out (they are named in no department)."""
    with app.store.transaction() as tx:
        tx.add_admin("slack:UADMIN")
        tx.remove_reviewer("autre", "slack:UDEFAULT")
    app.directories.forget()
    await run_triage(slack, {**FLAGGED, "P2": "culture"})
    (triage_id,) = triage_ids(app)
    view = await home_opened(slack, "UADMIN")
    assert "En attente de votre examen" in json.dumps(view, ensure_ascii=False)
    find_element(view["blocks"], SHOW_RESULT, triage_id)
