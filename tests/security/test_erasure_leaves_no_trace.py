"""Erasure and retention (issue #12, defect 5): after `boussole privacy erase`, a dump of
every table holds no platform id of the person; after the retention delay, nothing links a
finished triage to its owner, while its audit chain stays intact and verifiable.

The people act through the engine and the chat administration with the idempotency keys
their platforms give (a Slack click is `user:action_ts`), so that every table the bot writes
is filled: triages, answers, audit rows, review notices in the outbox, processed keys,
conversation references, roles, a flow published from chat.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from adapters.console.cli import cli
from bot import effects as fx
from bot import events as ev
from bot.actors import SEPARATOR, owner_alias
from bot.admin import Admin
from bot.app import App
from bot.audit import verify
from bot.schedules import run_duties
from bot.settings import Settings
from flows.loader import bundled_flow_bytes
from storage.repository import OutboxRecord, now
from tests.bot.journeys import only, open_with_reviewers
from tests.cases import load_cases
from tests.dbdump import dump

AGENT = ev.Actor("slack", "UAGENTERASE1")
TEAMS_AGENT = ev.Actor("teams", "29:1TeamsAgentErase-Zq8")
REVIEWER = ev.Actor("teams", "29:1TeamsReviewerErase-Kx3")
ADMIN = ev.Actor("slack", "UADMINERASE9")
FLAGGED = dict(dict(load_cases(valid=True))["24-c4-staff-monitoring"]["answers"], P2="education")
_ticks = itertools.count(1)


def key(actor: ev.Actor) -> str:
    """A delivery key as the platforms build them: made of the user id."""
    return f"{actor.user_id}:1712345678.{next(_ticks):06d}"


@pytest.fixture
def app(settings: Settings, tmp_path: Path) -> Iterator[App]:
    opened = open_with_reviewers(
        settings, tmp_path, [f"teams:{REVIEWER.user_id}"], retention_days=30
    )
    with opened.store.transaction() as tx:
        tx.add_admin(f"slack:{ADMIN.user_id}")
        for person in (AGENT, TEAMS_AGENT, REVIEWER):
            reference = {"user": {"id": person.user_id}, "conversation": {"id": "a:1dm"}}
            tx.save_conversation(person.platform, person.user_id, reference)
    yield opened
    opened.close()


def triage(app: App, actor: ev.Actor) -> str:
    """A whole triage, answered question by question, ending in a full review."""
    ask = only(app.engine.handle(ev.StartTriage(actor, "fr", key(actor))), fx.Ask)
    triage_id = ask.question.triage_id
    while True:
        question = ask.question.question_id
        effects = app.engine.handle(
            ev.Answer(actor, "fr", key(actor), triage_id, question, FLAGGED[question])
        )
        if any(isinstance(e, fx.Show) for e in effects):
            return triage_id
        ask = only(effects, fx.Ask)


def reviewed(app: App, agent: ev.Actor) -> str:
    """A triage, its review asked about, answered by the agent and confirmed: notices go both
    ways through the outbox."""
    triage_id = triage(app, agent)
    for event in (
        ev.ReviewAction(REVIEWER, "fr", key(REVIEWER), triage_id, "claim"),
        ev.ReviewAction(REVIEWER, "fr", key(REVIEWER), triage_id, "ask", comment="Quel hôte ?"),
        ev.AgentReply(agent, "fr", key(agent), triage_id, "Un hôte en France."),
        ev.ReviewAction(REVIEWER, "fr", key(REVIEWER), triage_id, "confirm"),
    ):
        assert not any(isinstance(e, fx.Error) for e in app.engine.handle(event)), event
    return triage_id


def administered(app: App) -> None:
    """A flow published from chat and a reviewer added, by a Slack admin."""
    admin = Admin(app)
    source = bundled_flow_bytes().replace(b"{fr: Nom du projet,", b"{fr: Nom du projet IA,", 1)
    checked = admin.check_upload(ADMIN, "flow.yaml", source, "fr", key(ADMIN))
    assert checked.confirm_sha256, checked.text
    published = admin.publish_upload(ADMIN, checked.confirm_sha256, "fr", key(ADMIN))
    assert published.ok, published.text
    added = admin.change_reviewer(ADMIN, True, "autre", f"slack:{AGENT.user_id}", "fr", key(ADMIN))
    assert added.ok, added.text


def boussole(settings: Settings, *args: str) -> str:
    """The command line, on the test's database."""
    env = {
        "BOUSSOLE_DATABASE_URL": settings.resolved_database_url(),
        "BOUSSOLE_DATA_DIR": str(settings.data_dir),
    }
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def erase(settings: Settings, actor: ev.Actor) -> None:
    boussole(settings, "privacy", "erase", f"{actor.platform}:{actor.user_id}")


