"""Memory of `boussole serve`: idle, with Slack and Teams both configured and with Slack
alone, once Teams has served a first request (its SDK is loaded then), and holding 100,000
stored triages (10,000 in progress) against an empty database, in the same run; and the
memory each Slack conversation under way keeps in the process.

Conversation state lives in the database, so the stored triages' figure must stay within 10%
of the idle one, and what the process keeps per conversation (bounded caches) must stay under 1 KB:
`--conversations N` people start a triage through the real Slack endpoint and answer its
first question, and tracemalloc counts what the process still holds afterwards, divided by N
(the Web API stub's record of calls is emptied first; anything else this script or the
simulated Slack keeps is counted against the server, so the figure errs high).
Run: `python bench/memory.py [--triages N] [--conversations N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.app import open_app  # noqa: E402
from bot.settings import Settings  # noqa: E402
from storage.repository import answers_table, triages  # noqa: E402
from tests.net import free_port  # noqa: E402


def fill(database: str, count: int) -> None:
    """Triages as the engine writes them, in bulk: a tenth in progress, the rest finished."""
    app = open_app(Settings(database_url=database))
    stamp = datetime.now(UTC)
    with app.store.transaction() as tx:
        version = app.catalog.latest(tx).record.id
        for start in range(0, count, 5000):
            rows = [
                {
                    "id": f"b{n:09d}",
                    "flow_version_id": version,
                    "owner": f"p{n % 500}",
                    "platform": "slack",
                    "lang": "fr",
                    "status": "in_progress" if n % 10 == 0 else "completed",
                    "current_question": "DI1" if n % 10 == 0 else None,
                    "outcome": None if n % 10 == 0 else "full_review",
                    "revision": 5,
                    "created_at": stamp,
                    "updated_at": stamp,
                    "completed_at": None if n % 10 == 0 else stamp,
                }
                for n in range(start, min(start + 5000, count))
            ]
            tx.connection.execute(insert(triages), rows)
            tx.connection.execute(
                insert(answers_table),
                [
                    {
                        "triage_id": r["id"],
                        "question_id": "P1",
                        "position": 0,
                        "value": "Projet",
                        "answered_at": stamp,
                    }
                    for r in rows
                ],
            )
    app.close()


def serve_rss(
    database: str, data_dir: str, *, teams: bool = True, teams_used: bool = False
) -> float:
    """MB resident once `serve` answers /readyz and a few requests; without Teams, what a
    Slack-only deployment pays, which tells the Bot Framework SDK's share apart. Teams builds
    its runtime (and imports the SDK) at its first request: `teams_used` sends one, an
    activity refused as malformed, to measure a server that has served Teams.

    A server that exits before answering (its port taken meanwhile by another process) is
    started again on another port, so that no other server's memory is read."""
    for _ in range(ATTEMPTS):
        rss = _serve_once(database, data_dir, teams, teams_used)
        if rss is not None:
            return rss
    raise RuntimeError(f"serve did not start in {ATTEMPTS} attempts")


ATTEMPTS = 3


