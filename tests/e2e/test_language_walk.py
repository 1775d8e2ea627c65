"""Every `boussole` command, in French and in English, shows nothing of the other language and
no raw id where a label belongs (#13).

The walk runs each command and subcommand of the click group, on its usual path and on its
error paths, with `--lang` and with BOUSSOLE_LANG alone; a command added later fails
`test_the_walk_runs_every_command` until it is walked here. Allowed, and only there:
- ids in output for scripts (`--format json`, the register's CSV, `privacy export`, the Teams
  manifest, a signed checkpoint line) and in the messages about an answer file, which is
  written with ids;
- the published flow file itself (`flows export`, `flows diff`: the file byte for byte) and
  its Mermaid source (`flows diagram`: its edges are the file's conditions, written with ids);
- both languages in `directory list`, whose columns are each department's French and English
  names beside its id: an admin keeps both.
`--help` of every command and group, click's usage errors, the PDF reports' text and the
register site's pages in the reader's language are read too, as any other output. What a
person types (a project's name, a register entry's French-only text) is theirs: the walk
types neutral text.
"""

from __future__ import annotations

import getpass
import html
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader
from ruamel.yaml import YAML

from adapters.console.cli import cli, main
from tests.bot.test_publishing import WIDER_C4_R3
from tests.cases import load_cases
from tests.e2e.helpers import boussole
from tests.e2e.leaks import DIRECTORY, FLOW, REPO, Detector
from tests.e2e.test_cli import write_answers

CASES = dict(load_cases(valid=True))
NEUTRAL = "Alpha 42"
"""Text answers a person types are theirs, in any language: the walk types a neutral one."""
INTERRUPTED = 130
"""A terminal triage that meets the end of its input says how to resume it."""


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Every command and group under `group`, as the words one types."""
    found: set[tuple[str, ...]] = set()
    for name, command in group.commands.items():
        path = (*prefix, name)
        found.add(path)
        if isinstance(command, click.Group):
            found |= command_paths(command, path)
    return found


def runnable(group: click.Group) -> set[tuple[str, ...]]:
    """The commands that do something, groups aside (a group only shows its help)."""
    return {p for p in command_paths(group) if not isinstance(command_at(p), click.Group)}


def command_at(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


def answers_of(case: str, **changes: Any) -> dict[str, Any]:
    """A golden case's answers, with every typed text made neutral."""
    answers = dict(CASES[case]["answers"])
    for key in ("P1", "P3", "C3-Q1", "C7-Q4"):
        if key in answers:
            answers[key] = NEUTRAL
    return answers | changes


@dataclass
class Walk:
    """Runs commands in one language, one way of choosing it, and keeps what each showed."""

    lang: str
    by_flag: bool
    env: dict[str, str | None]
    tmp: Path
    detector: Detector
    walked: set[tuple[str, ...]] = field(default_factory=set)
    leaks: list[str] = field(default_factory=list)

    def run(
        self,
        *args: str,
        code: int = 0,
        ids: bool = False,
        bilingual: bool = False,
        stdin: str | None = None,
        env: dict[str, str | None] | None = None,
        written: Path | None = None,
    ) -> str:
        """The command's output (stdout then stderr, then the PDF it wrote); any leak in it
        is recorded."""
        path = tuple(a for a in args if not a.startswith("-"))
        while path and not self._is_command(path):
            path = path[:-1]
        self.walked.add(path)
        extra, result = self._invoke(path, list(args), stdin, env)
        assert result.exit_code == code, (extra, env, result.output)
        output = result.stdout + result.stderr
        if written is not None:
            output += "\n".join(page.extract_text() for page in PdfReader(written).pages)
        self.check(" ".join(extra), output, ids=ids, bilingual=bilingual)
        return result.stdout

    def check(self, label: str, output: str, ids: bool = False, bilingual: bool = False) -> None:
        for leak in self.detector.leaks(output, ids_allowed=ids, bilingual=bilingual):
            self.leaks.append(f"{label}: {leak}")

    def help(self, path: tuple[str, ...]) -> None:
        extra, result = self._invoke(path, [*path, "--help"], None, None)
        assert result.exit_code == 0, (extra, result.output)
        self.check(" ".join(extra), result.output)

    def _invoke(
        self,
        path: tuple[str, ...],
        args: list[str],
        stdin: str | None,
        env: dict[str, str | None] | None,
    ) -> tuple[list[str], Result]:
        """`--lang` when the walk chooses the language so and the command takes it, else
        BOUSSOLE_LANG (unset for French, the default)."""
        environ = dict(self.env) | (env or {})
        if self.by_flag and any(p.name == "lang" for p in command_at(path).params):
            args += ["--lang", self.lang]
        else:
            environ.setdefault("BOUSSOLE_LANG", None if self.lang == "fr" else self.lang)
        result = CliRunner().invoke(cli, args, input=stdin, env=environ)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return args, result

    def _is_command(self, path: tuple[str, ...]) -> bool:
        try:
            command_at(path)
        except (KeyError, AssertionError):
            return False
        return True

    def file(self, name: str, content: str) -> str:
        path = self.tmp / name
        path.write_text(content, "utf-8")
        return str(path)

    def answers(self, name: str, answers: dict[str, Any]) -> str:
        return str(write_answers(self.tmp, answers, name))


