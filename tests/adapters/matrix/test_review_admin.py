"""A review decided in Matrix, notices delivered by the outbox; an admin's flow file checked
and published from a direct room; a partial configuration and a missing extra refused."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from mautrix.types import EventType, FileInfo, MediaMessageEventContent, MessageType

from adapters.matrix import bot as matrix_bot
from adapters.matrix import settings as matrix_settings
from adapters.matrix.client import media
from bot.app import App
from bot.notifier import Notifier
from bot.settings import SettingsError
from flows.loader import MAX_FLOW_BYTES
from tests.adapters.matrix.conftest import Accounts, Running
from tests.adapters.matrix.person import WAIT, Person, Said
from tests.adapters.matrix.test_journey import run_triage
from tests.adapters.test_missing_extra import _serve_without
from tests.cases import load_cases

CASES = dict(load_cases(valid=True))
FLOW = Path(__file__).resolve().parents[3] / "flows" / "boussole-nantes.yaml"


async def deliver(matrix: Running) -> int:
    return await Notifier(matrix.app.store, {"matrix": matrix.sender}).drain_once()


async def flagged_for_review(
    matrix: Running, people: dict[str, Person], accounts: Accounts
) -> tuple[str, Said, str, str]:
    """The reviewer's and the agent's direct rooms, and a triage of Education the agent ran
    to a full review: (triage id, its result, agent's room, reviewer's room)."""
    reviewer_room = await people["reviewer"].direct_room(accounts.bot.user_id)
    agent_room = await people["agent"].direct_room(accounts.bot.user_id)
    answers = CASES["09-di-agent-decide-di4-oui-one-factor"]["answers"]
    triage_id, result, _heard = await run_triage(matrix, people["agent"], agent_room, answers)
    return triage_id, result, agent_room, reviewer_room


@pytest.mark.asyncio
async def test_a_reviewer_claims_asks_and_confirms_from_their_direct_room(
    matrix: Running, people: dict[str, Person], accounts: Accounts, matrix_app: App
) -> None:
    agent, reviewer = people["agent"], people["reviewer"]
    triage_id, result, agent_room, reviewer_room = await flagged_for_review(
        matrix, people, accounts
    )
    assert "Éducation" in result.body

    assert await deliver(matrix) == 1
    notice = await reviewer.heard()
    assert triage_id in notice.body and f"confirmer {triage_id}" in notice.body
    assert "<p>" in notice.html

    await reviewer.say(reviewer_room, f"prendre {triage_id}")
    assert "Vous prenez en charge" in (await reviewer.heard()).body
    await reviewer.say(reviewer_room, f"demander {triage_id} Quelle base légale ?")
    assert "Question envoyée" in (await reviewer.heard()).body
    await deliver(matrix)
    told = await agent.heard_until("Quelle base légale ?")
    assert f"répondre {triage_id}" in told[-1].body
    await agent.say(agent_room, f"répondre {triage_id} L'article 6 du RGPD.")
    await agent.heard()
    await deliver(matrix)
    assert "L'article 6 du RGPD." in (await reviewer.heard_until("article 6"))[-1].body

    await reviewer.say(reviewer_room, f"confirmer {triage_id}")
    assert "Orientation confirmée" in (await reviewer.heard()).body
    await deliver(matrix)
    assert "confirme l'orientation" in (await agent.heard_until("confirme"))[-1].body
    with matrix_app.store.reading() as tx:
        review = tx.review(triage_id)
    assert review is not None and review.decision == "confirmed"


@pytest.mark.asyncio
async def test_a_reviewer_changes_the_orientation_by_typing_its_label(
    matrix: Running, people: dict[str, Person], accounts: Accounts, matrix_app: App
) -> None:
    """The notice offers the orientations as people read them, and takes them as typed."""
    reviewer = people["reviewer"]
    triage_id, _result, _agent_room, reviewer_room = await flagged_for_review(
        matrix, people, accounts
    )
    await deliver(matrix)
    notice = await reviewer.heard()
    assert "(« parcours allégé » ; « incompatible avec la doctrine »)" in notice.body
    assert "light_track" not in notice.body

    await reviewer.say(reviewer_room, f"modifier {triage_id} allégé")
    refused = await reviewer.heard()
    assert "parcours allégé ; incompatible avec la doctrine." in refused.body
    await reviewer.say(reviewer_room, f"modifier {triage_id} Parcours allégé Vu en comité.")
    assert "requalifiée" in (await reviewer.heard()).body
    with matrix_app.store.reading() as tx:
        review = tx.review(triage_id)
    assert review is not None
    assert (review.decision, review.final_outcome) == ("overridden", "light_track")
    assert review.comment == "Vu en comité."


@pytest.mark.asyncio
async def test_once_a_reviewer_decides_the_other_reviewers_notice_says_so(
    matrix: Running, people: dict[str, Person], accounts: Accounts
) -> None:
    agent, reviewer, admin = people["agent"], people["reviewer"], people["admin"]
    admin_room = await admin.direct_room(accounts.bot.user_id)
    member = f"matrix:{accounts.admin.user_id}"
    await admin.say(admin_room, f"admin responsable ajouter education {member}")
    await admin.heard()
    reviewer_room = await reviewer.direct_room(accounts.bot.user_id)
    agent_room = await agent.direct_room(accounts.bot.user_id)
    answers = CASES["09-di-agent-decide-di4-oui-one-factor"]["answers"]
    triage_id, _result, _heard = await run_triage(matrix, agent, agent_room, answers)
    assert await deliver(matrix) == 2
    notice = await admin.heard()
    assert f"confirmer {triage_id}" in notice.body
    await reviewer.heard()

    await reviewer.say(reviewer_room, f"confirmer {triage_id}")
    await reviewer.heard()
    await deliver(matrix)
    async with asyncio.timeout(WAIT):
        while not any(edit.replaces == notice.event_id for edit in admin.edits):
            await asyncio.sleep(0.05)
    edited = next(edit for edit in admin.edits if edit.replaces == notice.event_id)
    assert "confirm" in edited.body and f"confirmer {triage_id}" not in edited.body


@pytest.mark.asyncio
async def test_an_admin_uploads_a_flow_file_and_publishes_it_an_agent_cannot(
    matrix: Running, people: dict[str, Person], accounts: Accounts
) -> None:
    content = FLOW.read_bytes().replace(b"Boussole", b"Boussole ", 1)
    sha = hashlib.sha256(content).hexdigest()
    agent, admin = people["agent"], people["admin"]

    async def send_file(person: Person, room_id: str) -> None:
        url = await person.client.upload_media(content, "application/yaml", "grille.yaml")
        message = MediaMessageEventContent(
            msgtype=MessageType.FILE,
            body="grille.yaml",
            url=url,
            info=FileInfo(mimetype="application/yaml", size=len(content)),
        )
        await person.client.send_message_event(room_id, EventType.ROOM_MESSAGE, message)

    agent_room = await agent.direct_room(accounts.bot.user_id)
    await send_file(agent, agent_room)
    assert "réservée aux administrateurs" in (await agent.heard()).body

    admin_room = await admin.direct_room(accounts.bot.user_id, encrypted=True)
    await send_file(admin, admin_room)
    report = await admin.heard()
    assert "Grille vérifiée" in report.body and f"admin publier {sha}" in report.body
    await admin.say(admin_room, f"admin publier {sha}")
    assert f"sha256 {sha[:12]}" in (await admin.heard()).body


def test_a_partial_configuration_names_what_is_missing() -> None:
    base = {"BOUSSOLE_MATRIX_HOMESERVER": "https://matrix.example.org"}
    assert matrix_settings.missing_setting({}) == "BOUSSOLE_MATRIX_HOMESERVER"
    with pytest.raises(SettingsError) as raised:
        matrix_settings.missing_setting(base)
    assert raised.value.name == "BOUSSOLE_MATRIX_USER_ID"
    full = base | {"BOUSSOLE_MATRIX_USER_ID": "@b:x", "BOUSSOLE_MATRIX_DEVICE_ID": "D"}
    with pytest.raises(SettingsError) as raised:
        matrix_settings.missing_setting(full)
    assert raised.value.name == "BOUSSOLE_MATRIX_ACCESS_TOKEN"
    assert matrix_settings.missing_setting(full | {"BOUSSOLE_MATRIX_PASSWORD": "p"}) is None


def test_serve_without_the_matrix_extra_says_how_to_install_it(cli_env: dict[str, str]) -> None:
    settings = {
        "BOUSSOLE_MATRIX_HOMESERVER": "http://127.0.0.1:9",
        "BOUSSOLE_MATRIX_USER_ID": "@boussole:example.org",
        "BOUSSOLE_MATRIX_ACCESS_TOKEN": "token",
        "BOUSSOLE_MATRIX_DEVICE_ID": "DEVICE",
    }
    done = _serve_without("mautrix", cli_env, settings)
    assert done.returncode == 2
    assert "pip install 'boussole-ia[matrix]'" in done.stderr
    assert "docs/matrix.md" in done.stderr


@pytest.mark.asyncio
async def test_a_reviewer_and_an_admin_typing_voir_id_see_the_result(
    matrix: Running, people: dict[str, Person], accounts: Accounts
) -> None:
    """The one visibility rule (bot/visibility.py), through Matrix as through the others."""
    agent, reviewer, admin = people["agent"], people["reviewer"], people["admin"]
    agent_room = await agent.direct_room(accounts.bot.user_id)
    answers = CASES["09-di-agent-decide-di4-oui-one-factor"]["answers"]
    triage_id, result, _heard = await run_triage(matrix, agent, agent_room, answers)
    assert "les administrateurs de Boussole le produisent" in result.body
    assert "écrivez « boussole »" in result.body and "--ask" not in result.body
    reviewer_room = await reviewer.direct_room(accounts.bot.user_id)
    await reviewer.say(reviewer_room, f"voir {triage_id}")
    shown = await reviewer.heard_until("Résultat de l'analyse")
    assert triage_id in shown[-1].body
    assert "écrivez « boussole »" not in shown[-1].body  # another's triage: not theirs to redo
    admin_room = await admin.direct_room(accounts.bot.user_id)
    await admin.say(admin_room, f"voir {triage_id}")
    assert triage_id in (await admin.heard_until("Résultat de l'analyse"))[-1].body


@pytest.mark.asyncio
async def test_a_file_not_yaml_or_bigger_than_it_says_is_refused_and_read_no_further(
    matrix: Running,
    people: dict[str, Person],
    accounts: Accounts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Matrix read a file whole before checking its size; the kit stops a chunk past it, or
    before the body when the media's Content-Length already says (`adapters.chat.download`)."""
    admin = people["admin"]
    read: list[int] = []

    async def counted(client: Any, url: Any) -> AsyncIterator[bytes]:
        async for chunk in media(client, url):
            read.append(len(chunk))
            yield chunk

    monkeypatch.setattr(matrix_bot, "media", counted)

    async def send_file(name: str, content: bytes, declared: int) -> None:
        url = await admin.client.upload_media(content, "application/yaml", name)
        message = MediaMessageEventContent(
            msgtype=MessageType.FILE,
            body=name,
            url=url,
            info=FileInfo(mimetype="application/yaml", size=declared),
        )
        await admin.client.send_message_event(room_id, EventType.ROOM_MESSAGE, message)

    room_id = await admin.direct_room(accounts.bot.user_id)
    await send_file("notes.txt", b"id: x", 5)
    assert "n'est pas un fichier YAML" in (await admin.heard()).body
    assert read == []
    await send_file("grille.yaml", b"#" * (MAX_FLOW_BYTES * 3), 10)
    said = (await admin.heard()).body  # the kit's words, as in Slack and Teams
    assert f"« grille.yaml » dépasse {MAX_FLOW_BYTES} octets" in said
    assert sum(read) <= MAX_FLOW_BYTES + 64 * 1024  # the kit's download: no body past that


