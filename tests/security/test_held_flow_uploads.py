"""Attacks through flow files that held (issue #12): Python smuggled into a flow (YAML tags that
would build objects, code in conditions) is refused and never runs, from a chat upload or the
command line; and the uploads themselves: a non-admin's, one of 50 MB, and one whose declared
size lies, each refused without reading more than the limit.

"Never runs": every payload would create a sentinel file if Python built or evaluated it.
"Without reading more than the limit": the local file servers count the bytes they managed
to send before the bot hung up; a reader that stops at the limit leaves most of 50 MB unsent
(what the loopback socket buffers hold aside)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestServer
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.console.cli import cli
from adapters.teams.uploads import FILE_INFO
from bot.app import App
from bot.settings import Settings
from flows.limits import MAX_FLOW_BYTES
from flows.loader import check_source
from tests.adapters.slack.conftest import SENT
from tests.adapters.slack.harness import Slack, assert_valid_message
from tests.adapters.slack.stub import SlackStub
from tests.adapters.slack.test_admin_chat import changed_flow, find_publish, make_admin, share
from tests.adapters.teams.client import AGENT as TEAMS_AGENT
from tests.adapters.teams.client import TeamsClient
from tests.security import hostile

FIFTY_MB = 50 * 1024 * 1024
CHUNK = 64 * 1024
UNSENT = FIFTY_MB // 2
"""At least this much of a 50 MB body must stay unsent: the limit is 1 MB, and what the
loopback buffers take on top is a few MB."""
SLACK_ADMIN = "UADMIN1"
TEAMS_ADMIN = "29:1admin-personal-id"


def versions(app: App) -> list[int]:
    with app.store.reading() as tx:
        return [v.version for v in tx.versions_of()]


def last_admin_audit(app: App) -> str:
    with app.store.reading() as tx:
        return str(tx.audit_trail("admin")[-1]["kind"])


# Python in a flow file


def payloads(sentinel: Path) -> dict[str, str]:
    """Conditions that would create `sentinel` if anything built or evaluated them."""
    path = str(sentinel)
    return {
        "tag builtins.open": (
            f"{{equals: {{C1-Q5: !!python/object/apply:builtins.open [{path}, w]}}}}"
        ),
        "tag os.system": f'!!python/object/apply:os.system ["touch {path}"]',
        "tag subprocess": f"!!python/object/new:subprocess.Popen [[touch, {path}]]",
        "tag python/name": "{equals: {C1-Q5: !!python/name:os.system }}",
        "tag on a mapping": f"!!python/object:pathlib.Path {{_raw_paths: [{path}]}}",
        "expression string": f"\"open('{path}', 'w')\"",
        "eval operator": f"{{eval: \"open('{path}', 'w')\"}}",
        "exec operator": f"{{exec: \"open('{path}', 'w')\"}}",
        "dunder import": f"{{__import__: os, system: touch {path}}}",
        "lambda": f"\"lambda answers: open('{path}', 'w')\"",
        "comparison as code": f"{{equals: {{\"open('{path}','w')\": oui}}}}",
    }


SOME = ("tag builtins.open", "expression string", "eval operator")
"""One of each kind, for the slower paths (a chat upload, the command line)."""


def with_payload(payload: str) -> bytes:
    return hostile.with_condition(f"          {payload}\n")


@pytest.fixture
def sentinel(tmp_path: Path) -> Path:
    return tmp_path / "python-ran"


@pytest.mark.parametrize("case", list(payloads(Path("x"))))
def test_python_in_a_flow_file_is_refused_and_never_runs(sentinel: Path, case: str) -> None:
    result = check_source(with_payload(payloads(sentinel)[case]), "hostile.yaml")
    assert result.flow is None and result.errors
    assert not sentinel.exists()


def test_python_in_an_ask_if_is_refused_and_never_runs(sentinel: Path) -> None:
    source = hostile.BUNDLED.replace(
        "        ask_if: ", f"        ask_if: \"open('{sentinel}', 'w') or \" # ", 1
    )
    assert source != hostile.BUNDLED
    result = check_source(source.encode(), "hostile.yaml")
    assert result.flow is None and result.errors
    assert not sentinel.exists()


PYTHON_WORDS = st.sampled_from(
    ["__import__('os')", "open", "eval", "exec", "lambda x:", "os.system", "().__class__", ";"]
)


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    tag=st.sampled_from(["", "!!python/object/apply:", "!!python/object/new:", "!!python/name:"]),
    words=st.lists(PYTHON_WORDS | st.text(max_size=10), min_size=1, max_size=4),
    as_key=st.booleans(),
)
def test_any_python_looking_condition_is_refused_and_never_runs(
    tmp_path: Path, tag: str, words: list[str], as_key: bool
) -> None:
    sentinel = tmp_path / "python-ran"
    code = " ".join([*words, f"open('{sentinel}', 'w')"]).replace('"', "'").replace("\\", "/")
    scalar = f'{tag}builtins.exec ["{code}"]' if tag else f'"{code}"'
    payload = f"{{{scalar}: oui}}" if as_key else scalar
    result = check_source(with_payload(payload), "hostile.yaml")
    assert result.flow is None and result.errors
    assert not sentinel.exists()


@pytest.mark.asyncio
async def test_python_in_a_flow_shared_in_slack_is_refused_and_never_runs(
    slack: Slack, app: App, sentinel: Path
) -> None:
    make_admin(app, SLACK_ADMIN)
    for number, case in enumerate(SOME):
        payload = payloads(sentinel)[case]
        await share(slack, SLACK_ADMIN, f"F0PY{number}", "flow.yaml", with_payload(payload))
    replies = slack.posted(SLACK_ADMIN)
    assert len(replies) == len(SOME)
    assert all("Grille refusée" in r.params["text"] and not find_publish(r) for r in replies)
    assert versions(app) == [1]
    assert not sentinel.exists()


@pytest.mark.parametrize("command", ["check", "publish"])
def test_python_in_a_flow_given_to_the_command_line_is_refused_and_never_runs(
    app: App, settings: Settings, sentinel: Path, tmp_path: Path, command: str
) -> None:
    flow = tmp_path / "flow.yaml"
    env = {
        "BOUSSOLE_DATABASE_URL": settings.database_url,
        "BOUSSOLE_DATA_DIR": str(settings.data_dir),
    }
    by = ["--by", "cli:admin"] if command == "publish" else []
    for case in SOME:
        flow.write_bytes(with_payload(payloads(sentinel)[case]))
        done = CliRunner().invoke(cli, ["flows", command, str(flow), *by], env=env)
        assert done.exit_code != 0, done.output
        assert "flow.yaml:" in done.output
    assert versions(app) == [1]
    assert not sentinel.exists()


# Who may upload


@pytest.mark.asyncio
async def test_a_non_admins_flow_upload_in_slack_is_refused_audited_and_never_fetched(
    slack: Slack, app: App
) -> None:
    await share(slack, "UNOBODY", "F0FLOW2", "flow.yaml", changed_flow())
    (reply,) = slack.posted("UNOBODY")
    assert not find_publish(reply) and "administrateur" in reply.params["text"]
    assert slack.stub.to("files.info") == [] and slack.stub.downloads == []
    assert last_admin_audit(app) == "admin_refused"
    assert versions(app) == [1]


# How much is read


@dataclass
class Streamed:
    """A file served in 64 KB writes, counting what reached the socket."""

    size: int
    content_length: bool = True
    sent: int = 0
    done: asyncio.Event = field(default_factory=asyncio.Event)

    async def serve(self, request: web.Request) -> web.StreamResponse:
        headers = {"Content-Type": "application/octet-stream"}
        if self.content_length:
            headers["Content-Length"] = str(self.size)
        response = web.StreamResponse(headers=headers)
        if not self.content_length:
            response.enable_chunked_encoding()
        try:
            await response.prepare(request)
            chunk = b"#" * CHUNK
            while self.sent < self.size:
                await response.write(chunk)
                self.sent += CHUNK
            await response.write_eof()
        except (ConnectionError, RuntimeError):
            pass  # the reader hung up: what it did not take stays unsent
        finally:
            self.done.set()
        return response


class LyingSlack(SlackStub):
    """Slack's Web API whose `files.info` declares a size of its choosing, and whose file
    downloads are streamed."""

    def __init__(self) -> None:
        super().__init__()
        self.declared: dict[str, int] = {}
        self.streamed: dict[str, Streamed] = {}

    def lie(self, file_id: str, name: str, declared: int, streamed: Streamed) -> None:
        self.files[file_id] = (name, b"")
        self.declared[file_id] = declared
        self.streamed[file_id] = streamed

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        answer = super()._answer(method, params)
        file_id = str(params.get("file"))
        if method == "files.info" and file_id in self.declared:
            answer["file"]["size"] = self.declared[file_id]
        return answer

    async def _file(self, request: web.Request) -> web.StreamResponse:
        streamed = self.streamed.get(request.match_info["id"])
        if streamed is None:
            return await super()._file(request)
        self.downloads.append(dict(request.headers))
        return await streamed.serve(request)


@pytest_asyncio.fixture
async def stub() -> AsyncIterator[LyingSlack]:
    """Replaces the harness's stub for the `slack` fixture of this module."""
    started = LyingSlack()
    await started.start()
    yield started
    await started.stop()
    for call in started.calls:
        if call.method in SENT:
            assert_valid_message(call.params)