def typed(answers: dict[str, Any]) -> str:
    """What a person types in `triage --plain` to give these answers (in the path's order, as
    the golden cases list them), asking why the first question is asked and going back once."""
    lines = ["?"]
    for question, answer in answers.items():
        lines.append(",".join(answer) if isinstance(answer, list) else str(answer))
        if question == "DI1":
            lines += ["<", str(answer)]
    return "\n".join(lines) + "\n"


def triage_id(walk: Walk, answer_file: str) -> str:
    document = walk.run("triage", "--answers", answer_file, "--format", "json", ids=True)
    return json.loads(document)["triage_id"]


def walk_triages(walk: Walk) -> dict[str, str]:
    light = walk.answers("light.yaml", answers_of("01-school-meals-grid-example"))
    walk.run("triage", "--answers", light)
    # One past triage before any other: each count is 1 ("1 analyse rejouée", "1 orientation
    # passée changerait", "1 analyse n'est plus reliée").
    walk.run("flows", "simulate", str(FLOW))
    wider = walk.file("wider.yaml", FLOW.read_text("utf-8").replace(*WIDER_C4_R3))
    walk.run("flows", "simulate", wider)
    walk.run("flows", "publish", wider, "--by", "console:admin", code=2)
    walk.run("privacy", "erase", f"console:{getpass.getuser()}")
    first = triage_id(walk, light)
    flagged = walk.answers("flagged.yaml", answers_of("17-chatbot-external-llm"))
    walk.run("triage", "--answers", flagged)
    review = triage_id(walk, flagged)
    walk.run(
        "triage", "--answers", walk.answers("inc.yaml", answers_of("06-di-ia-auto-incompatible"))
    )
    walk.run(
        "triage",
        "--answers",
        walk.answers("bad.yaml", answers_of("01-school-meals-grid-example", **{"C2-Q5": "france"})),
        code=2,
        ids=True,
    )
    walk.run("triage", "--answers", walk.file("list.yaml", "- DI1\n"), code=2, ids=True)
    walk.run("triage", "--answers", walk.file("broken.yaml", "DI1: [non\n"), code=2, ids=True)
    walk.run("triage", "--answers", str(walk.tmp / "absent.yaml"), code=2, ids=True)
    walk.run("triage", "--answers", light, "--resume", "zzz", code=2)
    walk.run("triage", "--plain", stdin=typed(answers_of("01-school-meals-grid-example")))
    walk.run("triage", "--plain", stdin=f"{NEUTRAL}\n", code=INTERRUPTED)
    mine = json.loads(walk.run("list", "--format", "json", ids=True))
    open_one = next(t["id"] for t in mine if t["status"] != "completed")
    walk.run("triage", "--plain", "--resume", open_one, stdin="", code=INTERRUPTED)
    walk.run("triage", "--resume", "inconnu", stdin="", code=2)
    walk.run("list")
    return {"light": first, "review": review, "open": open_one}


