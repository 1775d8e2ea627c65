"""A department's name is one of P2's choices, read by every agent in every channel.

`directory add-department` took an empty name (P2 then offered a blank choice, and the
warning about departments without reviewers listed ", ,") and a name holding ESC, which the
directory file refused for neither: both doors now refuse what the other refuses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from adapters.console.cli import cli
from bot.app import App
from bot.directory import load_directory
from bot.settings import Settings
from flows.problems import FlowError


@pytest.fixture
def run(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("BOUSSOLE_DATABASE_URL", settings.resolved_database_url())
    monkeypatch.setenv("BOUSSOLE_DATA_DIR", str(settings.data_dir))

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args))

    return invoke


def names(app: App) -> dict[str, tuple[str, str]]:
    with app.store.reading() as tx:
        return {row[0]: (row[1], row[2]) for row in tx.departments()}


@pytest.mark.parametrize(
    ("fr", "en", "said"),
    [
        ("", "Sport", "--fr : le nom de la direction est vide"),
        ("Sports", "   ", "--en : le nom de la direction est vide"),
        ("Sp\x1b[2Jorts", "Sport", "--fr : le nom contient un caractère de contrôle invisible"),
        ("Sports", "Sp\x07ort", "(U+0007)"),
    ],
)
def test_add_department_refuses_a_name_no_agent_could_read(
    app: App, run: Any, fr: str, en: str, said: str
) -> None:
    before = names(app)
    refused = run("directory", "add-department", "sport", "--fr", fr, "--en", en)
    assert refused.exit_code == 2, refused.output
    assert said in refused.output and "Rien n'a été modifié" in refused.output
    assert names(app) == before


def test_renaming_keeps_the_old_name_when_the_new_one_is_refused(app: App, run: Any) -> None:
    assert (
        run("directory", "add-department", "sport", "--fr", "Sports", "--en", "Sport").exit_code
        == 0
    )
    refused = run(
        "directory", "add-department", "sport", "--fr", "", "--en", "Sport", "--lang", "en"
    )
    assert refused.exit_code == 2 and "--fr: the department's name is empty" in refused.output
    assert names(app)["sport"] == ("Sports", "Sport")


CONTROLS = st.characters(categories=["Cc"]).filter(lambda c: c not in "\t\n\r")


@given(before=st.text(max_size=5), control=CONTROLS, after=st.text(max_size=5))
def test_the_directory_file_names_a_control_character_in_a_name(
    tmp_path_factory: pytest.TempPathFactory, before: str, control: str, after: str
) -> None:
    path = tmp_path_factory.mktemp("directory") / "directory.yaml"
    name = f"A{before}{control}{after}".replace("\\", "").replace('"', "")
    escaped = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in name)
    path.write_text(
        f'departments:\n  - id: dsi\n    name: {{fr: "{escaped}", en: IT}}\n', encoding="utf-8"
    )
    with pytest.raises(FlowError) as raised:
        load_directory(path)
    rendered = [problem.render("en") for problem in raised.value.problems]
    assert any(
        "departments[0].name.fr" in line and "control character" in line for line in rendered
    )
    assert all(problem.line == 3 for problem in raised.value.problems)


def test_a_name_with_accents_tabs_and_line_breaks_is_still_a_name(tmp_path: Path) -> None:
    path = tmp_path / "directory.yaml"
    path.write_text(
        'departments:\n  - id: dsi\n    name: {fr: "Numérique\\tet\\nsystèmes", en: IT}\n',
        encoding="utf-8",
    )
    (department,) = load_directory(path).departments
    assert department.name["fr"] == "Numérique\tet\nsystèmes"
