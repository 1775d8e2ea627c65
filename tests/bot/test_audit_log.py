"""The audit log's sequence and checkpoints in ordinary operation: rows committed late,
several checkpointers at once, the periodic checkpoint, and checkpoints read back from
the logs."""

from __future__ import annotations

import asyncio
import io
import logging
import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import update

from bot import checkpoints as cp
from bot.app import App, open_app
from bot.audit_log import checkpoint_if_grown, take_checkpoint, verify_log
from bot.logs import JsonFormatter
from bot.schedules import run_periodically
from bot.settings import Settings
from storage import audit_log as sequence_store
from storage.repository import ADMIN_CHAIN, audit
from tests.bot.journeys import answer_all
from tests.cases import load_cases
from tests.conftest import POSTGRES_URL

VALID = dict(load_cases(valid=True))
ANSWERS = VALID["01-school-meals-grid-example"]["answers"]


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def findings(app: App, signed: list[cp.Checkpoint], key: Ed25519PrivateKey) -> list[str]:
    sources = [(f"cp{n}", c) for n, c in enumerate(signed, start=1)]
    with app.store.reading() as tx:
        return [f.problem for f in verify_log(tx, sources, [key.public_key()]).findings]


def write(app: App, count: int, chain: str = ADMIN_CHAIN) -> None:
    for n in range(count):
        with app.store.transaction() as tx:
            tx.append_audit(chain, "note", "test", {"n": n})


def test_checkpoints_grow_with_the_log_and_all_verify(app: App, key: Ed25519PrivateKey) -> None:
    first = take_checkpoint(app.store, key, None, only_if_grown=False)
    answer_all(app, ANSWERS)
    second = take_checkpoint(app.store, key, None, only_if_grown=False)
    assert 0 < first.tree_size < second.tree_size
    assert findings(app, [second, first, first], key) == []


def test_a_new_checkpoint_never_vouches_for_an_edit_to_rows_already_signed(
    app: App, key: Ed25519PrivateKey
) -> None:
    """The next checkpoint grows the tree from the last one instead of rereading old rows:
    an edit made in between does not slip into the new signature."""
    answer_all(app, ANSWERS)
    take_checkpoint(app.store, key, None, only_if_grown=False)
    with app.store.transaction() as tx:
        tx.connection.execute(update(audit).where(audit.c.log_index == 0).values(kind="edited"))
    write(app, 1)
    later = take_checkpoint(app.store, key, None, only_if_grown=False)
    assert findings(app, [later], key) == ["root_mismatch"]


@pytest.mark.skipif(not POSTGRES_URL, reason="SQLite has one writer at a time")
def test_a_row_committed_late_is_placed_after_the_rows_already_signed(
    app: App, key: Ed25519PrivateKey
) -> None:
    """On PostgreSQL a row can commit after rows with higher ids: it must not land inside a
    tree that a checkpoint already signed."""
    inserted, release = threading.Event(), threading.Event()

    def slow_writer() -> None:
        with app.store.transaction() as tx:
            tx.append_audit("slow", "note", "test", {})
            inserted.set()
            release.wait()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    inserted.wait()
    write(app, 3)
    before = take_checkpoint(app.store, key, None, only_if_grown=False)
    release.set()
    writer.join()
    after = take_checkpoint(app.store, key, None, only_if_grown=False)
    assert after.tree_size == before.tree_size + 1
    assert findings(app, [before, after], key) == []


def test_checkpointers_running_at_once_give_each_row_one_place(
    app: App, key: Ed25519PrivateKey
) -> None:
    signed: list[cp.Checkpoint] = []
    lock = threading.Lock()
    with app.store.reading() as tx:
        before = len(tx.audit_trail(ADMIN_CHAIN))

    def checkpointer(chain: str) -> None:
        for _ in range(3):
            write(app, 2, chain)
            made = take_checkpoint(app.store, key, None, only_if_grown=False)
            with lock:
                signed.append(made)

    threads = [threading.Thread(target=checkpointer, args=(f"t{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.store.reading() as tx:
        placed = sequence_store.positions(tx)
    assert placed.contiguous and placed.count == before + 18
    assert findings(app, signed, key) == []


def test_the_periodic_checkpoint_signs_only_when_rows_were_written(
    app: App, key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    key_file, file = tmp_path / "audit.key", tmp_path / "checkpoints.jsonl"
    cp.generate_key(key_file)
    with app.store.reading() as tx:
        before = len(tx.audit_trail(ADMIN_CHAIN))
    checkpoint_if_grown(app.store, key_file, file)
    checkpoint_if_grown(app.store, key_file, file)
    write(app, 2)
    checkpoint_if_grown(app.store, key_file, file)
    assert [signed.tree_size for _, signed in cp.read_file(file)] == [before, before + 2]


@pytest.mark.asyncio
async def test_serve_and_worker_take_checkpoints_when_a_key_is_set(
    settings: Settings, tmp_path: Path
) -> None:
    key_file, file = tmp_path / "audit.key", tmp_path / "checkpoints.jsonl"
    cp.generate_key(key_file)
    app = open_app(
        settings.model_copy(update={"audit_key_file": key_file, "audit_checkpoint_file": file})
    )
    write(app, 1)
    stop = asyncio.Event()
    loop = asyncio.create_task(run_periodically(app, stop, interval=3600))
    while not file.exists() and not loop.done():
        await asyncio.sleep(0.01)
    stop.set()
    await loop
    app.close()
    assert len(cp.read_file(file)) == 1


@pytest.mark.parametrize("formatter", [JsonFormatter(), logging.Formatter("%(message)s")])
def test_a_logged_checkpoint_verifies_as_it_appears_in_the_logs(
    app: App, key: Ed25519PrivateKey, tmp_path: Path, formatter: logging.Formatter
) -> None:
    """Operators keep checkpoints in their log collector: lines picked out of the logs,
    JSON or text, are a checkpoint file as they are."""
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.setFormatter(formatter)
    logger = logging.getLogger("bot.audit_log")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        write(app, 2)
        signed = take_checkpoint(app.store, key, None, only_if_grown=False)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
    kept = tmp_path / "from-logs.txt"
    kept.write_text(output.getvalue(), "utf-8")
    assert [found for _, found in cp.read_file(kept)] == [signed]
