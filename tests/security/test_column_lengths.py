"""Column lengths (issue #12, defect 6): PostgreSQL enforces `varchar(n)`, SQLite does not, so a
command that worked on SQLite raised StringDataRightTruncation on PostgreSQL (a publisher
named in 31 characters, any Teams admin publishing from chat, a notice to a Teams reviewer
with a long id). Every column holds the longest value its boundary lets through
(`storage.limits`), and a longer value is refused at the boundary with a message naming it,
never by the database. Run on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import JSON, Boolean, DateTime, Integer, String, Table, Text, insert, select

from adapters.console.cli import cli
from bot import effects as fx
from bot import events as ev
from bot.actors import shown
from bot.admin import Admin
from bot.app import App
from bot.directory import load_directory
from bot.members import ROLE_PLATFORMS
from bot.publishing import PublishRefused, publish, simulate
from bot.settings import Settings
from flows.loader import bundled_flow_bytes, load_source
from flows.problems import FlowError
from storage import limits
from storage.models import Base
from tests.bot.journeys import answer_all, only, open_with_reviewers
from tests.cases import load_cases

LONG_TEAMS_ID = "29:1" + "x" * (limits.USER_ID - 4)
"""The longest user id a platform may send; Teams ids are about a hundred characters."""


def longest(column: Any) -> Any:
    """The longest value a column holds, in characters that are two bytes in UTF-8 (a
    length counted in bytes would show)."""
    kind = column.type
    if isinstance(kind, String) and not isinstance(kind, Text) and kind.length:
        return "é" * kind.length
    if isinstance(kind, Text):
        return "é" * 20_000
    if isinstance(kind, Boolean):
        return True
    if isinstance(kind, Integer):
        return 1_000_000
    if isinstance(kind, DateTime):
        return datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    if isinstance(kind, JSON):
        return {"é": "é" * 100}
    raise AssertionError(f"no longest value for {column.table.name}.{column.name}: {kind!r}")


def row_of(table: Table) -> dict[str, Any]:
    return {column.name: longest(column) for column in table.columns}


def test_every_text_column_holds_its_longest_value(app: App) -> None:
    """Foreign keys line up by construction: the same column type gives the same value."""
    with app.store.transaction() as tx:
        for table in Base.metadata.sorted_tables:
            tx.connection.execute(insert(table).values(**row_of(table)))
    with app.store.reading() as tx:
        for table in Base.metadata.sorted_tables:
            wanted = row_of(table)
            by_key = [c == wanted[c.name] for c in table.primary_key.columns]
            found = tx.connection.execute(select(table).where(*by_key)).one()._mapping
            strings = [c.name for c in table.columns if isinstance(c.type, String)]
            assert {n: found[n] for n in strings} == {n: wanted[n] for n in strings}, table.name


def test_each_checked_length_fits_its_column() -> None:
    """The limits the boundaries check are the columns' own, or shorter."""
    columns = {
        f"{t.name}.{c.name}": c.type.length
        for t in Base.metadata.tables.values()
        for c in t.columns
        if isinstance(c.type, String) and c.type.length
    }
    fits = {
        "actors.platform": limits.PLATFORM,
        "actors.user_id": limits.USER_ID,
        "conversation_refs.user_id": limits.USER_ID,
        "outbox.recipient": limits.USER_ID,
        "reviewers.reviewer": limits.MEMBER,
        "admins.member": limits.MEMBER,
        "audit_events.actor": limits.PLATFORM + 1 + limits.PSEUDONYM,
        "flow_versions.published_by": limits.PLATFORM + 1 + limits.PSEUDONYM,
        "flow_uploads.uploaded_by": limits.PLATFORM + 1 + limits.PSEUDONYM,
        "flow_versions.flow_id": limits.IDENTIFIER,
        "flow_versions.note": limits.NOTE,
        "answers.question_id": limits.IDENTIFIER,
        "triages.current_question": limits.IDENTIFIER,
        "departments.id": limits.IDENTIFIER,
        "departments.name_fr": limits.NAME,
        "reviews.department": limits.IDENTIFIER,
        "processed_events.key": limits.DIGEST,
        "outbox.key": limits.DIGEST,
    }
    assert {name: columns[name] >= most for name, most in fits.items()} == dict.fromkeys(fits, True)