@pytest.mark.asyncio
async def test_a_flow_file_sent_in_a_shared_room_is_refused_unread(
    matrix: Running,
    people: dict[str, Person],
    accounts: Accounts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The kit's rule, as in a Slack or Teams channel: flow files go to the direct room."""
    admin, agent = people["admin"], people["agent"]
    read: list[int] = []

    async def counted(client: Any, url: Any) -> AsyncIterator[bytes]:
        async for chunk in media(client, url):
            read.append(len(chunk))
            yield chunk

    monkeypatch.setattr(matrix_bot, "media", counted)
    invitees = [accounts.bot.user_id, accounts.agent.user_id]
    room_id = str(await admin.client.create_room(invitees=invitees))
    await agent.client.join_room(room_id)
    async with asyncio.timeout(WAIT):
        while accounts.bot.user_id not in await admin.client.get_joined_members(room_id):
            await asyncio.sleep(0.05)
    content = FLOW.read_bytes()
    url = await admin.client.upload_media(content, "application/yaml", "grille.yaml")
    message = MediaMessageEventContent(
        msgtype=MessageType.FILE,
        body="grille.yaml",
        url=url,
        info=FileInfo(mimetype="application/yaml", size=len(content)),
    )
    await admin.client.send_message_event(room_id, EventType.ROOM_MESSAGE, message)
    assert "votre salon direct avec moi" in (await admin.heard()).body
    assert read == []
