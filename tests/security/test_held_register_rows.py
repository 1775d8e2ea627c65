"""Register entries and departments changed by someone who can write to the database.

An entry's id names its page on the public register site (`fr/algorithms/ID.html`) and sits
in the site's links; a department's id names its page too. Before, `boussole register site`
wrote an entry id of `../../../pwn` as a file three folders above the site, and one holding
a quote as an attribute of every index page (script on the authority's public site), then
stopped half-way with an internal error. Now such rows are refused by name when read,
before anything is written, as every row Boussole never writes
(`tests/security/test_held_database_rows.py`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, select, text, update
from sqlalchemy.exc import DBAPIError

from adapters.console.cli import cli
from bot.app import App
from bot.settings import Settings
from storage.models import Department, RegisterEntry
from tests.bot.journeys import open_with_reviewers
from tests.bot.register_journeys import REVIEWERS, populate

MARK = "<b\"x'"
"""What no page may hold as written: a tag and quotes that end an attribute."""
entries, departments = RegisterEntry.__table__, Department.__table__


class Held:
    def __init__(self, app: App, root: Path, database: Engine) -> None:
        self.app, self.root, self.database = app, root, database
        with database.connect() as connection:
            self.rows = {
                table.name: [dict(r._mapping) for r in connection.execute(select(table))]
                for table in (entries, departments)
            }
        current = [r["id"] for r in self.rows["register_entries"] if not r["withdrawn_at"]]
        self.entry_id = current[0]

    def tampered(self, statement: str, value: Any) -> None:
        try:
            with self.database.begin() as connection:
                connection.execute(text(statement.format(id=self.entry_id)), {"v": value})
        except DBAPIError:  # the database's own types refuse it: no attacker writes this
            reject()

    def restore(self) -> None:
        with self.database.begin() as connection:
            for row in self.rows["register_entries"]:
                connection.execute(update(entries).where(entries.c.id == row["id"]).values(row))
            connection.execute(departments.delete())
            connection.execute(departments.insert(), self.rows["departments"])

    def console(self, *args: str) -> Result:
        env = {
            "BOUSSOLE_DATABASE_URL": self.app.settings.database_url,
            "BOUSSOLE_DATA_DIR": str(self.app.settings.data_dir),
            "LOGNAME": "agent",
            "USER": "agent",
        }
        return CliRunner().invoke(cli, list(args), env=env, input="")

    def files(self) -> set[Path]:
        return {p for p in self.root.rglob("*") if p.is_file()}


@pytest.fixture
def held(database_url: str, tmp_path: Path) -> Iterator[Held]:
    app = open_with_reviewers(
        Settings(database_url=database_url, data_dir=tmp_path / "d"), tmp_path, REVIEWERS
    )
    populate(app)
    database = create_engine(database_url)
    yield Held(app, tmp_path, database)
    database.dispose()
    app.close()


def _plainly(result: Result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Erreur interne" not in result.output and "Traceback" not in result.output
    if result.exit_code == 1:
        assert "ne peut pas être lue" in result.output, result.output
        assert "restaurent la base depuis une sauvegarde" in result.output


def _site(held: Held, name: str, *options: str) -> Result:
    before = held.files()
    result = held.console("register", "site", str(held.root / name), "--no-diagram", *options)
    written = held.files() - before
    assert all((held.root / name) in p.parents for p in written), written
    if result.exit_code != 0:
        assert written == set(), "a refused site is not half-written"
    for page in written:
        if page.suffix in (".html", ".atom"):
            assert MARK not in page.read_text("utf-8"), page
    return result


@pytest.mark.parametrize(
    ("statement", "value"),
    [
        ("UPDATE register_entries SET entry = :v WHERE id = {id}", "../../../pwn"),
        ("UPDATE register_entries SET entry = :v WHERE id = {id}", f"x{MARK} onmouseover=a"),
        ("UPDATE departments SET id = :v WHERE id = 'education'", "../../pwn"),
        ("UPDATE departments SET id = :v WHERE id = 'education'", f"e{MARK}"),
    ],
    ids=["entry-path", "entry-attribute", "department-path", "department-attribute"],
)
def test_an_id_that_would_leave_the_site_or_its_attribute_is_refused_by_name(
    held: Held, statement: str, value: str
) -> None:
    held.tampered(statement, value)
    result = _site(held, "site")
    assert result.exit_code == 1
    _plainly(result)
    assert not (held.root.parent / "pwn.html").exists()
    english = _site(held, "site-en", "--lang", "en")
    assert english.exit_code == 1 and "cannot be read" in english.output
    assert "restore the database from a backup" in english.output


def _json_text(postgres: bool) -> st.SearchStrategy[str]:
    leaves = st.none() | st.booleans() | st.integers() | st.text(max_size=10) | st.just(MARK)
    values = st.recursive(
        leaves,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.sampled_from(["status", "name", "url", MARK]), inner, max_size=3)
        ),
        max_leaves=6,
    ).map(json.dumps)
    return values if postgres else values | st.text(max_size=12)


def _attacks(postgres: bool) -> st.SearchStrategy[tuple[str, Any]]:
    as_json = "CAST(:v AS JSON)" if postgres else ":v"
    scalars = (
        st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40)
        | st.sampled_from([MARK, "../x", "unpublished", "superseded", "2026-01-01"])
        | st.integers(-5, 5)
        | st.none()
    )
    column = st.tuples(
        st.sampled_from(
            ["entry", "triage_id", "published_at", "withdrawn_at", "withdrawn_because"]
        ),
        scalars,
    ).map(lambda a: (f"UPDATE register_entries SET {a[0]} = :v WHERE id = {{id}}", a[1]))
    details = _json_text(postgres).map(
        lambda v: (f"UPDATE register_entries SET details = {as_json} WHERE id = {{id}}", v)
    )
    department = st.tuples(st.sampled_from(["id", "name_fr", "name_en"]), scalars).map(
        lambda a: (f"UPDATE departments SET {a[0]} = :v WHERE id = 'education'", a[1])
    )
    return column | details | department


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_value_in_a_register_or_department_row_is_read_or_refused_by_name(
    held: Held, data: st.DataObject
) -> None:
    postgres = held.app.settings.database_url.startswith("postgresql")
    statement, value = data.draw(_attacks(postgres))
    held.tampered(statement, value)
    try:
        for args in (["register", "list"], ["export", "register"]):
            _plainly(held.console(*args))
        _plainly(_site(held, f"site-{data.draw(st.integers(0, 10**9))}"))
    finally:
        held.restore()
