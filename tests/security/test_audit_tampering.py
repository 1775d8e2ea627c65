"""Cutting or rewriting the audit trail, by someone who can write to the database but does
not hold the signing key (issue #12, defect 4).

Each attack first shows that the per-chain hashes alone miss it (what `audit verify` said
before: "intact"), then that a checkpoint signed before the attack catches it, naming what
was found.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, create_engine, delete, func, select, update

from bot import checkpoints as cp
from bot import events as ev
from bot.app import App
from bot.audit import verify
from bot.audit_log import CheckpointRefused, LogFinding, take_checkpoint, verify_log
from bot.settings import Settings
from storage import audit_log as sequence_store
from storage.repository import GENESIS, Transaction, audit, audit_hash
from tests.bot.journeys import answer_all, open_with_reviewers, start
from tests.cases import load_cases
from tests.e2e.helpers import boussole

VALID = dict(load_cases(valid=True))
LEAD = ev.Actor("slack", "ULEAD")
CASES = ("06-di-ia-auto-incompatible", "24-c4-staff-monitoring", "01-school-meals-grid-example")


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def app(settings: Settings, tmp_path: Path) -> Iterator[App]:
    opened = open_with_reviewers(settings, tmp_path, ["slack:ULEAD"])
    yield opened
    opened.close()


@pytest.fixture
def decided(app: App) -> str:
    """A flagged triage whose reviewer confirmed a full review: its chain ends with
    `review_decided`."""
    triage_id = triage(app, "24-c4-staff-monitoring")
    for action in ("claim", "confirm"):
        app.engine.handle(ev.ReviewAction(LEAD, "fr", triage_id=triage_id, action=action))
    with app.store.reading() as tx:
        assert tx.audit_trail(triage_id)[-1]["kind"] == "review_decided"
    return triage_id


def triage(app: App, case: str) -> str:
    """A finished triage, in the one department this directory has."""
    return answer_all(app, dict(VALID[case]["answers"], P2="education"))[0]


def checkpoint(app: App, key: Ed25519PrivateKey, file: Path | None = None) -> cp.Checkpoint:
    return take_checkpoint(app.store, key, file, only_if_grown=False)


def chain_problems(app: App) -> list[str]:
    with app.store.reading() as tx:
        return [finding.problem for finding in verify(tx)[1]]


def log_problems(app: App, signed: list[cp.Checkpoint], key: Ed25519PrivateKey) -> list[LogFinding]:
    sources = [(f"cp{n}", c) for n, c in enumerate(signed, start=1)]
    with app.store.reading() as tx:
        return verify_log(tx, sources, [key.public_key()]).findings


def chain_rows(tx: Transaction, chain: str) -> list[Any]:
    return list(
        tx.connection.execute(select(audit).where(audit.c.chain == chain).order_by(audit.c.seq))
    )


def rehash(connection: Connection, chain: str, renumber: bool = True) -> None:
    """What an attacker who read bot/audit.py does after an edit or a deletion: renumber the
    chain (after a deletion) and recompute every link, so that the per-chain check sees
    nothing."""
    rows = connection.execute(select(audit).where(audit.c.chain == chain).order_by(audit.c.seq))
    previous = GENESIS
    for number, row in enumerate(list(rows), start=1):
        seq = number if renumber else row.seq
        digest = audit_hash(previous, chain, seq, row.kind, row.actor, row.payload, row.created_at)
        connection.execute(
            update(audit)
            .where(audit.c.id == row.id)
            .values(seq=seq, prev_hash=previous, hash=digest)
        )
        previous = digest


def missing_count(findings: list[LogFinding]) -> int:
    return sum(f.params["count"] for f in findings if f.problem == "rows_missing")


def test_deleting_the_last_row_of_a_chain_is_detected(
    app: App, key: Ed25519PrivateKey, decided: str
) -> None:
    signed = checkpoint(app, key)
    with app.store.transaction() as tx:
        last = chain_rows(tx, decided)[-1]
        tx.connection.execute(delete(audit).where(audit.c.id == last.id))
    assert chain_problems(app) == []
    found = log_problems(app, [signed], key)
    assert [f.problem for f in found] == ["rows_missing"]
    assert found[0].params["positions"] == str(last.log_index)


def test_deleting_the_last_five_rows_of_a_chain_is_detected(
    app: App, key: Ed25519PrivateKey, decided: str
) -> None:
    signed = checkpoint(app, key)
    with app.store.transaction() as tx:
        doomed = [row.id for row in chain_rows(tx, decided)[-5:]]
        tx.connection.execute(delete(audit).where(audit.c.id.in_(doomed)))
    assert chain_problems(app) == []
    assert missing_count(log_problems(app, [signed], key)) == 5


def test_deleting_a_whole_chain_is_detected(app: App, key: Ed25519PrivateKey, decided: str) -> None:
    triage(app, "01-school-meals-grid-example")
    signed = checkpoint(app, key)
    with app.store.transaction() as tx:
        count = len(chain_rows(tx, decided))
        tx.connection.execute(delete(audit).where(audit.c.chain == decided))
    assert chain_problems(app) == []
    assert missing_count(log_problems(app, [signed], key)) == count


def test_rewriting_a_decision_and_rehashing_its_chain_is_detected(
    app: App, key: Ed25519PrivateKey, decided: str
) -> None:
    signed = checkpoint(app, key)
    with app.store.transaction() as tx:
        last = chain_rows(tx, decided)[-1]
        forged = {"decision": "overridden", "outcome": "light_track", "comment": "RAS"}
        tx.connection.execute(update(audit).where(audit.c.id == last.id).values(payload=forged))
        rehash(tx.connection, decided, renumber=False)
    assert chain_problems(app) == []
    found = log_problems(app, [signed], key)
    assert [f.problem for f in found] == ["root_mismatch"]
    assert found[0].params["first"] <= last.log_index <= found[0].params["last"]


def test_truncating_the_audit_table_is_detected(
    app: App, key: Ed25519PrivateKey, decided: str
) -> None:
    signed = checkpoint(app, key)
    with app.store.transaction() as tx:
        tx.connection.execute(delete(audit))
    assert chain_problems(app) == []
    assert missing_count(log_problems(app, [signed], key)) == signed.tree_size


def test_a_checkpoint_signed_with_another_key_is_refused(
    app: App, key: Ed25519PrivateKey, decided: str
) -> None:
    genuine = checkpoint(app, key)
    with app.store.transaction() as tx:
        tx.connection.execute(delete(audit).where(audit.c.chain == decided))
        tx.connection.execute(delete(sequence_store.checkpoints))
        tx.connection.execute(update(audit).values(log_index=None))
    attacker = Ed25519PrivateKey.generate()
    forged = checkpoint(app, attacker)
    found = log_problems(app, [genuine, forged], key)
    assert [(f.problem, f.params["source"]) for f in found] == [
        ("unknown_key", "cp2"),
        ("rows_missing", "cp1"),
    ]


def test_a_checkpoint_claiming_the_genuine_key_but_signed_by_another_is_refused(
    app: App, key: Ed25519PrivateKey, decided: str
) -> None:
    genuine = checkpoint(app, key)
    attacker = Ed25519PrivateKey.generate()
    shorter = genuine.tree_size - 1
    text = cp.signed_text(
        genuine.origin, shorter, genuine.root_hash, genuine.timestamp, genuine.key_id
    )
    forged = cp.Checkpoint(
        genuine.origin,
        shorter,
        genuine.root_hash,
        genuine.timestamp,
        genuine.key_id,
        attacker.sign(text),
    )
    edited = cp.parse(genuine.line().replace(f'"tree_size":{genuine.tree_size}', '"tree_size":1'))
    found = log_problems(app, [forged, edited], key)
    assert [f.problem for f in found] == ["bad_signature", "bad_signature"]


def test_reordering_log_positions_is_detected(
    app: App, key: Ed25519PrivateKey, decided: str
) -> None:
    signed = checkpoint(app, key)
    with app.store.transaction() as tx:
        first, second = chain_rows(tx, decided)[-2:]
        swap_positions(tx.connection, first.log_index, second.log_index)
    assert chain_problems(app) == []
    assert [f.problem for f in log_problems(app, [signed], key)] == ["root_mismatch"]


def test_renumbering_positions_to_hide_a_deletion_is_detected(
    app: App, key: Ed25519PrivateKey, decided: str
) -> None:
    triage(app, "01-school-meals-grid-example")
    signed = checkpoint(app, key)
    with app.store.transaction() as tx:
        doomed = chain_rows(tx, decided)[3]
        tx.connection.execute(delete(audit).where(audit.c.id == doomed.id))
        rehash(tx.connection, decided)
        close_gaps(tx.connection)
    assert chain_problems(app) == []
    problems = [f.problem for f in log_problems(app, [signed], key)]
    assert problems == ["rows_missing"]


def test_no_checkpoint_is_signed_over_a_truncated_log(
    app: App, key: Ed25519PrivateKey, decided: str, tmp_path: Path
) -> None:
    file = tmp_path / "checkpoints.jsonl"
    checkpoint(app, key, file)
    with app.store.transaction() as tx:
        tx.connection.execute(delete(audit).where(audit.c.id == chain_rows(tx, decided)[-1].id))
    with pytest.raises(CheckpointRefused) as refused:
        checkpoint(app, key, file)
    assert refused.value.key == "audit_checkpoint_shrunk"
    assert len(cp.read_file(file)) == 1


def test_no_checkpoint_blesses_a_rewrite_hidden_by_deleting_the_stored_checkpoints(
    app: App, key: Ed25519PrivateKey, decided: str, tmp_path: Path
) -> None:
    file = tmp_path / "checkpoints.jsonl"
    genuine = checkpoint(app, key, file)
    with app.store.transaction() as tx:
        last = chain_rows(tx, decided)[-1]
        forged = {"decision": "overridden", "outcome": "light_track", "comment": ""}
        tx.connection.execute(update(audit).where(audit.c.id == last.id).values(payload=forged))
        rehash(tx.connection, decided, renumber=False)
        tx.connection.execute(delete(sequence_store.checkpoints))
    with pytest.raises(CheckpointRefused) as refused:
        checkpoint(app, key, file)
    assert refused.value.key == "audit_checkpoint_diverged"
    assert [f.problem for f in log_problems(app, [genuine], key)] == ["root_mismatch"]


def swap_positions(connection: Connection, first: int, second: int) -> None:
    moves = ((first, -1), (second, first), (-1, second))
    for old, new in moves:
        connection.execute(update(audit).where(audit.c.log_index == old).values(log_index=new))


def close_gaps(connection: Connection) -> None:
    """Renumber positions 0, 1, 2… in their order, as an attacker hiding a deletion would."""
    query = select(audit.c.id).where(audit.c.log_index.is_not(None)).order_by(audit.c.log_index)
    for position, row_id in enumerate(list(connection.execute(query).scalars())):
        connection.execute(update(audit).where(audit.c.id == row_id).values(log_index=position))


# Properties: any tampering before a checkpoint shows; an untouched log always verifies.


@dataclass
class Logged:
    app: App
    key: Ed25519PrivateKey
    signed: list[cp.Checkpoint]


@pytest.fixture
def logged(app: App, key: Ed25519PrivateKey) -> Logged:
    """Three triages, a checkpoint after each, and a triage begun after the last one."""
    signed = []
    for case in CASES:
        triage(app, case)
        signed.append(checkpoint(app, key))
    start(app)
    return Logged(app, key, signed)


class Undo(Exception):
    """Rolls an example's transaction back."""


