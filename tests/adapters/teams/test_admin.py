"""Flow administration from Teams: `admin …` commands and a YAML file sent in personal chat,
checked, reported with its diagram and published with the Publish button; non-admins are
refused politely and audited. Their files, never downloaded, and files too big to read are in
tests/security/test_held_flow_uploads.py."""

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

from adapters.teams.uploads import FILE_INFO
from bot.app import App
from flows.loader import MAX_FLOW_BYTES as MAX_BYTES
from tests.adapters.teams.client import AGENT, Reply, TeamsClient, texts
from tests.adapters.teams.schema15 import problems

ADMIN = "29:1admin-personal-id"
FLOW = Path(__file__).resolve().parents[3] / "flows" / "boussole-nantes.yaml"


@dataclass
class FileServer:
    """Plays SharePoint's pre-authenticated download links, on 127.0.0.1."""

    files: dict[str, bytes] = field(default_factory=dict)
    downloads: list[str] = field(default_factory=list)
    server: TestServer | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/files/{name}", self._get)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()

    async def _get(self, request: web.Request) -> web.StreamResponse:
        """The body in 16 KB writes, as a real download arrives: a reader that takes only
        what has arrived so far gets a truncated flow."""
        name = request.match_info["name"]
        self.downloads.append(name)
        if name not in self.files:
            return web.Response(status=404)
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        await response.prepare(request)
        body = self.files[name]
        for start in range(0, len(body), 16 * 1024):
            await response.write(body[start : start + 16 * 1024])
            await asyncio.sleep(0)
        await response.write_eof()
        return response

    def url(self, name: str) -> str:
        assert self.server is not None
        return str(self.server.make_url(f"/files/{name}"))


@pytest_asyncio.fixture
async def files() -> AsyncIterator[FileServer]:
    stub = FileServer()
    await stub.start()
    yield stub
    assert stub.server is not None
    await stub.server.close()


@pytest.fixture
def admin(teams_app: App) -> str:
    with teams_app.store.transaction() as tx:
        tx.add_admin(f"teams:{ADMIN}")
    return ADMIN


def _attachment(files: FileServer, name: str, content: bytes, file_type: str = "yaml") -> Any:
    files.files[name] = content
    return {
        "contentType": FILE_INFO,
        "contentUrl": f"https://contoso.sharepoint.com/personal/admin/Documents/{name}",
        "name": name,
        "content": {"downloadUrl": files.url(name), "uniqueId": "1a2b", "fileType": file_type},
    }


async def _send_file(teams: TeamsClient, user: str, *attachments: Any, **fields: Any) -> Reply:
    reply = await teams.post(teams.activity(user=user, attachments=list(attachments), **fields))
    assert reply.status == 201, reply.body
    return reply


def _changed_flow() -> bytes:
    source = FLOW.read_text("utf-8")
    changed = source.replace("{fr: Nom du projet,", "{fr: Nom du projet IA,", 1)
    assert changed != source
    return changed.encode("utf-8")


def _versions(app: App) -> list[int]:
    with app.store.reading() as tx:
        return [v.version for v in tx.versions_of()]


def _last_admin_audit(app: App) -> str:
    with app.store.reading() as tx:
        return str(tx.audit_trail("admin")[-1]["kind"])


@pytest.mark.asyncio
async def test_an_admin_checks_then_publishes_a_flow_file(
    teams: TeamsClient, teams_app: App, files: FileServer, admin: str
) -> None:
    checked = await _send_file(teams, admin, _attachment(files, "boussole.yaml", _changed_flow()))
    (call,) = checked.calls
    card = call.card
    assert card is not None and problems(card) == []
    shown = texts(card)
    assert "Vérification de la grille" in shown and "flowchart" in shown
    monospace = [b for b in card["body"] if b.get("fontType") == "Monospace"]
    assert monospace and monospace[0]["text"].startswith("flowchart")
    (button,) = card["actions"]
    assert button["title"] == "Publier"
    data = button["data"]
    assert data["boussole"] == "admin_publish" and len(data["sha256"]) == 64
    assert files.downloads == ["boussole.yaml"]
    assert _versions(teams_app) == [1]

    published = await teams.post(teams.activity(user=admin, value=data, replyToId=call.returned_id))
    said = "\n".join(c.text for c in published.calls if c.method == "POST")
    assert "publiée en version 2" in said
    (frozen,) = [c for c in published.calls if c.method == "PUT"]
    assert frozen.card is not None and "admin_publish" not in texts(frozen.card)
    assert _versions(teams_app) == [1, 2]
    with teams_app.store.reading() as tx:
        assert teams_app.catalog.latest(tx).version == 2

    version = await teams.say("admin version", user=admin)
    assert "version 2" in version.calls[0].text


