"""Rows changed by someone who can write to the database, read back by Boussole.

Before, one such row (a status of its own, an answer that is an object or no choice of its
question, a re-done result of another shape, a flow document cut down) made every command
that met it end in "Erreur interne (KeyError: 'status_weird')", including listings of
everyone's triages; some went through unnoticed into reports. Now each is read as Boussole
wrote it or refused by name: which triage or flow version, which field, what to do.

The property writes any value into any column of a finished triage, a triage in progress
or the flow version, as an attacker would with SQL (what the database's own types refuse is
not a case), then runs the commands that read them and the engine's turns on them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from click.testing import CliRunner, Result
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from adapters.console.cli import cli
from bot import effects as fx
from bot import events as ev
from bot.answer_file import validate_answers
from bot.app import App
from bot.audit_log import CheckpointRefused, take_checkpoint
from bot.notifier import Notifier
from bot.settings import Settings
from storage.models import AnswerRow, AuditEvent, FlowVersion, Review, Triage
from storage.outbox import OutboxRecord
from tests.bot.journeys import AGENT, start
from tests.cases import load_cases
from tests.security.restart import as_if_restarted

CASES = dict(load_cases(valid=True))
SCHOOL_MEALS = CASES["01-school-meals-grid-example"]["answers"]
FLAGGED = CASES["06-di-ia-auto-incompatible"]["answers"]
UNREADABLE = "ne peut pas être lue"
triages, answers_table, versions = Triage.__table__, AnswerRow.__table__, FlowVersion.__table__
reviews, audit_events = Review.__table__, AuditEvent.__table__


@pytest.fixture
def held(app: App, settings: Settings) -> Iterator[Held]:
    with app.store.reading() as tx:
        published = app.catalog.latest(tx)
    finished, flagged = (
        app.engine.submit(
            AGENT,
            "fr",
            published,
            validate_answers(published.flow, case, app.engine.choices, "fr", "case.yaml").answers,
            (),
        ).triage_id
        for case in (SCHOOL_MEALS, FLAGGED)
    )
    asked = start(app)
    triage_id = asked.question.triage_id
    app.engine.handle(ev.Answer(AGENT, "fr", triage_id=triage_id, question_id="P1", value="Nom"))
    database = create_engine(settings.database_url)
    yield Held(
        app, settings, database, {"finished": finished, "open": triage_id, "flagged": flagged}
    )
    database.dispose()


UPDATED = ((triages, triages.c.id), (versions, versions.c.id))
REPLACED = (answers_table, reviews, audit_events)
KEPT = (*(table for table, _ in UPDATED), *REPLACED)
"""The tables the attacks write to."""


class Held:
    """Three triages (finished, in progress, flagged for review) and the flow version as
    Boussole wrote them, put back after each example so that every example starts from rows
    Boussole wrote."""

    def __init__(self, app: App, settings: Settings, database: Engine, ids: dict[str, str]) -> None:
        self.app, self.settings, self.database, self.ids = app, settings, database, ids
        self.finished, self.open, self.flagged = ids["finished"], ids["open"], ids["flagged"]
        with database.connect() as connection:
            self.rows = {
                table.name: [dict(r._mapping) for r in connection.execute(select(table))]
                for table in KEPT
            }

    @contextmanager
    def tampered(self, statement: str, value: Any) -> Iterator[None]:
        try:
            with self.database.begin() as connection:
                connection.execute(text(statement.format(**self.ids)), {"v": value})
        except DBAPIError:  # the database's own types refuse it: no attacker writes this
            reject()
        as_if_restarted(self.app)
        try:
            yield
        finally:
            self.restore()

    def restore(self) -> None:
        """Rows referenced by others (triages, flow versions) are updated back; the others
        are put back whole."""
        with self.database.begin() as connection:
            for table in REPLACED:
                connection.execute(delete(table))
            for table, key in UPDATED:
                for row in self.rows[table.name]:
                    connection.execute(update(table).where(key == row[key.name]).values(row))
            for table in REPLACED:
                connection.execute(insert(table), self.rows[table.name])
        as_if_restarted(self.app)


def json_values() -> st.SearchStrategy[Any]:
    plain = st.none() | st.booleans() | st.integers(-5, 20) | st.floats(allow_nan=False)
    words = st.sampled_from(["oui", "non", "aucune", "education", "light_track", "P1", "zz", ""])
    leaves = plain | words | st.text(max_size=12)
    return st.recursive(
        leaves,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(words, inner, max_size=3),
        max_leaves=6,
    )


TRIAGE_COLUMNS = [
    "status",
    "current_question",
    "outcome",
    "revision",
    "lang",
    "platform",
    "owner",
    "revises",
    "owner_salt",
    "flow_version_id",
    "created_at",
    "completed_at",
]
REVIEW_COLUMNS = [
    "status",
    "proposed_outcome",
    "decision",
    "final_outcome",
    "reviewer",
    "department",
    "revision",
    "created_at",
    "decided_at",
    "pending_outcome",
]
QUESTIONS = ["P1", "P2", "DI1", "C1-Q1", "C1-Q4", "C4-Q5", "C5-Q1", "C7-Q4"]
scalars = (
    st.integers(-(2**31), 2**31 - 1)
    | st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=20)
    | st.sampled_from(["completed", "in_progress", "cancelled", "C4-Q5", "end", "en", "xx"])
    | st.none()
)


def attacks(postgres: bool) -> st.SearchStrategy[tuple[str, Any]]:
    """An UPDATE and its value. On PostgreSQL a JSON value goes in as JSON; on SQLite the
    column holds whatever text is written, JSON or not."""
    as_json = "CAST(:v AS JSON)" if postgres else ":v"
    encoded = json_values().map(json.dumps)
    json_text = encoded if postgres else encoded | st.text(max_size=12)
    which = st.sampled_from(["finished", "open"])
    column = st.tuples(which, st.sampled_from(TRIAGE_COLUMNS), scalars).map(
        lambda a: (f"UPDATE triages SET {a[1]} = :v WHERE id = '{{{a[0]}}}'", a[2])
    )
    previous = st.tuples(which, json_text).map(
        lambda a: (f"UPDATE triages SET previous_result = {as_json} WHERE id = '{{{a[0]}}}'", a[1])
    )
    answer = st.tuples(which, st.sampled_from(QUESTIONS), json_text).map(
        lambda a: (
            f"UPDATE answers SET value = {as_json}"
            f" WHERE triage_id = '{{{a[0]}}}' AND question_id = '{a[1]}'",
            a[2],
        )
    )
    question = st.tuples(which, st.sampled_from(QUESTIONS), scalars).map(
        lambda a: (
            f"UPDATE answers SET question_id = :v"
            f" WHERE triage_id = '{{{a[0]}}}' AND question_id = '{a[1]}'",
            a[2],
        )
    )
    removed = st.tuples(which, st.sampled_from(QUESTIONS)).map(
        lambda a: (
            f"DELETE FROM answers WHERE triage_id = '{{{a[0]}}}' AND question_id = '{a[1]}'",
            None,
        )
    )
    document = json_text.map(lambda v: (f"UPDATE flow_versions SET document = {as_json}", v))
    review = st.tuples(st.sampled_from(REVIEW_COLUMNS), scalars).map(
        lambda a: (f"UPDATE reviews SET {a[0]} = :v WHERE triage_id = '{{flagged}}'", a[1])
    )
    row = st.sampled_from(["finished", "flagged"])
    logged = st.tuples(row, st.integers(1, 8), json_text).map(
        lambda a: (
            f"UPDATE audit_events SET payload = {as_json}"
            f" WHERE chain = '{{{a[0]}}}' AND seq = {a[1]}",
            a[2],
        )
    )
    logged_at = st.tuples(row, st.integers(1, 8), scalars).map(
        lambda a: (
            f"UPDATE audit_events SET created_at = :v WHERE chain = '{{{a[0]}}}' AND seq = {a[1]}",
            a[2],
        )
    )
    return column | previous | answer | question | removed | document | review | logged | logged_at


def console(held: Held, *args: str) -> Result:
    env = {
        "BOUSSOLE_DATABASE_URL": held.settings.database_url,
        "BOUSSOLE_DATA_DIR": str(held.settings.data_dir),
        "LOGNAME": "agent",
        "USER": "agent",
    }
    return CliRunner().invoke(cli, list(args), env=env, input="")


def said_plainly(result: Result, failure: str = UNREADABLE) -> None:
    """Read, or refused with what failed named; never a Python error."""
    words = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), words
    assert "Erreur interne" not in words and "Traceback" not in words, words
    if result.exit_code == 1:
        assert failure in words, words


def read_everything(held: Held) -> None:
    for args in (
        ["list"],
        ["report", held.finished, "--format", "json"],
        ["report", held.finished],
        ["stats"],
        ["review", "list"],
        ["export", "register"],
        ["report", held.flagged],
        ["privacy", "export", "console:agent"],
    ):
        said_plainly(console(held, *args))
    said_plainly(console(held, "audit", "verify"), "Journal d'audit altéré")
    for event in (
        ev.Why(AGENT, "fr", triage_id=held.open),
        ev.Resume(AGENT, "fr", triage_id=held.open),
        ev.Resume(AGENT, "fr", triage_id=held.finished),
        ev.Answer(AGENT, "fr", triage_id=held.open, question_id="P2", value="education"),
    ):
        turn = held.app.engine.turn(event)
        if turn.status == fx.REFUSED and "record_unreadable" in fx.codes(turn.effects):
            assert any(UNREADABLE in e.text for e in turn.effects if isinstance(e, fx.Error))


@pytest.fixture
def postgres(settings: Settings) -> bool:
    return settings.database_url.startswith("postgresql")


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_row_written_outside_boussole_is_read_or_refused_by_name(
    held: Held, postgres: bool, data: st.DataObject
) -> None:
    statement, value = data.draw(attacks(postgres))
    with held.tampered(statement, value):
        read_everything(held)


def test_a_status_of_its_own_names_the_triage_in_every_listing(held: Held) -> None:
    update_sql = f"UPDATE triages SET status = :v WHERE id = '{held.finished}'"
    with held.tampered(update_sql, "weird"):
        for args in (["list"], ["report", held.finished, "--lang", "en"]):
            result = console(held, *args)
            assert result.exit_code == 1
            assert (held.finished in result.output and "'status'" in result.output) or (
                "« status »" in result.output
            ), result.output
            assert "boussole audit verify" in result.output


def test_an_answer_no_question_offers_is_not_put_in_a_report(held: Held) -> None:
    """Before, DI1 = "zz" went into the report as an answer and the result was computed on
    it."""
    update_sql = (
        f"UPDATE answers SET value = :v WHERE triage_id = '{held.finished}' AND question_id = 'DI1'"
    )
    with held.tampered(update_sql, '"zz"'):
        result = console(held, "report", held.finished)
    assert result.exit_code == 1
    assert f"L'analyse {held.finished} ne peut pas être lue" in result.output
    assert "answers[DI1]" in result.output and "'zz'" in result.output


def test_a_turn_on_an_unreadable_triage_is_refused_and_writes_nothing(held: Held) -> None:
    update_sql = f"UPDATE answers SET value = :v WHERE triage_id = '{held.open}'"
    with held.tampered(update_sql, '{"x": 1}'):
        with held.app.store.reading() as tx:
            before = tx.triage_state(held.open), len(tx.audit_trail(held.open))
        turn = held.app.engine.turn(
            ev.Answer(AGENT, "en", triage_id=held.open, question_id="P2", value="education")
        )
        with held.app.store.reading() as tx:
            after = tx.triage_state(held.open), len(tx.audit_trail(held.open))
    assert turn.status == fx.REFUSED
    assert fx.codes(turn.effects) == {"record_unreadable"}
    assert f"Triage {held.open} cannot be read" in turn.effects[0].text
    assert after == before


def test_a_flow_document_cut_down_names_the_flow_version(held: Held) -> None:
    with held.tampered("UPDATE flow_versions SET document = :v", "{}"):
        result = console(held, "list", "--lang", "en")
    assert result.exit_code == 1
    assert "Flow version boussole-nantes v1 cannot be read" in result.output


def test_audit_verify_names_an_audit_row_changed_outside_boussole(
    held: Held, postgres: bool
) -> None:
    """Before, a payload that was not JSON (SQLite keeps any text) ended `audit verify`, the
    command meant to find such changes, in "Erreur interne (JSONDecodeError ...)"."""
    value = '"not an object"' if postgres else "not JSON"
    as_json = "CAST(:v AS JSON)" if postgres else ":v"
    where = "WHERE chain = '{finished}' AND seq = 2"
    statement = f"UPDATE audit_events SET payload = {as_json} {where}"
    with held.tampered(statement, value):
        result = console(held, "audit", "verify", "--lang", "en")
    assert result.exit_code == 1
    assert f"chain {held.finished}, row 2 (id " in result.output
    assert "content altered" in result.output and "Audit log altered: 1 problem" in result.output


def test_no_checkpoint_is_signed_over_an_unreadable_row(held: Held, postgres: bool) -> None:
    """On PostgreSQL the attack cannot be made: the timestamptz column refuses the text."""
    key = Ed25519PrivateKey.generate()
    statement = "UPDATE audit_events SET created_at = :v WHERE chain = '{finished}' AND seq = 2"
    if postgres:
        with pytest.raises(DBAPIError), held.database.begin() as connection:
            connection.execute(text(statement.format(**held.ids)), {"v": "not a time"})
        return
    with held.tampered(statement, "not a time"), pytest.raises(CheckpointRefused) as refused:
        take_checkpoint(held.app.store, key, None, only_if_grown=False)
    assert refused.value.key == "audit_checkpoint_unreadable"


@pytest.mark.asyncio
async def test_an_unreadable_notice_is_set_aside_and_the_others_still_go(
    held: Held, postgres: bool
) -> None:
    """Before, one queued notice whose payload was not JSON (SQLite) or not an object stopped
    the notifier's every drain ("outbox drain failed; trying again"): no notice went out."""
    with held.app.store.transaction() as tx:
        for n in range(2):
            tx.enqueue(f"k{n}", held.flagged, "review_request", "slack", f"U{n}", {"n": n})
    value = "[1, 2]" if postgres else "not JSON"
    as_json = "CAST(:v AS JSON)" if postgres else ":v"
    with held.database.begin() as connection:
        statement = f"UPDATE outbox SET payload = {as_json} WHERE recipient = 'U0'"
        connection.execute(text(statement), {"v": value})
    sent: list[str] = []

    async def slack(message: OutboxRecord) -> None:
        sent.append(message.recipient)

    await Notifier(held.app.store, {"slack": slack}).drain_once()
    assert sent == ["U1"]
    result = console(held, "outbox", "list", "--lang", "en")
    assert result.exit_code == 1 and "Notification" in result.output
    assert "cannot be read" in result.output and "audit verify" not in result.output
    with held.app.store.reading() as tx:
        query = text("SELECT status, last_error FROM outbox WHERE recipient = 'U0'")
        parked, reason = tx.connection.execute(query).one()
    assert parked == "parked"
    assert "backup" in reason and "audit verify" not in reason
