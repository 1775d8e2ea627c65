"""A role is given only to someone who can act on it.

Before, `admins add tchap:@x`, `directory add-reviewer DEPT slak:U1`, the chat command
`admin reviewer add`, a directory file and BOUSSOLE_ADMINS all took a platform Boussole
does not serve (and the file and the setting took names that are not `platform:user_id` at
all): the role was recorded, the review routed to it waited for nobody. The four doors now
accept the same names, and removing a member still takes any, so that an old mistake can be
undone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import example, given
from hypothesis import strategies as st

from adapters.console.cli import cli
from bot import events as ev
from bot.admin import Admin, member_problem
from bot.app import App
from bot.directory import load_directory
from bot.members import ROLE_PLATFORMS
from bot.settings import Settings
from flows.problems import FlowError

MISTAKES = ["tchap:@alice:agent.tchap.gouv.fr", "slak:U012ABC", "cli:alice"]


@pytest.fixture
def run(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("BOUSSOLE_DATABASE_URL", settings.resolved_database_url())
    monkeypatch.setenv("BOUSSOLE_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("BOUSSOLE_ADMINS", raising=False)

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args))

    return invoke


@pytest.mark.parametrize("member", MISTAKES)
@pytest.mark.parametrize(
    ("lang", "said"),
    [("fr", "n'est pas une plateforme où Boussole joint"), ("en", "is not a platform where")],
)
def test_the_terminal_gives_no_role_on_a_platform_nobody_acts_from(
    app: App, run: Any, member: str, lang: str, said: str
) -> None:
    for args in (["admins", "add", member], ["directory", "add-reviewer", "autre", member]):
        refused = run(*args, "--lang", lang)
        assert refused.exit_code == 2, refused.output
        assert said in refused.output and member in refused.output
    with app.store.reading() as tx:
        assert member not in tx.admins()
        assert member not in tx.reviewers().get("autre", [])


@pytest.mark.parametrize("member", ["slack:U1\n", "slack:U1\nteams:x", "slack: U1"])
def test_a_member_with_a_line_break_or_a_space_is_not_one(app: App, run: Any, member: str) -> None:
    refused = run("admins", "add", member)
    assert refused.exit_code == 2 and "plateforme:identifiant" in refused.output
    with app.store.reading() as tx:
        assert tx.admins() == []


def test_a_role_given_before_the_check_can_still_be_taken_back(app: App, run: Any) -> None:
    with app.store.transaction() as tx:
        tx.add_admin("tchap:@x")
        tx.add_reviewer("autre", "tchap:@x")
    for args in (["admins", "remove", "tchap:@x"], ["directory", "remove-reviewer", "autre"]):
        done = run(*args, *(["tchap:@x"] if args[0] == "directory" else []))
        assert done.exit_code == 0, done.output
    with app.store.reading() as tx:
        assert "tchap:@x" not in tx.admins()
        assert "tchap:@x" not in tx.reviewers().get("autre", [])


def test_the_chat_command_gives_no_role_on_a_platform_nobody_acts_from(app: App) -> None:
    admin = ev.Actor("slack", "UADMIN")
    with app.store.transaction() as tx:
        tx.add_admin("slack:UADMIN")
        tx.add_reviewer("autre", "slak:U1")
    refused = Admin(app).change_reviewer(admin, True, "autre", "tchap:@x", "en", "event-1")
    assert not refused.ok and "'tchap' is not a platform where" in refused.text
    removed = Admin(app).change_reviewer(admin, False, "autre", "slak:U1", "fr", "event-2")
    assert removed.ok, removed.text
    with app.store.reading() as tx:
        assert tx.reviewers().get("autre", []) == []


@pytest.mark.parametrize(
    ("reviewer", "english", "french"),
    [
        ("tchap:@x", "unknown platform 'tchap'", "plateforme inconnue 'tchap'"),
        ("not a member", "is not of the form platform:user_id", "plateforme:identifiant"),
        ("U012ABC", "is not of the form platform:user_id", "plateforme:identifiant"),
    ],
)
def test_a_directory_file_names_the_reviewer_nobody_could_be(
    tmp_path: Path, reviewer: str, english: str, french: str
) -> None:
    path = tmp_path / "directory.yaml"
    path.write_text(
        "default_reviewers: []\ndepartments:\n  - id: dsi\n    name: {fr: DSI, en: IT}\n"
        f"    reviewers: ['slack:U1', '{reviewer}']\n",
        encoding="utf-8",
    )
    with pytest.raises(FlowError) as raised:
        load_directory(path)
    (problem,) = raised.value.problems
    assert problem.line == 5
    assert english in problem.render("en") and "departments[0].reviewers[1]" in problem.render("en")
    assert french in problem.render("fr")


def test_a_department_id_is_explained_in_words_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "directory.yaml"
    path.write_text("departments:\n  - id: DSI\n    name: {fr: DSI, en: IT}\n", encoding="utf-8")
    with pytest.raises(FlowError) as raised:
        load_directory(path)
    (problem,) = raised.value.problems
    assert "lower-case letters without accents, digits and _ only" in problem.render("en")
    assert "des minuscules sans accent, des chiffres et _ seulement" in problem.render("fr")
    assert "^[a-z0-9_]+$" not in problem.render("fr")


@pytest.mark.parametrize("admins", ["U0123", "slack:U1, tchap:@x", "slack:U1,slack U2"])
def test_boussole_admins_names_the_member_nobody_could_be(
    settings: Settings, admins: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOUSSOLE_DATABASE_URL", settings.resolved_database_url())
    monkeypatch.setenv("BOUSSOLE_ADMINS", admins)
    for lang, said in (("fr", "Réglage BOUSSOLE_ADMINS invalide"), ("en", "Invalid setting")):
        done = CliRunner().invoke(cli, ["admins", "list", "--lang", lang])
        assert done.exit_code == 2, done.output
        assert said in done.output and "BOUSSOLE_ADMINS" in done.output


def test_boussole_admins_takes_every_platform_people_act_from(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOUSSOLE_DATABASE_URL", settings.resolved_database_url())
    members = [f"{platform}:someone" for platform in ROLE_PLATFORMS]
    monkeypatch.setenv("BOUSSOLE_ADMINS", " , ".join(members) + ",")
    done = CliRunner().invoke(cli, ["admins", "list"])
    assert done.exit_code == 0, done.output
    assert sorted(done.output.split()) == sorted(members)


MEMBERS = st.one_of(
    st.text(max_size=40),
    st.builds(
        lambda platform, rest: f"{platform}:{rest}",
        st.one_of(st.sampled_from([*ROLE_PLATFORMS, "tchap", "Slack", "slack "]), st.text()),
        st.text(max_size=30),
    ),
)


@given(member=MEMBERS)
@example(member="slack:U1\n")
@example(member="slack:U1\nteams:29:x")
def test_the_directory_file_and_the_admin_commands_accept_the_same_reviewers(
    tmp_path_factory: pytest.TempPathFactory, member: str
) -> None:
    path = tmp_path_factory.mktemp("directory") / "directory.yaml"
    document = {
        "default_reviewers": [member],
        "departments": [{"id": "dsi", "name": {"fr": "DSI", "en": "IT"}}],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    try:
        load_directory(path)
        file_takes = True
    except FlowError:
        file_takes = False
    assert file_takes == (member_problem(member, "en", granting=True) is None), member
    if file_takes:
        platform, _, user_id = member.partition(":")
        assert platform in ROLE_PLATFORMS and user_id and not any(c.isspace() for c in user_id)