def walk_reports(walk: Walk, ids: dict[str, str]) -> None:
    for triage in (ids["light"], ids["review"]):
        walk.run("report", triage)
        walk.run("report", triage, "--format", "html")
        walk.run("report", triage, "--format", "json", ids=True)
        pdf = walk.tmp / f"{triage}.pdf"
        walk.run("report", triage, "--format", "pdf", "-o", str(pdf), written=pdf)
    walk.run("report", "inconnu", code=2)
    nowhere = walk.tmp / "absent" / "report"
    walk.run("report", ids["light"], "--format", "pdf", "-o", f"{nowhere}.pdf", code=2)
    walk.run("report", ids["light"], "-o", f"{nowhere}.md", code=2)
    walk.run("report", ids["open"], code=2)


def walk_retriage_and_cancel(walk: Walk, ids: dict[str, str]) -> None:
    changes = walk.file("changes.yaml", "C5-Q3: oui\nC6-Q2: non\n")
    walk.run("retriage", ids["light"], "--plain", "--answers", changes)
    walk.run("retriage", "inconnu", "--plain", "--answers", changes, code=2)
    walk.run(
        "retriage",
        ids["light"],
        "--answers",
        walk.file("bad-changes.yaml", "C2-Q5: france\n"),
        code=2,
        ids=True,
    )
    walk.run("cancel", ids["open"])
    walk.run("cancel", ids["open"], code=2)
    walk.run("cancel", "inconnu", code=2)


def walk_records(walk: Walk) -> None:
    walk.run("stats")
    walk.run("stats", "--since", "2000-01-01")
    walk.run("stats", "--format", "json", ids=True)
    walk.run("stats", "--png", str(walk.tmp / "stats.png"))
    walk.run("stats", "--png", str(walk.tmp / "absent" / "stats.png"), code=2)
    walk.run("export", "register", ids=True)
    walk.run("export", "register", "--format", "json", ids=True)
    walk.run("privacy", "export", "console:nobody", ids=True)
    walk.run("privacy", "export", "nobody", code=2)
    walk.run("privacy", "erase", "console:nobody")


def walk_flows(walk: Walk) -> None:
    walk.run("flows", "list")
    walk.run("flows", "list", "--format", "json", ids=True)
    walk.run("flows", "show")
    walk.run("flows", "show", "--version", "99", code=2)
    walk.run("flows", "export", ids=True, bilingual=True)
    walk.run("flows", "diff", "1", "1", ids=True, bilingual=True)
    walk.run("flows", "check", str(FLOW))
    walk.run("flows", "check", walk.file("wrong.yaml", "flow: x\nsections: []\n"), code=1)
    walk.run("flows", "check", str(walk.tmp / "absent.yaml"), code=2)
    walk.run("flows", "diagram", ids=True)
    walk.run("flows", "diagram", "-o", str(walk.tmp / "absent" / "d.mmd"), code=2)
    walk.run(
        "flows",
        "diagram",
        "--format",
        "svg",
        "-o",
        str(walk.tmp / "d.svg"),
        code=2,
        env={"PATH": "/nonexistent"},
    )
    changed = FLOW.read_text("utf-8").replace(
        "label: {fr: Nom du projet, en: Project name}",
        "label: {fr: Nom du projet (court), en: Project name (short)}",
    )
    candidate = walk.file("changed.yaml", changed)
    walk.run("flows", "simulate", candidate)
    walk.run("flows", "publish", candidate, "--by", "console:admin", "--note", "walk")
    walk.run("flows", "publish", candidate, "--by", "console:admin", code=2)
    walk.run("flows", "diff", "1", "2", ids=True, bilingual=True)


