"""`/boussole` and direct messages: the same words, in French or English."""

from __future__ import annotations

import json

import pytest

from adapters.chat.commands import AdminCommand, Command, parse, parse_admin
from bot.app import App
from tests.adapters.slack.harness import AGENT, Slack, answer, question_of
from tests.adapters.slack.test_triage import answers_of, triage_ids


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Command("help", "", "")),
        ("  Nouvelle ", Command("start", "", "Nouvelle")),
        ("démarrer", Command("start", "", "démarrer")),
        ("Boussole !", Command("start", "", "Boussole !")),
        ("LISTE", Command("list", "", "LISTE")),
        ("list", Command("list", "", "list")),
        ("reprendre AB12CD34EF", Command("resume", "ab12cd34ef", "reprendre AB12CD34EF")),
        ("resume  ab12", Command("resume", "ab12", "resume ab12")),
        ("voir ab12cd34ef", Command("resume", "ab12cd34ef", "voir ab12cd34ef")),
        ("reprendre", Command("resume", "", "reprendre")),
        ("annuler xyz1", Command("cancel", "xyz1", "annuler xyz1")),
        ("annuler xyz", Command("unknown", "", "annuler xyz")),
        ("registre ab12cd34ef", Command("register", "ab12cd34ef", "registre ab12cd34ef")),
        ("Aide", Command("help", "", "Aide")),
        ("help", Command("help", "", "help")),
        ("bonjour", Command("help", "", "bonjour")),
        ("Mon identifiant", Command("whoami", "", "Mon identifiant")),
        (
            "admin responsable ajouter x slack:U1",
            Command(
                "admin", "responsable ajouter x slack:U1", "admin responsable ajouter x slack:U1"
            ),
        ),
        ("bonjour Boussole", Command("unknown", "", "bonjour Boussole")),
        ("reprendre a b", Command("unknown", "", "reprendre a b")),
    ],
)
def test_every_platform_reads_the_same_words_in_either_language(
    text: str, expected: Command
) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("version", AdminCommand("version")),
        (
            "Responsable AJOUTER education slack:U0ABC",
            AdminCommand("reviewer", True, "education", "slack:U0ABC"),
        ),
        (
            "reviewer remove Éducation teams:29:1Ab",
            AdminCommand("reviewer", False, "education", "teams:29:1Ab"),
        ),
        ("reviewer add education", AdminCommand("usage")),
        ("", AdminCommand("usage")),
    ],
)
def test_one_admin_grammar_keeps_member_ids_as_typed(argument: str, expected: AdminCommand) -> None:
    assert parse_admin(argument) == expected


@pytest.mark.asyncio
async def test_the_slash_command_alone_starts_a_triage_and_identifiant_names_the_person(
    slack: Slack, app: App
) -> None:
    await slack.command("")
    await slack.command("identifiant")
    await slack.settled()
    assert question_of(slack.questions()[-1]) == "P1"
    said = [c.params["text"] for c in slack.stub.to("response_url")]
    assert any(f"slack:{AGENT}" in text for text in said), said


@pytest.mark.asyncio
async def test_help_answers_in_the_person_s_language(slack: Slack) -> None:
    slack.stub.locales["UENGLISH"] = "en-US"
    await slack.command("aide")
    await slack.command("help", user="UENGLISH")
    await slack.settled()
    french, english = slack.stub.to("response_url")
    assert "nouvelle analyse" in french.params["text"] + json.dumps(french.params["blocks"])
    assert "`/boussole list`" in json.dumps(english.params["blocks"])
    assert french.params["response_type"] == "ephemeral"


@pytest.mark.asyncio
async def test_the_ack_of_a_command_comes_before_any_work(slack: Slack, app: App) -> None:
    reply = await slack.command("")
    assert reply.status == 200 and reply.body == ""


@pytest.mark.asyncio
async def test_a_command_typed_in_a_channel_continues_in_the_dm(slack: Slack) -> None:
    await slack.command("", channel="C0GENERAL")
    await slack.settled()
    (pointer,) = slack.stub.to("response_url")
    assert "app_redirect?channel=DUAGENT01" in pointer.params["text"]
    assert question_of(slack.questions()[-1]) == "P1"


@pytest.mark.asyncio
async def test_list_shows_my_triages_with_a_resume_button(slack: Slack, app: App) -> None:
    await slack.command("liste")
    await slack.settled()
    (empty,) = slack.stub.to("response_url")
    assert "Aucune analyse" in empty.params["text"]
    await slack.command("")
    await slack.settled()
    await answer(slack, slack.questions()[-1], "Cantines < 2025 & après")
    await slack.direct_message("liste")
    await slack.settled()
    listing = slack.posted()[-1]
    shown = json.dumps(listing.blocks, ensure_ascii=False)
    assert "Cantines &lt; 2025 &amp; après" in shown
    assert "en cours" in shown
    (triage_id,) = triage_ids(app)
    await slack.click(listing, "resume")
    await slack.settled()
    assert question_of(slack.questions()[-1]) == "P2"
    assert list(answers_of(app, triage_id)) == ["P1"]


@pytest.mark.asyncio
async def test_direct_messages_work_like_the_command(slack: Slack, app: App) -> None:
    await slack.direct_message("bonjour Boussole")
    await slack.settled()
    (help_reply,) = slack.posted()
    assert "Je n'ai pas compris « bonjour Boussole »" in help_reply.params["text"]
    await slack.direct_message("nouvelle")
    await slack.settled()
    (triage_id,) = triage_ids(app)
    await slack.direct_message(f"annuler {triage_id}")
    await slack.settled()
    assert "annulée" in slack.posted()[-1].params["text"]
    await slack.direct_message("annuler")
    await slack.settled()
    assert "Donnez l'identifiant de l'analyse" in slack.posted()[-1].params["text"]
    await slack.direct_message("reprendre")
    await slack.settled()
    assert "Donnez l'identifiant de l'analyse" in slack.posted()[-1].params["text"]
    await slack.direct_message("reprendre zzzzzzzzzz")
    await slack.settled()
    assert "introuvable" in slack.posted()[-1].params["text"]


@pytest.mark.asyncio
async def test_messages_that_are_not_from_a_person_in_a_dm_are_ignored(slack: Slack) -> None:
    base = {"type": "message", "user": AGENT, "text": "nouvelle", "ts": "1.1"}
    await slack.event({**base, "channel": "C0GENERAL", "channel_type": "channel"})
    await slack.event(
        {**base, "channel": "DUAGENT01", "channel_type": "im", "subtype": "message_changed"}
    )
    await slack.event({**base, "channel": "DUAGENT01", "channel_type": "im", "bot_id": "B1"})
    await slack.settled()
    assert slack.posted() == []


@pytest.mark.asyncio
async def test_the_list_shows_the_kits_ten_most_recent(slack: Slack, app: App) -> None:
    """The chat kit's listing rule: ten triages, as in Teams and Matrix (Slack listed 20)."""
    for _ in range(11):
        await slack.direct_message("nouvelle")
        await slack.settled()
    assert len(triage_ids(app)) == 11
    await slack.direct_message("liste")
    await slack.settled()
    listing = slack.posted()[-1]
    assert len(listing.params["text"].splitlines()) == 1 + 10
    assert "Seules les 10 plus récentes sont affichées." in json.dumps(
        listing.blocks, ensure_ascii=False
    )
