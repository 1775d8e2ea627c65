"""Publishing in the public register: who may, what may be published, what a withdrawal or a
re-triage keeps, what the audit log records, and how a details file's problems are told."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import events as ev
from bot.app import App
from bot.register import RegisterRefused, changes, publish, unpublish
from bot.register_details import load_details, parse_details
from bot.register_site import write_site
from bot.settings import Settings
from flows.problems import FlowError
from storage import register as rows
from tests.bot.journeys import open_with_reviewers, start
from tests.bot.register_journeys import (
    AUTHOR,
    EXAMPLE,
    LEAD,
    REVIEWERS,
    SECOND,
    decide,
    details,
    triage,
)


@pytest.fixture
def register_app(settings: Settings, tmp_path: Path) -> App:
    app = open_with_reviewers(settings, tmp_path, REVIEWERS)
    yield app
    app.close()


def audit_kinds(app: App, triage_id: str) -> list[str]:
    with app.store.reading() as tx:
        return [row["kind"] for row in tx.audit_trail(triage_id)]


def history(app: App) -> list[rows.EntryRecord]:
    with app.store.reading() as tx:
        return rows.history(tx)


def test_only_a_reviewer_of_the_department_or_an_admin_may_publish(register_app: App) -> None:
    app = register_app
    light = triage(app, "01-school-meals-grid-example", "Menus")
    with pytest.raises(RegisterRefused, match="Seuls les responsables"):
        publish(app, AUTHOR, light, details(), "fr")
    assert history(app) == []
    assert audit_kinds(app, light)[-1] == "register_refused"
    admin = ev.Actor("console", "operator-9c1")
    with app.store.transaction() as tx:
        tx.add_admin("console:operator-9c1")
    entry, replaced = publish(app, admin, light, details(), "fr")
    assert not replaced and [r.entry for r in history(app)] == [entry]
    with app.store.reading() as tx:
        published = tx.audit_trail(light)[-1]
    assert published["kind"] == "register_published"
    assert published["payload"] == {"entry": entry, "status": "in_use"}
    assert "operator-9c1" not in published["actor"]


def test_a_triage_is_published_once_finished_and_decided(register_app: App) -> None:
    app = register_app
    unfinished = start(app, AUTHOR).question.triage_id
    with app.store.transaction() as tx:
        tx.add_admin("slack:USECOND")
    with pytest.raises(RegisterRefused, match="pas terminée"):
        publish(app, SECOND, unfinished, details(), "fr")
    flagged = triage(app, "24-c4-staff-monitoring", "Suivi des agents")
    with pytest.raises(RegisterRefused, match="examen de l'analyse"):
        publish(app, LEAD, flagged, details(), "fr")
    decide(app, flagged, {"action": "claim"})
    with pytest.raises(RegisterRefused, match="not over"):
        publish(app, LEAD, flagged, details(), "en")
    decide(app, flagged, {"action": "confirm"})
    publish(app, LEAD, flagged, details(), "fr")
    with pytest.raises(RegisterRefused, match="introuvable"):
        publish(app, LEAD, "nosuchtriage", details(), "fr")
    assert len(history(app)) == 1


def test_unpublishing_keeps_the_rows_dated_and_the_feed_says_so(register_app: App) -> None:
    app = register_app
    light = triage(app, "01-school-meals-grid-example", "Menus")
    entry, _ = publish(app, LEAD, light, details(), "fr")
    assert unpublish(app, LEAD, light, "fr") == entry
    [row] = history(app)
    assert row.entry == entry and row.withdrawn_at is not None
    assert row.withdrawn_because == rows.UNPUBLISHED
    with pytest.raises(RegisterRefused, match="n'est pas publiée"):
        unpublish(app, LEAD, light, "fr")
    with pytest.raises(RegisterRefused, match="Seuls"):
        unpublish(app, AUTHOR, light, "fr")
    assert audit_kinds(app, light)[-3:] == [
        "register_published",
        "register_withdrawn",
        "register_refused",
    ]
    with app.store.reading() as tx:
        kinds = [(c.kind, c.project) for c in changes(tx)]
    assert kinds == [("withdrawn", "Menus"), ("published", "Menus")]
    entry_again, replaced = publish(app, LEAD, light, details(), "fr")
    assert entry_again != entry and not replaced


def test_publishing_again_or_a_retriage_replaces_the_entry_and_keeps_its_id(
    register_app: App,
) -> None:
    app = register_app
    light = triage(app, "01-school-meals-grid-example", "Menus")
    entry, _ = publish(app, LEAD, light, details(), "fr")
    assert publish(app, LEAD, light, details(status="retired", end_date="2027-01-01"), "fr") == (
        entry,
        True,
    )
    retriaged = app.engine.handle(
        ev.ChangeAnswers(AUTHOR, "fr", triage_id=light, answers={"P3": "Autre"})
    )[-1].result.triage_id
    with pytest.raises(RegisterRefused, match="refaite par"):
        publish(app, LEAD, light, details(), "fr")
    assert publish(app, LEAD, retriaged, details(), "fr") == (entry, True)
    found = history(app)
    assert [r.entry for r in found] == [entry] * 3
    assert [r.withdrawn_because for r in found] == [rows.SUPERSEDED, rows.SUPERSEDED, None]
    assert found[-1].triage_id == retriaged
    with app.store.reading() as tx:
        assert [c.kind for c in changes(tx)] == ["updated", "updated", "published"]
        assert tx.audit_trail(retriaged)[-1]["payload"]["replaces"] == light


def test_every_problem_of_a_details_file_is_told_with_its_line_and_field(tmp_path: Path) -> None:
    source = EXAMPLE.read_text("utf-8")
    broken = (
        source.replace("contact_email: numerique@example.org", "contact_email: Jean Dupont")
        .replace("status: in_use", "status: live")
        .replace("organization: Nantes Métropole", "organisation: Nantes Métropole")
        + "website: ftp://example.org\n"
    )
    path = tmp_path / "details.yaml"
    path.write_text(broken, "utf-8")
    with pytest.raises(FlowError) as raised:
        load_details(path)
    lines = {p.field: p.line for p in raised.value.problems}
    text = broken.splitlines()
    assert set(lines) == {"contact_email", "status", "organisation", "organization", "website"}
    assert text[lines["contact_email"] - 1].startswith("contact_email:")
    assert text[lines["status"] - 1].startswith("status:")
    assert text[lines["website"] - 1].startswith("website:")
    french = [p.render("fr") for p in raised.value.problems]
    assert any(
        "pas une adresse électronique" in line and "(champ contact_email)" in line
        for line in french
    )
    assert all(line.startswith(f"{path}:") for line in french)


def test_details_texts_are_french_first_and_within_the_standard_limits() -> None:
    source = EXAMPLE.read_text("utf-8")
    checked = parse_details(source, "ok.yaml")
    assert checked.purpose["en"].startswith("Reduce")
    assert checked.lawful_basis == {"fr": checked.lawful_basis["fr"]}
    too_long = source.replace(
        'description_short:\n  fr: "Aide', f'description_short:\n  fr: "{"x" * 150}', 1
    )
    lines = source.splitlines()
    at = lines.index("purpose:")
    english_only = "\n".join([*lines[:at], "purpose: {en: Only English}", *lines[at + 3 :]])
    retired = source.replace("status: in_use", "status: retired")
    for text, field in (
        (too_long, "description_short.fr"),
        (english_only, "purpose"),
        (retired, "end_date"),
    ):
        with pytest.raises(FlowError) as raised:
            parse_details(text, "bad.yaml")
        assert field in {p.field for p in raised.value.problems}, raised.value


def test_a_withdrawn_algorithm_leaves_the_site_when_it_is_written_again(
    register_app: App, tmp_path: Path
) -> None:
    app = register_app
    light = triage(app, "01-school-meals-grid-example", "Menus")
    entry, _ = publish(app, LEAD, light, details(), "fr")
    out = tmp_path / "site"
    write_site(app, out, diagram=False)
    page = out / "en" / "algorithms" / f"{entry}.html"
    assert page.is_file()
    (out / "robots.txt").write_text("User-agent: *\n", "utf-8")
    unpublish(app, LEAD, light, "fr")
    written = write_site(app, out, diagram=False)
    assert not page.exists() and not (out / "fr" / "status").exists()
    index = (out / "fr" / "index.html").read_text("utf-8")
    assert "Menus" not in index and "Aucun algorithme n&#x27;est publié" in index
    assert (out / "en" / "register.json").read_text("utf-8") == "[]\n"
    assert (out / "robots.txt").is_file()
    assert sorted(p for p in out.rglob("*") if p.is_file()) == sorted(
        [*written, out / "robots.txt"]
    )
