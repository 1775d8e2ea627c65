"""The real server (Slack and Teams, Teams without authentication) in a thread of its own,
on an ephemeral 127.0.0.1 port, so that hypothesis can drive it synchronously over HTTP."""

from __future__ import annotations

import asyncio
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from aiohttp import web

from adapters.server import ServeOptions, build_server, load_platform
from bot.app import App, open_app
from bot.settings import Settings
from tests.adapters.slack.harness import SECRET, TOKEN
from tests.adapters.slack.stub import SlackStub


class Server:
    """The real server in a thread of its own, so that hypothesis drives it synchronously."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.stub = SlackStub()
        """Slack's Web API as the server sees it: every call the bot made is in `calls`."""

    def _run(self) -> None:
        """The Slack Web API stub first (the platform reads its URL when it mounts)."""
        asyncio.set_event_loop(self.loop)
        stub = self.stub
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
        return self.exchange(path, body, headers)[0]

    def exchange(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        """(status, body) of a POST."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


def running_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
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
        BOUSSOLE_ENV="development",
    )
    for name in ("MicrosoftAppId", "SLACK_APP_TOKEN"):
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