def _serve_once(database: str, data_dir: str, teams: bool, teams_used: bool) -> float | None:
    port = free_port()
    env = {
        **os.environ,
        "BOUSSOLE_DATABASE_URL": database,
        "BOUSSOLE_DATA_DIR": data_dir,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": "bench",
        "BOUSSOLE_SLACK_API_URL": "http://127.0.0.1:9/api/",
        "BOUSSOLE_ENV": "development",
    }
    if teams:
        env["BOUSSOLE_TEAMS_AUTH"] = "off"
    else:
        env.pop("BOUSSOLE_TEAMS_AUTH", None)
        env.pop("MicrosoftAppId", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "adapters.console", "serve", "--port", str(port)],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if process.poll() is not None:
                return None
            try:
                for path in ("/readyz", "/healthz", "/metrics", "/readyz"):
                    urllib.request.urlopen(base + path, timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        if teams_used:
            _malformed_activity(base)
        if process.poll() is not None:
            print(f"serve exited early: {process.communicate()[1][-600:]}", file=sys.stderr)
            return None
        status = Path(f"/proc/{process.pid}/status").read_text()
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
        return kb / 1024
    finally:
        process.terminate()
        process.wait(timeout=30)


def _malformed_activity(base: str) -> None:
    """Builds the Teams runtime: the SDK must read the body to refuse it (400)."""
    request = urllib.request.Request(
        base + "/api/messages",
        data=b'{"type": "message"}',
        headers={"Content-Type": "application/json"},
    )
    try:
        urllib.request.urlopen(request, timeout=30).read()
    except urllib.error.HTTPError as error:
        if error.code != 400:
            raise


async def _conversations(database: str, count: int) -> tuple[float, list[str]]:
    """Bytes held per conversation under way, and the five sites holding the most."""
    import aiohttp

    from adapters.server import ServeOptions
    from tests.adapters.slack.harness import SECRET, TOKEN, Slack, answer, serve
    from tests.adapters.slack.stub import SlackStub

    stub = SlackStub()
    await stub.start()
    os.environ.update(
        SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, BOUSSOLE_SLACK_API_URL=stub.url + "api/"
    )
    app = open_app(Settings(database_url=database))
    runner, base_url, platform = await serve(app, ServeOptions(notifier_interval=3600))
    async with aiohttp.ClientSession() as session:
        slack = Slack(stub, base_url, session, platform)

        async def converse(first: int, last: int) -> None:
            for number in range(first, last):
                user = f"U{number:08d}"
                await slack.command(user=user)
                await slack.settled()
                await answer(slack, slack.questions(user)[-1], "Projet", user)

        await converse(0, 50)  # what every process holds once it has served anyone
        stub.calls.clear()
        gc.collect()
        before = tracemalloc.take_snapshot()
        await converse(50, 50 + count)
        stub.calls.clear()
        gc.collect()
        after = tracemalloc.take_snapshot()
    await runner.cleanup()
    await stub.stop()
    app.close()
    grown = after.compare_to(before, "lineno")
    held = sum(stat.size_diff for stat in grown)
    top = [f"{stat.size_diff / count:8.0f} B  {stat.traceback[0]}" for stat in grown[:TOP]]
    return held / count, top


TOP = 8
"""How many allocation sites the conversation figure names."""


def per_conversation(folder: str, count: int) -> tuple[float, list[str]]:
    tracemalloc.start()
    try:
        return asyncio.run(_conversations(f"sqlite:///{folder}/conversations.db", count))
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triages", type=int, default=100_000)
    parser.add_argument("--conversations", type=int, default=1_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        empty = f"sqlite:///{tmp}/empty.db"
        full = f"sqlite:///{tmp}/full.db"
        open_app(Settings(database_url=empty)).close()
        fill(full, args.triages)
        idle = serve_rss(empty, tmp)
        slack_alone = serve_rss(empty, tmp, teams=False)
        teams_used = serve_rss(empty, tmp, teams_used=True)
        loaded = serve_rss(full, tmp)
        held, top = per_conversation(tmp, args.conversations)
    print(
        f"serve, Slack and Teams configured, empty database   RSS {idle:6.1f} MB (target <= 100 MB)"
    )
    print(f"serve, Slack alone, empty database                 RSS {slack_alone:6.1f} MB")
    print(f"serve, Slack and Teams, after a first Teams request RSS {teams_used:6.1f} MB")
    print(
        f"serve, {args.triages:,} stored triages ({args.triages // 10:,} in progress)"
        f"   RSS {loaded:6.1f} MB  {loaded / idle:5.2f}x the empty one (target <= 1.10x)"
    )
    print(
        f"Slack, {args.conversations:,} conversations under way   {held:6.0f} B traced per"
        " conversation (target <= 1024 B); most held, per conversation:"
    )
    print("\n".join(top))


if __name__ == "__main__":
    main()