def walk_directory(walk: Walk) -> None:
    walk.run("directory", "list", ids=True, bilingual=True)
    walk.run("directory", "list", "--format", "json", ids=True, bilingual=True)
    walk.run("directory", "add-department", "culture", "--fr", "Culture", "--en", "Culture")
    walk.run("directory", "add-department", "Pas Valide", "--fr", "X", "--en", "X", code=2)
    walk.run("directory", "add-reviewer", "culture", "console:reviewer")
    walk.run("directory", "add-reviewer", "culture", "reviewer", code=2)
    walk.run("directory", "add-reviewer", "absente", "console:reviewer", code=2)
    walk.run("directory", "remove-reviewer", "culture", "console:reviewer")
    walk.run("directory", "remove-reviewer", "culture", "console:reviewer")
    walk.run("directory", "import", str(DIRECTORY))
    walk.run("directory", "import", walk.file("dir.yaml", "departments: 3\n"), code=2)
    walk.run("admins", "list")
    walk.run("admins", "add", "console:chef")
    walk.run("admins", "add", "chef", code=2)
    walk.run("admins", "remove", "console:chef")
    walk.run("admins", "list")


def register_details(walk: Walk) -> str:
    """The README's details file, its texts that are French only made neutral: what the
    publisher types is theirs, in the language they choose."""
    example = YAML(typ="safe").load((REPO / "examples" / "register-details.yaml").read_text())
    chosen = ("contact_email", "status", "start_date", "organization", "area", "domain")
    chosen += ("risk_category", "algorithm_type", "use_type")
    details = {
        k: NEUTRAL if isinstance(v, str) and k not in chosen else v for k, v in example.items()
    }
    path = walk.tmp / "details.yaml"
    YAML().dump(details, path)
    return str(path)


def walk_register(walk: Walk, ids: dict[str, str]) -> None:
    """The register is published by an admin: the terminal's account becomes one."""
    details = register_details(walk)
    light = triage_id(walk, walk.answers("light.yaml", answers_of("01-school-meals-grid-example")))
    walk.run("register", "publish", light, "--details", details, code=2)
    walk.run("admins", "add", f"console:{getpass.getuser()}")
    walk.run("register", "publish", light, "--details", details)
    walk.run(
        "register", "publish", light, "--details", walk.file("r.yaml", "x: 1\n"), code=2, ids=True
    )
    walk.run("register", "publish", ids["light"], "--details", details, code=2)
    walk.run("register", "list")
    walk.run("register", "list", "--format", "json", ids=True)
    walk.run("register", "site", str(walk.tmp / "site"))
    for page in sorted((walk.tmp / "site" / walk.lang).rglob("*.html")):
        shown = re.sub(r"<[^>]*>", " ", page.read_text("utf-8"))  # links name files by id
        walk.check(f"register site: {page.name}", html.unescape(shown))
    walk.run("register", "unpublish", light)
    walk.run("register", "unpublish", "inconnu", code=2)


def walk_review(walk: Walk, ids: dict[str, str]) -> None:
    """A reviewer's commands: the terminal's account reviews nothing, so each is refused."""
    walk.run("review", "list")
    walk.run("review", "list", "--format", "json", ids=True)
    walk.run("review", "claim", ids["review"], code=2)
    walk.run("review", "confirm", "inconnu", code=2)
    walk.run("review", "ask", ids["review"], "--question", "Quelle base légale ?", code=2)
    label = "examen approfondi" if walk.lang == "fr" else "full review"
    walk.run("review", "override", ids["review"], "--outcome", label, "--comment", "x", code=2)
    walk.run(
        "review", "override", ids["review"], "--outcome", "peut-être", "--comment", "x", code=2
    )


def walk_outbox(walk: Walk) -> None:
    """Once there is an admin, a flagged triage queues a notice to them."""
    triage_id(walk, walk.answers("flagged.yaml", answers_of("17-chatbot-external-llm")))
    walk.run("outbox", "list")
    walk.run("outbox", "retry", "999999", code=2)