def attempt(
    logged: Logged, tamper: Callable[[Transaction], None], sources: list[cp.Checkpoint]
) -> list[LogFinding]:
    """Tamper, verify and roll back, in one transaction: every example starts from the same
    log without rebuilding it."""
    found: list[LogFinding] = []
    with contextlib.suppress(Undo), logged.app.store.transaction() as tx:
        tamper(tx)
        named = [(f"cp{n}", c) for n, c in enumerate(sources, start=1)]
        found = verify_log(tx, named, [logged.key.public_key()]).findings
        raise Undo
    return found


FIELDS = ("kind", "actor", "payload", "created_at", "chain", "seq", "prev_hash")
PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPERTY
@given(data=st.data())
def test_any_deletion_or_edit_before_a_checkpoint_is_detected(
    logged: Logged, data: st.DataObject
) -> None:
    covered = logged.signed[-1].tree_size
    position = st.integers(0, covered - 1)
    attack = data.draw(st.sampled_from(["delete", "hide", "edit", "swap", "unplace"]))
    rehashed = data.draw(st.booleans())

    def tamper(tx: Transaction) -> None:
        connection = tx.connection

        def row_at(at: int) -> Any:
            return connection.execute(select(audit).where(audit.c.log_index == at)).one()

        if attack in ("delete", "hide"):
            doomed = [row_at(at) for at in data.draw(st.sets(position, min_size=1, max_size=8))]
            connection.execute(delete(audit).where(audit.c.id.in_([r.id for r in doomed])))
            if attack == "hide":
                for chain in {r.chain for r in doomed}:
                    rehash(connection, chain)
                close_gaps(connection)
        elif attack == "edit":
            row = row_at(data.draw(position))
            name = data.draw(st.sampled_from(FIELDS))
            connection.execute(
                update(audit).where(audit.c.id == row.id).values({name: changed(row, name, data)})
            )
            if rehashed and name != "prev_hash":  # rehashing would undo that edit
                chain = row.chain if name != "chain" else changed(row, name, data)
                rehash(connection, chain, renumber=False)
        elif attack == "swap":
            first, second = data.draw(st.sets(position, min_size=2, max_size=2))
            swap_positions(connection, first, second)
        else:
            chosen = data.draw(st.sets(position, min_size=1, max_size=4))
            connection.execute(
                update(audit).where(audit.c.log_index.in_(chosen)).values(log_index=None)
            )

    assert attempt(logged, tamper, logged.signed) != []