# The command line


@pytest.fixture
def run(settings: Settings) -> Iterator[Any]:
    env = {
        "BOUSSOLE_DATABASE_URL": settings.resolved_database_url(),
        "BOUSSOLE_DATA_DIR": str(settings.data_dir),
    }

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, [*args, "--lang", "en"], env=env)

    yield invoke


def changed_flow(
    tmp_path: Path, old: bytes = b"{fr: Nom du projet,", new: bytes = b"{fr: Nom,"
) -> Path:
    source = bundled_flow_bytes()
    assert old in source
    path = tmp_path / "flow.yaml"
    path.write_bytes(source.replace(old, new, 1))
    return path


def versions(app: App) -> list[int]:
    with app.store.reading() as tx:
        return [v.version for v in tx.versions_of()]


@pytest.mark.parametrize(
    ("option", "most"), [("--by", limits.USER_ID), ("--note", limits.NOTE)], ids=["by", "note"]
)
def test_publish_takes_the_longest_by_and_note_and_names_a_longer_one(
    app: App, run: Any, tmp_path: Path, option: str, most: int
) -> None:
    flow = str(changed_flow(tmp_path))
    given = {"--by": "alice", "--note": ""}
    refused = run("flows", "publish", flow, *_options({**given, option: "é" * (most + 1)}))
    assert refused.exit_code == 2, refused.output
    assert f"{most + 1} characters where {most} at most" in refused.output
    assert versions(app) == [1]
    done = run("flows", "publish", flow, *_options({**given, option: "é" * most}))
    assert done.exit_code == 0, done.output
    with app.store.reading() as tx:
        record = tx.version_number("boussole-nantes", 2)
        assert record is not None
        by = shown(tx, record.published_by)
    assert by == "cli:" + ("é" * most if option == "--by" else "alice")


def _options(values: dict[str, str]) -> list[str]:
    return [part for option, value in values.items() for part in (option, value)]


def test_a_31_character_publisher_publishes_on_either_database(
    app: App, run: Any, tmp_path: Path
) -> None:
    """The attacker's case: `cli:` and 31 characters overflowed `varchar(32)`."""
    done = run("flows", "publish", str(changed_flow(tmp_path)), "--by", "p" * 31)
    assert done.exit_code == 0, done.output
    assert versions(app) == [1, 2]


@pytest.mark.parametrize(
    ("args", "field", "length", "most"),
    [
        (["add-department", "d" * 101, "--fr", "F", "--en", "E"], "department_id", 101, 100),
        (["add-department", "dep", "--fr", "é" * 201, "--en", "E"], "--fr", 201, 200),
        (["add-reviewer", "autre", "slack:" + "U" * 201], "user_id", 201, 200),
        (["remove-reviewer", "autre", "p" * 21 + ":U1"], "platform", 21, 20),
    ],
    ids=["department id", "department name", "member id", "member platform"],
)
def test_directory_commands_name_a_value_too_long(
    app: App, run: Any, args: list[str], field: str, length: int, most: int
) -> None:
    refused = run("directory", *args)
    assert refused.exit_code == 2, refused.output
    assert f"'{field}' is too long: {length} characters where {most}" in refused.output


def test_directory_commands_take_the_longest_values(app: App, run: Any) -> None:
    department = "d" * limits.IDENTIFIER
    name = "é" * limits.NAME
    added = run("directory", "add-department", department, "--fr", name, "--en", name)
    assert added.exit_code == 0, added.output
    member = f"{max(ROLE_PLATFORMS, key=len)}:{'U' * limits.USER_ID}"
    for args in (["directory", "add-reviewer", department, member], ["admins", "add", member]):
        done = run(*args)
        assert done.exit_code == 0, done.output
    with app.store.reading() as tx:
        assert tx.reviewers()[department] == [member]
        assert member in tx.admins()


# Chat and platform ids