def walk_audit(walk: Walk) -> None:
    key = walk.tmp / "audit.pem"
    walk.run("audit", "verify")
    walk.run("audit", "checkpoint", code=2)
    walk.run("audit", "keygen", str(key))
    walk.run("audit", "keygen", str(key), code=2)
    with_key = {"BOUSSOLE_AUDIT_KEY_FILE": str(key)}
    walk.run("audit", "checkpoint", env=with_key, ids=True)
    walk.run("audit", "verify", env=with_key)
    walk.run("audit", "verify", "--checkpoint", str(walk.tmp / "absent.txt"), code=2)
    walk.run("audit", "verify", "--public-key", walk.file("not-a-key.pub", "x"), code=2)


def walk_usage_errors(walk: Walk) -> None:
    """Click's own complaints: a mistyped option, a missing argument, a refused value."""
    walk.run("list", "--nope", code=2)
    walk.run("report", code=2)
    walk.run("list", "--format", "xml", code=2)
    walk.run("list", "surplus", code=2)
    walk.run("flows", "publish", str(FLOW), code=2)
    walk.run("flows", "diff", "1", "deux", code=2)
    walk.run("stats", "--since", "hier", code=2)
    walk.run("audit", "keygen", code=2)
    walk.run("inconnue", code=2)


def walk_settings(walk: Walk) -> None:
    walk.run("serve", code=2)
    walk.run("worker", code=2)
    walk.run("serve", code=2, env={"SLACK_BOT_TOKEN": "abc", "SLACK_SIGNING_SECRET": "s"})
    walk.run(
        "serve", code=2, env={"SLACK_BOT_TOKEN": "xoxb-1", "BOUSSOLE_SLACK_API_URL": "ftp://x"}
    )
    walk.run(
        "serve", code=2, env={"SLACK_BOT_TOKEN": "xoxb-1", "BOUSSOLE_SLACK_COMMAND": "boussole"}
    )
    walk.run("serve", "--slack-socket-mode", code=2, env={"SLACK_APP_TOKEN": "abc"})
    walk.run("worker", code=2, env={"BOUSSOLE_TEAMS_AUTH": "peut-être"})
    walk.run("worker", code=2, env={"BOUSSOLE_TEAMS_AUTH": "off"})
    walk.run("worker", code=2, env={"MicrosoftAppId": "a", "MicrosoftAppType": "Single"})
    if walk.by_flag:  # an unknown BOUSSOLE_LANG leaves French, unless --lang says otherwise
        walk.run("list", code=2, env={"BOUSSOLE_LANG": "xx"})
    walk.run("list", code=2, env={"BOUSSOLE_REVIEW_REMINDER_DAYS": "0"})
    walk.run("list", code=2, env={"BOUSSOLE_RETENTION_DAYS": "deux"})
    walk.run("list", code=2, env={"BOUSSOLE_ACCESS_LOG": "peut-être"})
    walk.run("list", code=2, env={"BOUSSOLE_AUDIT_KEY_FILE": str(walk.tmp / "absent.pem")})
    walk.run("list", code=2, env={"BOUSSOLE_DATABASE_URL": "nothing://here"})
    walk.run(
        "teams",
        "manifest",
        "--bot-id",
        "00000000-0000-0000-0000-000000000000",
        "--website",
        "https://example.org",
        "--privacy",
        "https://example.org/p",
        "--terms",
        "https://example.org/t",
        "--out",
        str(walk.tmp / "teams.zip"),
        ids=True,
    )
    walk.run("teams", "manifest", "--bot-id", "pas-un-guid", code=2)
    walk.run(
        "teams",
        "manifest",
        "--bot-id",
        "00000000-0000-0000-0000-000000000000",
        "--out",
        walk.file("a-file", ""),
        code=2,
    )
    walk.run("slack", "manifest", "--url", "https://boussole.example.org", ids=True)
    walk.run("slack", "manifest", "--socket-mode", "--format", "json", ids=True)
    walk.run("slack", "manifest", code=2)