@pytest.mark.asyncio
async def test_a_non_admin_publish_click_is_refused(
    teams: TeamsClient, teams_app: App, files: FileServer, admin: str
) -> None:
    checked = await _send_file(teams, admin, _attachment(files, "boussole.yaml", _changed_flow()))
    data = checked.calls[0].card["actions"][0]["data"]  # type: ignore[index]
    refused = await teams.post(teams.activity(user=AGENT, value=data))
    assert "réservée aux administrateurs" in refused.calls[0].text
    assert _last_admin_audit(teams_app) == "admin_refused"
    assert _versions(teams_app) == [1]


@pytest.mark.asyncio
async def test_files_too_big_not_yaml_or_broken_are_refused_with_the_reason(
    teams: TeamsClient, teams_app: App, files: FileServer, admin: str
) -> None:
    big = await _send_file(teams, admin, _attachment(files, "big.yaml", b"#" * (MAX_BYTES + 1)))
    assert "dépasse" in big.calls[0].text
    text = await _send_file(teams, admin, _attachment(files, "notes.txt", b"hello", "txt"))
    assert "n'est pas un fichier YAML" in text.calls[0].text
    assert "notes.txt" not in files.downloads
    broken = await _send_file(teams, admin, _attachment(files, "broken.yaml", b"id: [unclosed"))
    card = broken.calls[0].card
    assert card is not None and problems(card) == [] and "actions" not in card
    english = await _send_file(
        teams, admin, _attachment(files, "x.json", b"{}", "json"), locale="en-GB"
    )
    assert "is not a YAML file" in english.calls[0].text
    gone = {
        "contentType": FILE_INFO,
        "name": "gone.yaml",
        "content": {"downloadUrl": files.url("gone.yaml"), "fileType": "yaml"},
    }
    missing = await _send_file(teams, admin, gone)
    assert "n'a pas pu être téléchargé" in missing.calls[0].text
    remote = {
        "contentType": FILE_INFO,
        "name": "remote.yaml",
        "content": {"downloadUrl": "http://example.org/remote.yaml", "fileType": "yaml"},
    }
    refused = await _send_file(teams, admin, remote)
    assert "n'a pas pu être téléchargé" in refused.calls[0].text
    assert _versions(teams_app) == [1]


@pytest.mark.asyncio
async def test_a_file_in_a_channel_is_not_read(
    teams: TeamsClient, files: FileServer, admin: str
) -> None:
    reply = await _send_file(
        teams,
        admin,
        _attachment(files, "boussole.yaml", _changed_flow()),
        conversation="19:channel@thread.tacv2",
        conversation_type="channel",
    )
    assert "conversation privée" in reply.calls[0].text
    assert files.downloads == []


@pytest.mark.asyncio
async def test_admin_reviewer_commands_in_both_languages(
    teams: TeamsClient, teams_app: App, admin: str
) -> None:
    added = await teams.say("admin responsable ajouter education teams:29:1NewReviewer", user=admin)
    assert "Annuaire mis à jour" in added.calls[0].text
    with teams_app.store.reading() as tx:
        assert "teams:29:1NewReviewer" in tx.reviewers()["education"]
    removed = await teams.say(
        "admin reviewer remove education teams:29:1NewReviewer", user=admin, locale="en-GB"
    )
    assert "Directory updated" in removed.calls[0].text
    with teams_app.store.reading() as tx:
        assert "teams:29:1NewReviewer" not in tx.reviewers().get("education", [])
    usage = await teams.say("admin", user=admin)
    assert "admin responsable ajouter" in usage.calls[0].text


@pytest.mark.asyncio
async def test_admin_commands_refuse_non_admins(teams: TeamsClient, teams_app: App) -> None:
    for command in ("admin version", "admin responsable ajouter education teams:29:1x"):
        reply = await teams.say(command, user=AGENT)
        assert "réservée aux administrateurs" in reply.calls[0].text
        assert _last_admin_audit(teams_app) == "admin_refused"
    with teams_app.store.reading() as tx:
        assert "teams:29:1x" not in tx.reviewers().get("education", [])


def test_a_huge_report_and_diagram_are_shortened_under_the_teams_limit() -> None:
    import json

    from adapters.teams.cards import upload_card

    card = upload_card("é" * 50_000, "flowchart TD\n" + "à" * 100_000, "0" * 64, "en")
    assert problems(card) == []
    assert len(json.dumps(card).encode()) < 28 * 1024
    assert "(truncated)" in texts(card)
