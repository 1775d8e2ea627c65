"""`boussole worker` killed with SIGKILL mid-delivery, then restarted: every review notice
reaches the platform, and only one that was in flight at the kill may arrive twice."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp import web

from bot.settings import Settings
from tests.adapters.slack.stub import SlackStub
from tests.bot.journeys import answer_all, open_with_reviewers
from tests.cases import load_cases
from tests.e2e.helpers import BOUSSOLE, REPO

FLAGGED = dict(load_cases(valid=True))["06-di-ia-auto-incompatible"]["answers"]
TRIAGES = 8


class SlowStub(SlackStub):
    """Slack's Web API, answering chat.postMessage slowly so that a kill lands mid-delivery."""

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] == "chat.postMessage":
            await asyncio.sleep(0.3)
        return await super()._api(request)


@pytest_asyncio.fixture
async def stub():
    started = SlowStub()
    await started.start()
    yield started
    await started.stop()


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*BOUSSOLE, "worker"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=open(os.environ.get("WORKER_LOG", os.devnull), "ab"),
    )


@pytest.mark.asyncio
async def test_a_killed_worker_loses_no_notice_and_repeats_at_most_one(
    stub: SlackStub, settings: Settings, cli_env: dict[str, str], tmp_path: Path
) -> None:
    app = open_with_reviewers(settings, tmp_path, ["slack:URVW1"])
    try:
        triage_ids = [answer_all(app, dict(FLAGGED, P2="education"))[0] for _ in range(TRIAGES)]
        env = {
            **cli_env,
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": "secret",
            "BOUSSOLE_SLACK_API_URL": f"{stub.url}api/",
            "BOUSSOLE_OUTBOX_LEASE_SECONDS": "2",
            "NO_PROXY": "127.0.0.1,localhost",
        }
        for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
            env.pop(name, None)
        worker = start_worker(env)
        await stub.wait_for(
            lambda calls: len([c for c in calls if c.method == "chat.postMessage"]) >= 2, timeout=60
        )
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        restarted = start_worker(env)
        try:
            for _ in range(600):
                with app.store.reading() as tx:
                    statuses = {m.status for m in tx.outbox_messages()}
                if statuses == {"delivered"}:
                    break
                await asyncio.sleep(0.1)
        finally:
            restarted.send_signal(signal.SIGTERM)
            try:
                restarted.wait(timeout=30)
            except subprocess.TimeoutExpired:
                restarted.kill()
        assert statuses == {"delivered"}
        posted = [str(c.params) for c in stub.to("chat.postMessage")]
        per_triage = Counter(t for t in triage_ids for text in posted if t in text)
        assert set(per_triage) == set(triage_ids)
        assert sum(per_triage.values()) - TRIAGES <= 1
    finally:
        app.close()