def walk_everything(walk: Walk) -> None:
    ids = walk_triages(walk)
    walk_reports(walk, ids)
    walk_retriage_and_cancel(walk, ids)
    walk_records(walk)
    walk_flows(walk)
    walk_directory(walk)
    walk_register(walk, ids)
    walk_review(walk, ids)
    walk_outbox(walk)
    walk_audit(walk)
    walk_settings(walk)
    walk_usage_errors(walk)
    for path in sorted(command_paths(cli)):
        walk.help(path)
    walk.help(())


MODES = [("fr", True), ("fr", False), ("en", True), ("en", False)]


def clean_env(database_url: str, tmp_path: Path) -> dict[str, str | None]:
    """Only this test's database and folder; no setting of the machine's, no platform."""
    env: dict[str, str | None] = {
        k: None
        for k in os.environ
        if k.startswith(("BOUSSOLE_", "SLACK_", "Microsoft", "ToBot", "ToChannel"))
    }
    return env | {
        "BOUSSOLE_DATABASE_URL": database_url,
        "BOUSSOLE_DATA_DIR": str(tmp_path / "data"),
        "COLUMNS": "200",
    }


@pytest.mark.parametrize(
    ("lang", "by_flag"), MODES, ids=["fr-flag", "fr-default", "en-flag", "en-env"]
)
def test_every_command_speaks_one_language_and_shows_labels(
    database_url: str, tmp_path: Path, lang: str, by_flag: bool
) -> None:
    walk = Walk(lang, by_flag, clean_env(database_url, tmp_path), tmp_path, Detector.build(lang))
    walk_everything(walk)
    assert walk.leaks == []


def test_the_walk_runs_every_command(database_url: str, tmp_path: Path) -> None:
    walk = Walk("fr", True, clean_env(database_url, tmp_path), tmp_path, Detector.build("fr"))
    walk_everything(walk)
    assert runnable(cli) - walk.walked == set()


def test_help_takes_the_language_typed_after_it(cli_env: dict[str, str]) -> None:
    """Click reads --help before --lang: the language is taken from the command line."""
    english = boussole("report", "--help", "--lang", "en", env=cli_env | {"BOUSSOLE_LANG": "fr"})
    french = boussole("report", "--help", env=cli_env)
    assert "Report of a finished triage." in english.stdout
    assert "Show this message and exit." in english.stdout
    assert "Rapport d'une analyse terminée" in french.stdout
    assert "Afficher cette aide et quitter." in french.stdout
    assert " / " not in english.stdout + french.stdout


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        ("fr", "Fait (2 selections)"),
        ("fr", "done (2 sélections)"),
        ("fr", "1 analyses rejouées : 0 change d'orientation"),
        ("fr", "Journal d'audit intact : 1 lignes vérifiées."),
        ("fr", "Vos changements ouvrent 2 nouvelle(s) question(s)."),
        ("fr", "Réglage BOUSSOLE_LANG invalide : Input should be 'fr' or 'en'."),
        ("fr", "C2-Q5 = cloud_ue_extra_ue"),
        ("fr", "Orientation : full_review"),
        ("fr", "Publiée par │ Published by"),
        ("en", "C2-Q5 = oui"),
        ("en", "Orientation: light_track"),
        ("en", "Orientation: Examen approfondi"),
        ("en", "Audit log intact: 1 rows checked."),
    ],
)
def test_the_detector_finds_each_leak_the_issue_names(lang: str, shown: str) -> None:
    assert Detector.build(lang).leaks(shown) != []


def test_an_internal_error_is_said_in_the_readers_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The last resort of the command line, whatever failed, speaks the language asked."""

    def unforeseen(_lang: str | None) -> str:
        raise RuntimeError("unforeseen")

    monkeypatch.setattr("adapters.console.cli.resolve_lang", unforeseen)
    monkeypatch.setattr(sys, "argv", ["boussole", "list", "--lang", "en"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 1
    assert capsys.readouterr().err.startswith("Internal error (RuntimeError: unforeseen).")
