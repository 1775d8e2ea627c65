"""Replayed admin commands (issue #12, defect 7): a signed admin message sent again within
the platform's window, after a restart (a new process on the same database, which remembers
nothing of the first delivery), changes nothing. Before, only a memory of recent keys in the
process stopped it: the replay added a reviewer that another admin had removed meanwhile, or
published again a flow that a newer one had replaced."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp.test_utils import TestServer

from adapters.server import ServeOptions, build_server
from adapters.slack.refs import PUBLISH_FLOW
from adapters.teams.platform import TeamsPlatform
from bot.app import App, open_app
from bot.settings import Settings
from tests.adapters.slack.harness import APP_ID, Slack, find_element, serve, signed_headers
from tests.adapters.slack.stub import TEAM, Call, SlackStub
from tests.adapters.slack.test_admin_chat import changed_flow, share
from tests.adapters.teams.client import TeamsClient
from tests.adapters.teams.conftest import FixedTokenFactory

pytestmark = pytest.mark.asyncio

SLACK_ADMIN = "UADMINREPLAY"
TEAMS_ADMIN = "29:1admin-replay-id"
OPTIONS = ServeOptions(notifier_interval=3600)


def reviewers_of(app: App, department: str = "autre") -> list[str]:
    with app.store.reading() as tx:
        return tx.reviewers().get(department, [])


def audited(app: App, kind: str) -> int:
    with app.store.reading() as tx:
        return sum(1 for row in tx.audit_trail("admin") if row["kind"] == kind)


def said(slack: Slack) -> list[Call]:
    return [c for c in slack.stub.calls if c.method in ("chat.postMessage", "response_url")]


def removed_meanwhile(app: App, member: str) -> None:
    """Another admin takes the role back after the command was carried out."""
    with app.store.transaction() as tx:
        assert tx.remove_reviewer("autre", member)


@asynccontextmanager
async def restarted_slack(settings: Settings, slack: Slack) -> AsyncIterator[tuple[Slack, App]]:
    """A new process: a new app on the same database and a new server, empty memories."""
    app = open_app(settings)
    runner, base_url, platform = await serve(app, OPTIONS)
    try:
        yield Slack(slack.stub, base_url, slack.session, platform), app
    finally:
        await runner.cleanup()
        app.close()


def dm_event(user: str, text: str) -> str:
    return json.dumps(
        {
            "token": "verification-token",
            "team_id": TEAM,
            "api_app_id": APP_ID,
            "event": {
                "type": "message",
                "channel": f"D{user}",
                "channel_type": "im",
                "user": user,
                "text": text,
                "ts": f"{time.time():.6f}",
                "event_ts": f"{time.time():.6f}",
            },
            "type": "event_callback",
            "event_id": f"Ev{secrets.token_hex(5).upper()}",
            "event_time": int(time.time()),
        }
    )


def slash(stub: SlackStub, user: str, text: str) -> str:
    trigger = f"trigger.{secrets.token_hex(6)}"
    return urlencode(
        {
            "token": "verification-token",
            "team_id": TEAM,
            "channel_id": f"D{user}",
            "user_id": user,
            "command": "/boussole",
            "text": text,
            "api_app_id": APP_ID,
            "response_url": stub.response_url(trigger),
            "trigger_id": trigger,
        }
    )


REQUESTS: dict[str, tuple[Callable[[SlackStub, str, str], str], str]] = {
    "direct message": (lambda _stub, user, text: dm_event(user, text), "application/json"),
    "slash command": (slash, "application/x-www-form-urlencoded"),
}


@pytest.mark.parametrize("delivery", list(REQUESTS))
async def test_a_signed_slack_admin_command_replayed_after_a_restart_changes_nothing(
    slack: Slack, app: App, settings: Settings, delivery: str
) -> None:
    with app.store.transaction() as tx:
        tx.add_admin(f"slack:{SLACK_ADMIN}")
    member = "slack:UREPLAYEDREVIEWER"
    build, content_type = REQUESTS[delivery]
    body = build(slack.stub, SLACK_ADMIN, f"admin responsable ajouter autre {member}")
    signed = signed_headers(body)
    assert (await slack.post(body, content_type, signed, sign=False)).status == 200
    await slack.settled()
    assert member in reviewers_of(app)
    removed_meanwhile(app, member)
    answered = len(said(slack))

    async with restarted_slack(settings, slack) as (other, _):
        assert (await other.post(body, content_type, signed, sign=False)).status == 200
        await other.settled()

    assert member not in reviewers_of(app)
    assert audited(app, "reviewer_added") == 1
    assert len(said(slack)) == answered  # a replay is not even answered


async def test_a_replayed_publish_click_does_not_bring_back_a_replaced_flow(
    slack: Slack, app: App, settings: Settings
) -> None:
    with app.store.transaction() as tx:
        tx.add_admin(f"slack:{SLACK_ADMIN}")
    await share(slack, SLACK_ADMIN, "F0REPLAY1", "first.yaml", changed_flow())
    (report,) = slack.posted(SLACK_ADMIN)
    block, element = find_element(report.blocks, PUBLISH_FLOW)
    click = publish_click(slack, report, block, element)
    signed = signed_headers(click)
    form = "application/x-www-form-urlencoded"
    assert (await slack.post(click, form, signed, sign=False)).status == 200
    await slack.settled()
    newer = changed_flow().replace(b"Nom du projet d'IA", b"Nom du projet (IA)", 1)
    await share(slack, SLACK_ADMIN, "F0REPLAY2", "second.yaml", newer)
    second = slack.posted(SLACK_ADMIN)[-1]
    await slack.click(second, PUBLISH_FLOW, user=SLACK_ADMIN)
    await slack.settled()
    assert versions(app) == [1, 2, 3]

    async with restarted_slack(settings, slack) as (other, _):
        assert (await other.post(click, form, signed, sign=False)).status == 200
        await other.settled()

    assert versions(app) == [1, 2, 3]
    assert audited(app, "flow_published") == 3


def versions(app: App) -> list[int]:
    with app.store.reading() as tx:
        return [v.version for v in tx.versions_of()]


def publish_click(
    slack: Slack, message: Any, block: dict[str, Any], element: dict[str, Any]
) -> str:
    channel = str(message.params.get("channel"))
    ts = slack.message_ts(message)
    payload = {
        "type": "block_actions",
        "user": {"id": SLACK_ADMIN, "username": "admin", "team_id": TEAM},
        "api_app_id": APP_ID,
        "token": "verification-token",
        "container": {"type": "message", "message_ts": ts, "channel_id": channel},
        "trigger_id": f"trigger.{secrets.token_hex(6)}",
        "team": {"id": TEAM, "domain": "nantes-metropole"},
        "channel": {"id": channel, "name": "directmessage"},
        "message": {"type": "message", "ts": ts, "text": "", "blocks": message.blocks},
        "response_url": slack.stub.response_url(f"action.{secrets.token_hex(4)}"),
        "actions": [
            {
                "action_id": element["action_id"],
                "block_id": block.get("block_id", ""),
                "type": "button",
                "value": element["value"],
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


async def test_a_teams_admin_command_replayed_after_a_restart_changes_nothing(
    teams: TeamsClient, teams_app: App
) -> None:
    with teams_app.store.transaction() as tx:
        tx.add_admin(f"teams:{TEAMS_ADMIN}")
    member = "teams:29:1ReplayedReviewer"
    activity = teams.activity(user=TEAMS_ADMIN, text=f"admin responsable ajouter autre {member}")
    token = teams.token()
    assert (await teams.post(activity, token=token)).status == 201
    assert member in reviewers_of(teams_app)
    removed_meanwhile(teams_app, member)

    app = open_app(teams_app.settings)
    platform = TeamsPlatform(credentials=FixedTokenFactory())
    server = TestServer(build_server(app, [platform], OPTIONS), host="127.0.0.1")
    await server.start_server()
    other = TeamsClient(
        str(server.make_url("")).rstrip("/"), teams.connector, teams.openid, teams.session
    )
    try:
        replayed = await other.post(activity, token=token)
    finally:
        await server.close()
        app.close()

    assert replayed.status == 201
    assert member not in reviewers_of(teams_app)
    assert audited(teams_app, "reviewer_added") == 1
    assert "déjà été prise en compte" in replayed.calls[0].text


async def test_a_teams_admin_command_sent_twice_changes_nothing_the_second_time(
    teams: TeamsClient, teams_app: App
) -> None:
    """Teams had no memory of admin commands at all: the same activity ran twice."""
    with teams_app.store.transaction() as tx:
        tx.add_admin(f"teams:{TEAMS_ADMIN}")
    member = "teams:29:1TwiceReviewer"
    activity = teams.activity(user=TEAMS_ADMIN, text=f"admin reviewer add autre {member}")
    assert (await teams.post(activity)).status == 201
    removed_meanwhile(teams_app, member)
    assert (await teams.post(activity)).status == 201
    assert member not in reviewers_of(teams_app)