def test_a_teams_admin_with_the_longest_id_publishes_from_chat(app: App) -> None:
    """The attacker's case: `cli:` and a Teams id overflowed `varchar(32)`, so a Teams admin
    could never publish from chat on PostgreSQL."""
    admin = ev.Actor("teams", LONG_TEAMS_ID)
    with app.store.transaction() as tx:
        tx.add_admin(f"teams:{admin.user_id}")
    source = bundled_flow_bytes().replace(b"{fr: Nom du projet,", b"{fr: Nom,", 1)
    checked = Admin(app).check_upload(admin, "flow.yaml", source, "en", "activity-1")
    assert checked.confirm_sha256, checked.text
    published = Admin(app).publish_upload(admin, checked.confirm_sha256, "en", "activity-2")
    assert published.ok, published.text
    assert versions(app) == [1, 2]


def test_an_actor_id_beyond_its_column_is_refused_by_name(app: App) -> None:
    too_long = ev.Actor("teams", LONG_TEAMS_ID + "x")
    effects = app.engine.handle(ev.StartTriage(too_long, "en", "activity-3"))
    (error,) = effects
    assert isinstance(error, fx.Error) and error.code == "value_too_long"
    assert "'user_id' is too long" in error.text
    refused = Admin(app).change_reviewer(
        ev.Actor("slack", "UADMIN"), True, "autre", f"teams:{too_long.user_id}", "en"
    )
    assert not refused.ok
    with app.store.reading() as tx:
        assert tx.find_pseudonym("teams", too_long.user_id) is None


def test_a_review_notice_reaches_a_reviewer_with_the_longest_id(
    settings: Settings, tmp_path: Path
) -> None:
    """Outbox keys named their recipient: `review_request:…:teams:` and a long Teams id
    overflowed the key's column; keys are digests now."""
    reviewer = f"teams:{LONG_TEAMS_ID}"
    app = open_with_reviewers(settings, tmp_path, [reviewer])
    try:
        answers = dict(dict(load_cases(valid=True))["06-di-ia-auto-incompatible"]["answers"])
        answer_all(app, {**answers, "P2": "education"}, ev.Actor("teams", LONG_TEAMS_ID))
        with app.store.reading() as tx:
            assert [m.recipient for m in tx.outbox_messages()] == [LONG_TEAMS_ID]
    finally:
        app.close()


# Flow files


def renamed_first_question(length: int) -> bytes:
    source = bundled_flow_bytes()
    assert source.count(b"- id: P1\n") == 1
    return source.replace(b"- id: P1\n", b"- id: " + b"P" * length + b"\n", 1)


def test_a_question_id_of_the_longest_length_is_published_and_answered(app: App) -> None:
    flow = load_source(renamed_first_question(limits.IDENTIFIER), "long.yaml")
    publish(app, flow, ev.Actor("cli", "alice"), "", simulate(app, flow, None), True, False, "en")
    ask = only(app.engine.handle(ev.StartTriage(ev.Actor("slack", "U1"), "en")), fx.Ask)
    assert ask.question.question_id == "P" * limits.IDENTIFIER
    answer = ev.Answer(ev.Actor("slack", "U1"), "en", None, ask.question.triage_id, "P" * 100, "X")
    assert any(isinstance(e, fx.Ask) for e in app.engine.handle(answer))


def test_a_question_id_beyond_its_column_is_refused_before_publishing(app: App) -> None:
    flow = load_source(renamed_first_question(limits.IDENTIFIER + 1), "long.yaml")
    with pytest.raises(PublishRefused) as refused:
        publish(
            app, flow, ev.Actor("cli", "alice"), "", simulate(app, flow, None), True, False, "en"
        )
    assert "101 characters where 100 at most" in refused.value.lines[0]
    assert versions(app) == [1]


def test_a_directory_file_with_values_too_long_is_refused_with_their_places(
    tmp_path: Path,
) -> None:
    path = tmp_path / "directory.yaml"
    path.write_text(
        f"default_reviewers: ['teams:{'x' * (limits.USER_ID + 1)}']\n"
        "departments:\n"
        f"  - id: {'d' * (limits.IDENTIFIER + 1)}\n"
        f"    name: {{fr: {'é' * (limits.NAME + 1)}, en: Education}}\n",
        encoding="utf-8",
    )
    with pytest.raises(FlowError) as refused:
        load_directory(path)
    found = [(p.line, p.message) for p in refused.value.problems]
    assert sorted(line for line, _ in found) == [1, 3, 4]
    assert all("characters, the most the database keeps" in message for _, message in found)
