"""What an agent types comes back on the terminal as typed, and nothing typed drives it.

Before, the terminal read answers as rich markup: a project named `Tri [beta]` was shown as
`Tri ` (brackets and word gone) in the answer's line, the listings and the flow's
sections, one holding `[/b]` ended the triage in "Erreur interne (MarkupError ...)" after
the answer was recorded, and `:fire:` became an emoji. And a control character (ESC) went
into the records as typed, then to the terminal of whoever read the report: a sequence
that rewrites the screen, adds a link or sets the clipboard. Now text is printed as text,
and a control character is refused where it is typed, in every channel, with what to do.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Group
from rich.panel import Panel
from rich.text import Text
from sqlalchemy import create_engine, text

from adapters.console.cli import cli
from adapters.console.common import terminal
from adapters.console.render import show_effect
from bot import effects as fx
from flows.answers import AnswerError, validate_answer
from flows.loader import load_bundled
from tests.cases import load_cases

SCHOOL_MEALS = dict(load_cases(valid=True))["01-school-meals-grid-example"]["answers"]
NAMES = [
    "Tri [beta] des courriers",
    "[/b] Cantines [link=https://e.example]ici[/link]",
    "Point :fire: hebdo",
]


def boussole(env: dict[str, str], *args: str, given_input: str = "") -> Result:
    return CliRunner().invoke(cli, list(args), env=env, input=given_input)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "BOUSSOLE_DATABASE_URL": f"sqlite:///{tmp_path / 'b.sqlite'}",
        "BOUSSOLE_DATA_DIR": str(tmp_path),
        "LOGNAME": "agent",
        "USER": "agent",
    }


@pytest.mark.parametrize("name", NAMES)
def test_a_name_with_brackets_is_shown_as_typed(env: dict[str, str], name: str) -> None:
    typed = boussole(env, "triage", "--plain", given_input=f"{name}\n")
    assert "Erreur interne" not in typed.output, typed.output
    assert f"✓ Nom du projet → {name}" in typed.output.replace("\n", " ")

    listed = boussole(env, "list", "--lang", "en")
    assert listed.exit_code == 0, listed.output
    assert name.split()[0] in listed.output and "Erreur" not in listed.output


@pytest.mark.parametrize("name", NAMES)
def test_a_report_shows_the_name_as_typed(env: dict[str, str], tmp_path: Path, name: str) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump({**SCHOOL_MEALS, "P1": name}), "utf-8")
    assert boussole(env, "triage", "--answers", str(answers)).exit_code == 0
    (row,) = json.loads(boussole(env, "list", "--format", "json").output)
    report = boussole(env, "report", row["id"])
    assert report.exit_code == 0 and name in report.output, report.output


def test_a_control_character_written_in_the_database_never_reaches_the_terminal(
    env: dict[str, str], tmp_path: Path
) -> None:
    """Listings read project names without their questions: ESC written by SQL is shown as
    the replacement character, not sent."""
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(SCHOOL_MEALS), "utf-8")
    assert boussole(env, "triage", "--answers", str(answers)).exit_code == 0
    database = create_engine(env["BOUSSOLE_DATABASE_URL"])
    with database.begin() as connection:
        connection.execute(
            text("UPDATE answers SET value = :v WHERE question_id = 'P1'"),
            {"v": json.dumps("Cantines\x1b]52;c;ZXZpbA==\x07\x1b[2J")},
        )
    database.dispose()
    listed = boussole(env, "list")
    assert listed.exit_code == 0
    assert "\x1b" not in listed.output and "\x07" not in listed.output
    assert "Cantines\ufffd" in listed.output


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\x00", "\x7f", "\x9b"])
def test_a_control_character_is_refused_where_it_is_typed(
    env: dict[str, str], tmp_path: Path, char: str
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        yaml.safe_dump({**SCHOOL_MEALS, "P1": f"Cantines{char}]8;;https://e.example"}), "utf-8"
    )
    refused = boussole(env, "triage", "--answers", str(answers))
    assert refused.exit_code == 2
    code = f"U+{ord(char):04X}"
    assert f"P1: le texte contient un caractère de contrôle invisible ({code})" in refused.output
    assert json.loads(boussole(env, "list", "--format", "json").output) == []


FLOW = load_bundled()


@given(st.text(min_size=1, max_size=40))
def test_a_text_answer_is_recorded_only_without_control_characters(text: str) -> None:
    """Tabs and line breaks are kept; every other control character is refused."""
    question = FLOW.by_id["P1"]
    try:
        recorded = validate_answer(question, text, ())
    except AnswerError as refused:
        assert refused.code in ("text_empty", "text_control")
        return
    assert all(c in "\t\n\r" or not (c < " " or "\x7f" <= c <= "\x9f") for c in recorded)


MARKUP_LIKE = st.text(alphabet="ab [/]=#:link", min_size=1, max_size=30)
CONTROLLED = st.text(alphabet="ab [/]\x1b\x07\x9b\x00", min_size=1, max_size=30)


@given(summary=MARKUP_LIKE, notice=MARKUP_LIKE)
def test_whatever_is_typed_the_terminal_shows_it_as_it_is(summary: str, notice: str) -> None:
    """Brackets, slashes and style names anywhere: the line shows them, nothing fails."""
    console = terminal()
    console.file = io.StringIO()
    console.width = 200
    show_effect(console, fx.Freeze("t1", "P1", summary), "fr")
    show_effect(console, fx.Info(notice, "x"), "fr")
    shown = [line.rstrip() for line in console.file.getvalue().splitlines()]
    assert shown == [f"✓ {summary}".rstrip(), notice.rstrip()]


@given(notice=CONTROLLED)
def test_no_control_character_is_sent_to_the_terminal(notice: str) -> None:
    console = terminal()
    console.file = io.StringIO()
    show_effect(console, fx.Error(notice, "x"), "fr")
    shown = console.file.getvalue()
    assert not any(c in shown for c in "\x1b\x07\x9b\x00")
    kept = "".join(c for c in notice if c not in "\x1b\x07\x9b\x00")
    assert shown.replace("\ufffd", "").rstrip() == kept.rstrip()
    console.print(Panel(Group(Text(notice), Text.assemble(("x", "bold"), notice))))
    assert not any(c in console.file.getvalue() for c in "\x1b\x07\x9b\x00")
