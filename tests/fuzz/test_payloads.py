"""Fuzzing the chat endpoints: whatever Slack or Teams-shaped payload arrives, correctly
signed or not, the server answers without a 5xx and stays up."""

from __future__ import annotations

import asyncio
import json
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.server import ServeOptions, build_server, load_platform
from bot.app import App, open_app
from bot.settings import Settings
from tests.adapters.slack.harness import SECRET, TOKEN, signed_headers
from tests.adapters.slack.stub import SlackStub

scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=40)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=12,
)
slack_types = st.sampled_from(
    [
        "block_actions",
        "view_submission",
        "view_closed",
        "shortcut",
        "event_callback",
        "url_verification",
        "unknown",
    ]
)
teams_types = st.sampled_from(
    ["message", "invoke", "conversationUpdate", "installationUpdate", "typing", "unknown"]
)


def slack_payload() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {"type": slack_types},
        optional={
            "user": st.fixed_dictionaries({"id": st.text(max_size=12)}) | json_values,
            "actions": st.lists(json_values, max_size=3),
            "view": json_values,
            "event": json_values,
            "container": json_values,
            "channel": json_values,
            "trigger_id": st.text(max_size=20),
        },
    )


def teams_activity() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {"type": teams_types},
        optional={
            "id": st.text(max_size=20),
            "text": st.text(max_size=60),
            "value": json_values,
            "from": st.fixed_dictionaries({"id": st.text(max_size=20)}) | json_values,
            "conversation": st.fixed_dictionaries({"id": st.text(max_size=20)}) | json_values,
            "recipient": json_values,
            "serviceUrl": st.sampled_from(["http://127.0.0.1:9/", "not a url", ""]),
            "channelId": st.sampled_from(["msteams", "emulator", ""]),
            "locale": st.text(max_size=8),
            "attachments": st.lists(json_values, max_size=2),
        },
    )


class Server:
    """The real server in a thread of its own, so that hypothesis drives it synchronously."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        """The Slack Web API stub first (the platform reads its URL when it mounts)."""
        asyncio.set_event_loop(self.loop)
        stub = SlackStub()
        url = self.loop.run_until_complete(stub.start())
        os.environ["BOUSSOLE_SLACK_API_URL"] = f"{url}api/"
        platforms = [load_platform("slack"), load_platform("teams")]
        web_app = build_server(self.app, platforms, ServeOptions(notifier_interval=3600))
        runner = web.AppRunner(web_app, access_log=None)
        self.loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        self.port = runner.addresses[0][1]
        self.runner = runner
        self.ready.set()
        self.loop.run_forever()
        self.loop.run_until_complete(runner.cleanup())
        self.loop.run_until_complete(stub.stop())

    def start(self) -> None:
        self.thread.start()
        assert self.ready.wait(60)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(60)

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> int:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    saved = {
        k: os.environ.get(k)
        for k in (
            "SLACK_BOT_TOKEN",
            "SLACK_SIGNING_SECRET",
            "BOUSSOLE_SLACK_API_URL",
            "BOUSSOLE_TEAMS_AUTH",
            "BOUSSOLE_ENV",
            "MicrosoftAppId",
            "SLACK_APP_TOKEN",
        )
    }
    os.environ.update(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        BOUSSOLE_SLACK_API_URL="http://127.0.0.1:9/api/",
        BOUSSOLE_TEAMS_AUTH="off",
    )
    for name in ("BOUSSOLE_ENV", "MicrosoftAppId", "SLACK_APP_TOKEN"):
        os.environ.pop(name, None)
    folder = tmp_path_factory.mktemp("fuzz-server")
    url = os.environ.get("BOUSSOLE_TEST_DATABASE_URL") or f"sqlite:///{folder / 'fuzz.db'}"
    app = open_app(Settings(database_url=url, data_dir=folder))
    running = Server(app)
    running.start()
    yield running
    running.stop()
    app.close()
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(payload=slack_payload(), signed=st.booleans(), as_form=st.booleans())
def test_slack_endpoint_never_answers_5xx(
    server: Server, payload: dict, signed: bool, as_form: bool
) -> None:
    if as_form:
        body = urlencode({"payload": json.dumps(payload)})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
    else:
        body = json.dumps(payload)
        headers = {"Content-Type": "application/json"}
    if signed:
        headers.update(signed_headers(body))
    status = server.post("/slack/events", body.encode(), headers)
    assert status < 500
    if not signed:
        assert status == 401


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(activity=teams_activity() | json_values)
def test_teams_endpoint_never_answers_5xx(server: Server, activity: object) -> None:
    status = server.post(
        "/api/messages", json.dumps(activity).encode(), {"Content-Type": "application/json"}
    )
    assert status < 500


def test_garbage_bodies(server: Server) -> None:
    for path in ("/slack/events", "/api/messages"):
        for body in (b"", b"\xff\xfe", b"{", b"[]", b"null", b"a=b&c"):
            assert server.post(path, body, {"Content-Type": "application/json"}) < 500
