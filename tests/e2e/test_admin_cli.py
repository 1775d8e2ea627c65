"""Administration through the real command: versions, directory, admins."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.helpers import REPO, boussole

BUNDLED = REPO / "flows" / "boussole-nantes.yaml"


def test_export_gives_the_published_bytes_and_publish_refuses_a_broken_flow(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    exported = boussole("flows", "export", env=cli_env)
    assert exported.returncode == 0
    assert exported.stdout.encode() == BUNDLED.read_bytes()
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        BUNDLED.read_text("utf-8").replace("effect: incompatible", "effect: forbidden", 1), "utf-8"
    )
    refused = boussole("flows", "publish", str(broken), "--by", "alice", env=cli_env)
    assert refused.returncode == 2
    assert f"{broken}:" in refused.stdout and "error" in refused.stdout
    listing = boussole("flows", "list", env=cli_env)
    assert "alice" not in listing.stdout


def test_publish_then_show_list_and_diff(tmp_path: Path, cli_env: dict[str, str]) -> None:
    edited = tmp_path / "v2.yaml"
    edited.write_text(
        BUNDLED.read_text("utf-8").replace("Nom du projet", "Nom court du projet", 1), "utf-8"
    )
    done = boussole(
        "flows",
        "publish",
        str(edited),
        "--by",
        "alice",
        "--note",
        "libellé",
        "--lang",
        "en",
        env=cli_env,
    )
    assert done.returncode == 0, done.stderr
    assert "published as version 2" in done.stdout
    assert "alice" in boussole("flows", "list", env=cli_env).stdout
    difference = boussole("flows", "diff", "1", "2", env=cli_env).stdout
    assert "-" in difference and "+" in difference and "Nom court du projet" in difference
    assert "boussole-nantes" in boussole("flows", "show", "--version", "2", env=cli_env).stdout
    missing = boussole("flows", "export", "--version", "9", env=cli_env)
    assert missing.returncode == 2


def test_directory_and_admins(cli_env: dict[str, str]) -> None:
    assert (
        boussole(
            "directory", "add-department", "sport", "--fr", "Sports", "--en", "Sport", env=cli_env
        ).returncode
        == 0
    )
    assert boussole("directory", "add-reviewer", "sport", "slack:U42", env=cli_env).returncode == 0
    listing = boussole("directory", "list", env=cli_env).stdout
    assert "sport" in listing and "slack:U42" in listing
    unknown = boussole("directory", "add-reviewer", "nope", "slack:U42", env=cli_env)
    assert unknown.returncode == 2 and "nope" in unknown.stderr
    assert (
        boussole("directory", "remove-reviewer", "sport", "slack:U42", env=cli_env).returncode == 0
    )
    assert "slack:U42" not in boussole("directory", "list", env=cli_env).stdout
    assert boussole("admins", "add", "not-a-member", env=cli_env).returncode == 2
    env = {**cli_env, "BOUSSOLE_ADMINS": "slack:UADMIN, teams:29:1x"}
    assert boussole("admins", "list", env=env).stdout.split() == ["slack:UADMIN", "teams:29:1x"]


def test_stats_and_chart(tmp_path: Path, cli_env: dict[str, str]) -> None:
    answers = tmp_path / "a.yaml"
    case = REPO / "tests" / "cases" / "01-school-meals-grid-example.yaml"
    from ruamel.yaml import YAML

    YAML().dump(YAML(typ="safe").load(case.read_text("utf-8"))["answers"], answers)
    assert boussole("triage", "--answers", str(answers), env=cli_env).returncode == 0
    png = tmp_path / "stats.png"
    done = boussole("stats", "--png", str(png), "--lang", "en", env=cli_env)
    assert done.returncode == 0, done.stderr
    assert "light track" in done.stdout and "C5-R3" in done.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_unknown_version_or_notification_is_named_in_the_chosen_language(
    cli_env: dict[str, str],
) -> None:
    english = boussole("flows", "show", "--version", "99", "--lang", "en", env=cli_env)
    assert english.returncode == 2 and "99" in english.stderr
    french = boussole("flows", "show", "--version", "99", env=cli_env)
    assert french.stderr != english.stderr
    missing = boussole("outbox", "retry", "12345", env=cli_env)
    assert missing.returncode == 2
    assert "12345" in missing.stderr and "boussole outbox list" in missing.stderr


def test_removing_a_mistyped_member_names_the_expected_form(cli_env: dict[str, str]) -> None:
    for args in (
        ("directory", "remove-reviewer", "education", "slack U1"),
        ("admins", "remove", "U1"),
    ):
        refused = boussole(*args, env=cli_env)
        assert refused.returncode == 2, refused.stdout
        assert "plateforme:identifiant" in refused.stderr


def test_a_directory_too_long_for_a_slack_menu_is_imported_with_a_warning(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    listed = "".join(
        f"  - id: d{i:03d}\n    name: {{fr: D{i}, en: D{i}}}\n    reviewers: []\n"
        for i in range(100)
    )
    big = tmp_path / "directory.yaml"
    big.write_text(f"default_reviewers: []\ndepartments:\n{listed}", "utf-8")
    done = boussole("directory", "import", str(big), env=cli_env)
    assert done.returncode == 0, done.stderr
    assert "Attention" in done.stderr and "au plus, Slack ne pourra pas" in done.stderr
    small = boussole("directory", "add-department", "sport", "--fr", "S", "--en", "S", env=cli_env)
    assert "Attention" in small.stderr  # still too many: said again


def test_a_diagram_without_the_mermaid_cli_writes_no_file_and_exits_2(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    env = {**cli_env, "BOUSSOLE_MMDC": str(tmp_path / "no-mmdc")}
    svg = tmp_path / "grille.svg"
    for lang, install in (("fr", "installez @mermaid-js/mermaid-cli"), ("en", "install @mermaid")):
        missing = boussole(
            "flows", "diagram", "--format", "svg", "-o", str(svg), "--lang", lang, env=env
        )
        assert missing.returncode == 2
        assert install in missing.stderr and missing.stdout == ""
        assert not svg.exists()