async def share_streamed(
    slack: Slack, stub: LyingSlack, file_id: str, declared: int, streamed: Streamed
) -> str:
    stub.lie(file_id, "flow.yaml", declared, streamed)
    await share(slack, SLACK_ADMIN, file_id, "flow.yaml", b"")
    return str(slack.posted(SLACK_ADMIN)[-1].params["text"])


@pytest.mark.asyncio
@pytest.mark.parametrize("declared", [MAX_FLOW_BYTES + 1, FIFTY_MB])
async def test_a_slack_upload_declared_over_the_limit_is_refused_and_never_downloaded(
    slack: Slack, app: App, stub: LyingSlack, declared: int
) -> None:
    make_admin(app, SLACK_ADMIN)
    streamed = Streamed(declared)
    said = await share_streamed(slack, stub, "F0BIG", declared, streamed)
    assert "dépasse 1000000 octets" in said
    assert stub.downloads == [] and streamed.sent == 0
    assert versions(app) == [1]


@pytest.mark.asyncio
async def test_a_slack_upload_declared_small_but_50_mb_is_refused_past_the_limit(
    slack: Slack, app: App, stub: LyingSlack
) -> None:
    make_admin(app, SLACK_ADMIN)
    streamed = Streamed(FIFTY_MB)
    said = await share_streamed(slack, stub, "F0LIAR", 2_000, streamed)
    await asyncio.wait_for(streamed.done.wait(), 30)  # a safety net
    assert "dépasse 1000000 octets" in said
    assert len(stub.downloads) == 1
    assert streamed.sent <= FIFTY_MB - UNSENT, streamed.sent
    assert versions(app) == [1]