def everything(app: App) -> str:
    """Every column of every row of every table, as text."""
    return repr(dump(app.store.engine))


@pytest.mark.parametrize("person", [AGENT, TEAMS_AGENT, REVIEWER, ADMIN], ids=lambda a: a.user_id)
def test_erasing_a_person_leaves_their_platform_id_in_no_table(
    app: App, settings: Settings, person: ev.Actor
) -> None:
    administered(app)
    for agent in (AGENT, TEAMS_AGENT):
        reviewed(app, agent)
    run_duties(app)
    assert person.user_id in everything(app)

    erase(settings, person)

    assert person.user_id not in everything(app)
    with app.store.reading() as tx:
        assert verify(tx)[1] == []


def test_erasing_an_agent_cuts_their_alias_in_their_triages_chains(
    app: App, settings: Settings
) -> None:
    triage_id = reviewed(app, AGENT)
    with app.store.reading() as tx:
        record = tx.triage(triage_id)
        assert record is not None and record.owner_salt is not None
        named = {row["actor"] for row in tx.audit_trail(triage_id)}
        alias = f"slack{SEPARATOR}{owner_alias(record.owner_salt, record.owner)}"
    assert alias in named

    erase(settings, AGENT)

    with app.store.reading() as tx:
        record = tx.triage(triage_id)
        assert record is not None and record.owner_salt is None
        assert tx.identity(record.owner) is None


def test_past_retention_no_row_of_a_triage_leads_back_to_its_owner(app: App) -> None:
    triage_id = reviewed(app, AGENT)
    with app.store.reading() as tx:
        record = tx.triage(triage_id)
        assert record is not None
        pseudonym = record.owner
        assert record.owner_salt is not None
        alias = owner_alias(record.owner_salt, pseudonym)
        chain = tx.audit_trail(triage_id)
    assert any(row["actor"].endswith(alias) for row in chain)
    assert any(m.recipient == AGENT.user_id for m in outbox_of(app, triage_id))

    run_duties(app, now() + timedelta(days=31))

    with app.store.reading() as tx:
        record = tx.triage(triage_id)
        assert record is not None
        assert record.owner != pseudonym and record.owner_salt is None
        assert tx.identity(record.owner) is None
        chain = tx.audit_trail(triage_id)
        assert verify(tx)[1] == []
    named = {row["actor"].partition(SEPARATOR)[2] for row in chain}
    assert chain[-1]["kind"] == "pseudonymised"
    # the owner is named by the alias, whose key is gone: no join leads back to them
    assert pseudonym not in named and alias in named
    # the reviewer's decisions stay theirs: an act of office, not the agent's data
    assert identities(app, named) == [("teams", REVIEWER.user_id)]
    assert AGENT.user_id not in repr(outbox_of(app, triage_id))


def outbox_of(app: App, triage_id: str) -> list[OutboxRecord]:
    with app.store.reading() as tx:
        return tx.outbox_messages(triage_id)


def identities(app: App, pseudonyms: set[str]) -> list[tuple[str, str]]:
    with app.store.reading() as tx:
        return [found for p in pseudonyms if (found := tx.identity(p)) is not None]


def test_the_privacy_export_lists_the_persons_audit_rows_under_alias_and_pseudonym(
    app: App, settings: Settings
) -> None:
    """The log names the agent by alias in their triage's chain: the export still finds
    every row they wrote there, and their actions in other chains under their pseudonym."""
    triage_id = reviewed(app, AGENT)
    exported = boussole(settings, "privacy", "export", f"slack:{AGENT.user_id}")
    rows = json.loads(exported)["audit_events"]
    kinds = [row["kind"] for row in rows if row["chain"] == triage_id]
    assert kinds[0] == "start" and "result" in kinds and "agent_answer" in kinds
    assert "review_decided" not in kinds  # the reviewer's, not the agent's
