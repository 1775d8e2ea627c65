"""Audit verification, exports and erasure: what auditors and the public rely on."""

from __future__ import annotations

import csv
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import delete, update

from bot import events as ev
from bot.app import App
from bot.audit import verify
from bot.exports import REGISTER_COLUMNS, register_csv, register_row
from bot.report_facts import report_header
from bot.report_html import html_report
from bot.report_pdf import pdf_report
from storage.repository import audit
from tests.bot.journeys import AGENT, answer_all
from tests.cases import load_cases

VALID = dict(load_cases(valid=True))


@pytest.fixture
def finished(app: App) -> str:
    triage_id, _ = answer_all(app, VALID["06-di-ia-auto-incompatible"]["answers"])
    return triage_id


def findings(app: App) -> list[tuple[int, str]]:
    with app.store.reading() as tx:
        _, found = verify(tx)
    return [(f.seq, f.problem) for f in found]


def test_an_intact_log_verifies(app: App, finished: str) -> None:
    assert findings(app) == []


def test_an_edited_row_is_named(app: App, finished: str) -> None:
    with app.store.transaction() as tx:
        tx.connection.execute(
            update(audit)
            .where(audit.c.chain == finished, audit.c.seq == 3)
            .values(payload={"question": "P2", "value": "culture"})
        )
    assert findings(app) == [(3, "edited")]


def test_a_deleted_row_is_named(app: App, finished: str) -> None:
    with app.store.transaction() as tx:
        tx.connection.execute(delete(audit).where(audit.c.chain == finished, audit.c.seq == 4))
    assert findings(app) == [(5, "missing_before")]


def test_a_reordered_row_is_named(app: App, finished: str) -> None:
    with app.store.transaction() as tx:
        rows = tx.audit_trail(finished)
        first, second = rows[2]["id"], rows[3]["id"]
        tx.connection.execute(update(audit).where(audit.c.id == first).values(id=-1))
        tx.connection.execute(update(audit).where(audit.c.id == second).values(id=first))
        tx.connection.execute(update(audit).where(audit.c.id == -1).values(id=second))
    assert "out_of_order" in {problem for _, problem in findings(app)}


def test_register_has_the_documented_header_and_no_personal_data(app: App, finished: str) -> None:
    with app.store.reading() as tx:
        record = tx.triage(finished)
        row = register_row(
            app.engine.result(tx, finished, "fr"), record.created_at, record.completed_at, None
        )
    parsed = list(csv.DictReader(io.StringIO(register_csv([row]))))
    assert tuple(parsed[0]) == REGISTER_COLUMNS
    assert parsed[0]["orientation"] == "incompatible"
    assert AGENT.user_id not in register_csv([row])


def test_pdf_and_html_reports_carry_the_rules(app: App, finished: str) -> None:
    with app.store.reading() as tx:
        view = app.engine.result(tx, finished, "fr")
        header = report_header(view, tx.triage(finished), tx.review(finished))
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf_report(view, header, "fr"))).pages
    )
    assert "DI-R1" in text and "Incompatible" in text
    page = html_report(view, header, "en")
    assert '<html lang="en">' in page and '<th scope="col">' in page and "DI-R1" in page


def test_erasure_unlinks_the_person_and_keeps_the_chain(app: App, finished: str) -> None:
    with app.store.transaction() as tx:
        pseudonym, count = tx.erase_person(AGENT.platform, AGENT.user_id)
    assert pseudonym and count == 1
    effects = app.engine.handle(ev.Resume(AGENT, "fr", triage_id=finished))
    assert "autre personne" in effects[0].text
    assert findings(app) == []


def test_register_json_validates_against_the_shipped_schema(app: App, finished: str) -> None:
    import json
    from pathlib import Path

    import jsonschema

    schema = json.loads((Path(__file__).parents[2] / "docs" / "register.schema.json").read_text())
    with app.store.reading() as tx:
        record = tx.triage(finished)
        row = register_row(
            app.engine.result(tx, finished, "fr"), record.created_at, record.completed_at, None
        )
    jsonschema.validate([row.values], schema)