@dataclass
class Downloads:
    """SharePoint's pre-authenticated download links, streamed, on 127.0.0.1."""

    files: dict[str, Streamed] = field(default_factory=dict)
    server: TestServer | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/files/{name}", self._get)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()

    async def _get(self, request: web.Request) -> web.StreamResponse:
        return await self.files[request.match_info["name"]].serve(request)

    def attachment(self, name: str, streamed: Streamed) -> dict[str, Any]:
        assert self.server is not None
        self.files[name] = streamed
        url = str(self.server.make_url(f"/files/{name}"))
        return {
            "contentType": FILE_INFO,
            "contentUrl": f"https://contoso.sharepoint.com/personal/admin/Documents/{name}",
            "name": name,
            "content": {"downloadUrl": url, "uniqueId": "1a2b", "fileType": "yaml"},
        }


@pytest_asyncio.fixture
async def downloads() -> AsyncIterator[Downloads]:
    served = Downloads()
    await served.start()
    yield served
    assert served.server is not None
    await served.server.close()


@pytest.fixture
def teams_admin(teams_app: App) -> str:
    with teams_app.store.transaction() as tx:
        tx.add_admin(f"teams:{TEAMS_ADMIN}")
    return TEAMS_ADMIN


@pytest.mark.asyncio
async def test_a_non_admins_flow_file_in_teams_is_refused_audited_and_never_downloaded(
    teams: TeamsClient, teams_app: App, downloads: Downloads
) -> None:
    streamed = Streamed(len(changed_flow()))
    attachment = downloads.attachment("boussole.yaml", streamed)
    reply = await teams.post(teams.activity(user=TEAMS_AGENT, attachments=[attachment]))
    assert "réservée aux administrateurs" in reply.calls[0].text
    assert streamed.sent == 0 and not streamed.done.is_set()
    assert last_admin_audit(teams_app) == "admin_refused"
    assert versions(teams_app) == [1]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "content_length", [True, False], ids=["declared 50 MB", "no declared size"]
)
async def test_a_50_mb_flow_file_in_teams_is_refused_past_the_limit(
    teams: TeamsClient,
    teams_app: App,
    downloads: Downloads,
    teams_admin: str,
    content_length: bool,
) -> None:
    streamed = Streamed(FIFTY_MB, content_length=content_length)
    attachment = downloads.attachment("big.yaml", streamed)
    reply = await teams.post(teams.activity(user=teams_admin, attachments=[attachment]))
    await asyncio.wait_for(streamed.done.wait(), 30)  # a safety net
    assert "dépasse" in reply.calls[0].text
    assert streamed.sent <= FIFTY_MB - UNSENT, streamed.sent
    assert versions(teams_app) == [1]