def changed(row: Any, name: str, data: st.DataObject) -> Any:
    """A value for `name` that differs from the row's."""
    if name == "payload":
        return {**row.payload, "tampered": data.draw(st.integers())}
    if name == "created_at":
        return row.created_at + timedelta(microseconds=data.draw(st.integers(1, 10**9)))
    if name == "seq":
        return row.seq + data.draw(st.integers(1000, 10**6))
    if name == "chain":
        return f"x{row.chain}"[:40]
    if name == "prev_hash":
        return data.draw(
            st.text("0123456789abcdef", min_size=64, max_size=64).filter(
                lambda h: h != row.prev_hash
            )
        )
    current = getattr(row, name)
    return data.draw(st.text("abcdefghij_", min_size=1, max_size=12).filter(lambda v: v != current))


@PROPERTY
@given(data=st.data())
def test_an_untouched_log_always_verifies(logged: Logged, data: st.DataObject) -> None:
    chosen = data.draw(st.lists(st.sampled_from(logged.signed), min_size=1, max_size=6))
    sequenced = data.draw(st.booleans())

    def grow(tx: Transaction) -> None:
        if sequenced:
            sequence_store.sequence(tx)

    assert attempt(logged, grow, chosen) == []


# The real command, end to end.


def test_the_command_signs_checkpoints_and_names_a_deleted_decision(
    tmp_path: Path, cli_env: dict[str, str], database_url: str
) -> None:
    key, file = tmp_path / "audit.key", tmp_path / "checkpoints.jsonl"
    made = boussole("audit", "keygen", str(key), "--lang", "en", env=cli_env)
    assert made.returncode == 0, made.stderr
    assert (key.stat().st_mode & 0o777) == 0o600 and (tmp_path / "audit.key.pub").exists()
    assert boussole("audit", "keygen", str(key), env=cli_env).returncode == 2
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(VALID["06-di-ia-auto-incompatible"]["answers"]), "utf-8")
    assert (
        boussole("triage", "--answers", str(answers), "--format", "json", env=cli_env).returncode
        == 0
    )

    unsigned = boussole("audit", "verify", "--lang", "en", env=cli_env)
    assert unsigned.returncode == 0 and "Only the per-triage chains were checked" in unsigned.stdout

    env = dict(cli_env, BOUSSOLE_AUDIT_KEY_FILE=str(key), BOUSSOLE_AUDIT_CHECKPOINT_FILE=str(file))
    signed = boussole("audit", "checkpoint", env=env)
    assert signed.returncode == 0, signed.stderr
    assert cp.parse(signed.stdout) == cp.read_file(file)[0][1]
    assert boussole("audit", "verify", env=env).returncode == 0
    key_only = dict(cli_env, BOUSSOLE_AUDIT_KEY_FILE=str(key))
    stored = boussole("audit", "verify", "--lang", "en", env=key_only)
    assert stored.returncode == 0 and "read from the database itself" in stored.stdout

    engine = create_engine(database_url)
    with engine.begin() as connection:
        top = connection.execute(select(func.max(audit.c.id))).scalar()
        connection.execute(delete(audit).where(audit.c.id == top))
    engine.dispose()

    public_only = dict(cli_env)
    checked = boussole(
        "audit",
        "verify",
        "--checkpoint",
        str(file),
        "--public-key",
        f"{key}.pub",
        "--lang",
        "en",
        env=public_only,
    )
    assert checked.returncode == 1
    assert "1 row missing at log position" in checked.stdout
    assert f"{file}:1" in checked.stdout

    garbage = tmp_path / "garbage.jsonl"
    garbage.write_text("hello\n", "utf-8")
    refused = boussole("audit", "verify", "--checkpoint", str(garbage), "--lang", "en", env=env)
    assert refused.returncode == 2 and "line 1: not a checkpoint" in refused.stderr
    no_key = boussole("audit", "verify", "--checkpoint", str(file), "--lang", "en", env=cli_env)
    assert no_key.returncode == 2 and "needs the public key" in no_key.stderr
    bad_setting = dict(env, BOUSSOLE_AUDIT_KEY_FILE=str(tmp_path / "nowhere.key"))
    stopped = boussole("audit", "checkpoint", "--lang", "en", env=bad_setting)
    assert stopped.returncode == 2 and "BOUSSOLE_AUDIT_KEY_FILE" in stopped.stderr
