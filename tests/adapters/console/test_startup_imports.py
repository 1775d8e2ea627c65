"""`boussole triage` imports what a triage needs, and nothing a person would wait for in vain.

Start-up CPU is mostly imports (bench/startup.py measures it); a top-level import of the PDF
report, the audit's cryptography, a platform SDK or Alembic would silently bring back the
half second these deferrals saved, so the modules loaded by a real run are checked here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from tests.e2e.helpers import REPO
from tests.net import free_port

HEAVY = (
    "fpdf",
    "fontTools",
    "numpy",
    "PIL",
    "cryptography",
    "alembic",
    "aiohttp",
    "slack_sdk",
    "slack_bolt",
    "botbuilder",
    "mautrix",
    "jsonschema",
    "matplotlib",
    "pydantic_settings",
    "prometheus_client",
    "pydantic",
    "pydantic_core",
    "platformdirs",
)
"""Packages no terminal triage uses (reports, audit, server, schema checks of flow files, the
exposition of metrics nobody scrapes), pydantic-settings, whose work bot.settings does for
80 ms less, and pydantic itself (100 ms): settings written plainly are read without it, the
flow and the directory run as dataclasses, and the schema's verdict on the published flow is
kept on disk (flows.flow_cache)."""

DEFERRED = (
    "flows.analysis",
    "flows.paths",
    "sqlalchemy.orm",
    "flows.schema",
    "bot.directory_schema",
    "bot.settings_schema",
)
"""Modules a triage does without: the path walks run when a flow file is checked, not when a
published version is loaded; the tables are declared and queried with SQLAlchemy Core; the
schemas validate a file (and the published flow once, flows.flow_cache)."""

RUN = """
import json, sys
from adapters.console.cli import main
try:
    main()
except SystemExit as stop:
    print(json.dumps({"code": stop.code, "loaded": sorted(sys.modules)}), file=sys.stderr)
"""


def loaded_by(*args: str, env: dict[str, str], code: int = 0) -> set[str]:
    """Every module the command loaded, by its full name; it must exit with `code`."""
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] in (code, code or None), done.stderr
    return set(report["loaded"])


@pytest.mark.parametrize("output", ["text", "json"])
def test_triage_from_a_file_imports_no_heavy_package(output: str, cli_env: dict[str, str]) -> None:
    # Twice: the first run creates the schema (Alembic) and validates the flow and the
    # directory (pydantic), the second is the everyday start.
    example = "examples/reponses-cantines.yaml"
    loaded_by("triage", "--answers", example, "--format", output, env=cli_env)
    loaded = loaded_by("triage", "--answers", example, "--format", output, env=cli_env)
    packages = {name.split(".")[0] for name in loaded}
    assert "sqlalchemy" in packages
    assert sorted(packages & set(HEAVY)) == []
    assert sorted(loaded & set(DEFERRED)) == []
    if cli_env["BOUSSOLE_DATABASE_URL"].startswith("sqlite"):
        assert "sqlalchemy.dialects.postgresql" not in loaded


FIRST_QUESTION_DEFERRED = ("ruamel", "bot.admin", "bot.publishing")
"""What a terminal triage does without until its first question, besides HEAVY: the YAML
reader (the flow comes from the database, its verdict from flows.flow_cache) and the
administration's rules, which publish flows."""


def test_an_interactive_triage_reads_no_yaml_and_no_pydantic(cli_env: dict[str, str]) -> None:
    loaded_by("triage", "--answers", "examples/reponses-cantines.yaml", env=cli_env)  # schema
    # Typed answers, no input: the first question is asked, then Ctrl-D stops (exit 130).
    loaded = loaded_by("triage", "--plain", env=cli_env, code=130)
    assert "bot.engine" in loaded
    packages = {name.split(".")[0] for name in loaded}
    assert sorted(packages & set(HEAVY)) == []
    unwanted = (*DEFERRED, *FIRST_QUESTION_DEFERRED)
    assert sorted(m for m in loaded if m in unwanted or m.split(".")[0] in unwanted) == []


DRAWN = """
import json, os, sys
from prompt_toolkit.renderer import Renderer
from adapters.console.cli import main

draw = Renderer.render

def render(self, *args, **kwargs):
    draw(self, *args, **kwargs)
    target = os.environ.pop("DRAWN_MODULES", None)
    if target:
        with open(target, "w") as file:
            json.dump(sorted(sys.modules), file)

Renderer.render = render
main()
"""
"""The command, writing the modules loaded when its first prompt is drawn (the start runs
after the drawing, prompt_toolkit's after_render)."""

FIRST_DRAWING_DEFERRED = ("sqlalchemy", "bot.engine", "bot.app", "storage", "flows.compiled")
"""What a warm interactive triage does without until its first question is on screen: the
question comes from the data directory (adapters.console.first_question), the database and
the engine are opened behind it."""


def drawn_with(env: dict[str, str], target: Path) -> set[str]:
    """The modules loaded when `boussole triage` had drawn its first question (Ctrl-C then)."""
    child = pexpect.spawn(
        sys.executable,
        ["-c", DRAWN, "triage"],
        env=env | {"TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1", "DRAWN_MODULES": str(target)},
        cwd=str(REPO),
        encoding="utf-8",
        timeout=120,
        dimensions=(50, 120),
    )
    child.expect("Nom du projet")
    child.waitnoecho()
    child.send("\x03")
    child.expect("boussole triage --resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    return set(json.loads(target.read_text("utf-8")))


def test_a_warm_interactive_triage_draws_its_first_question_without_the_database(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    cold = drawn_with(cli_env, tmp_path / "cold.json")  # no question kept yet: the engine's
    assert {"sqlalchemy", "bot.engine"} <= cold
    loaded = drawn_with(cli_env, tmp_path / "warm.json")
    assert "questionary" in loaded
    packages = {name.split(".")[0] for name in loaded}
    assert sorted(packages & set(HEAVY)) == []
    unwanted = (*DEFERRED, *FIRST_QUESTION_DEFERRED, *FIRST_DRAWING_DEFERRED)
    assert sorted(m for m in loaded if m in unwanted or m.split(".")[0] in unwanted) == []


def test_help_still_lists_every_command_and_an_admin_group_still_runs(
    cli_env: dict[str, str],
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "adapters.console", "--help"],
        env=cli_env | {"BOUSSOLE_LANG": "en"},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    for name in ("admins", "audit", "flows", "register", "review", "stats", "teams", "triage"):
        assert f"  {name} " in done.stdout
    assert "Audit log" in done.stdout
    loaded = loaded_by("audit", "--help", env=cli_env)
    assert "cryptography.hazmat" in loaded


SERVE = """
import json, os, sys, threading, time, urllib.request
from adapters.console.cli import main

def ready():
    for _ in range(600):
        try:
            urllib.request.urlopen("http://127.0.0.1:PORT/readyz", timeout=2).read()
            break
        except OSError:
            time.sleep(0.1)
    print(json.dumps(sorted(sys.modules)), file=sys.stderr, flush=True)
    os._exit(0)

threading.Thread(target=ready, daemon=True).start()
main()
"""

SERVE_DEFERRED = ("cryptography", "bot.audit_log", "botbuilder", "botframework", "alembic")
"""What an idle `serve` with Slack alone and no audit signing key does without: the audit
checkpoint's signing (7-9 MB resident with cryptography, bench/memory.py) is imported by the
duty that uses it, and Teams' SDK only when Teams is configured."""


def test_serve_with_slack_alone_loads_neither_signing_nor_teams(cli_env: dict[str, str]) -> None:
    loaded_by("triage", "--answers", "examples/reponses-cantines.yaml", env=cli_env)  # schema
    env = cli_env | {
        "SLACK_BOT_TOKEN": "xoxb-guard",
        "SLACK_SIGNING_SECRET": "guard",
        "BOUSSOLE_SLACK_API_URL": "http://127.0.0.1:9/api/",
    }
    port = free_port()
    done = subprocess.run(
        [sys.executable, "-c", SERVE.replace("PORT", str(port)), "serve", "--port", str(port)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    loaded = set(json.loads(done.stderr.strip().splitlines()[-1]))
    assert "adapters.slack.platform" in loaded
    assert (
        sorted(m for m in loaded if m.split(".")[0] in SERVE_DEFERRED or m in SERVE_DEFERRED) == []
    )


SERVE_TEAMS = SERVE.replace(
    "    print(json.dumps(sorted(sys.modules))",
    """    request = urllib.request.Request(
        "http://127.0.0.1:PORT/api/messages", data=b"{}", method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as refused:
        print(json.dumps({"unauthenticated": refused.code}), file=sys.stderr, flush=True)
    print(json.dumps(sorted(sys.modules))""",
).replace("import json, os,", "import json, os, urllib.error,")


def test_an_idle_serve_with_slack_and_teams_does_not_import_the_bot_framework(
    cli_env: dict[str, str],
) -> None:
    """Teams' SDK (24 MB resident) is imported by the first request it must read, or the
    first Teams notice: not at start, nor for a request refused before it is read."""
    loaded_by("triage", "--answers", "examples/reponses-cantines.yaml", env=cli_env)  # schema
    env = cli_env | {
        "SLACK_BOT_TOKEN": "xoxb-guard",
        "SLACK_SIGNING_SECRET": "guard",
        "BOUSSOLE_SLACK_API_URL": "http://127.0.0.1:9/api/",
        "MicrosoftAppId": "00000000-0000-4000-8000-000000000001",
        "MicrosoftAppPassword": "guard",
        "MicrosoftAppTenantId": "00000000-0000-4000-8000-000000000002",
    }
    port = free_port()
    script = SERVE_TEAMS.replace("PORT", str(port))
    done = subprocess.run(
        [sys.executable, "-c", script, "serve", "--port", str(port)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    *_, refused, modules = done.stderr.strip().splitlines()
    assert json.loads(refused) == {"unauthenticated": 401}
    loaded = set(json.loads(modules)) - SDK_NAMESPACES
    assert {"adapters.slack.platform", "adapters.teams.platform"} <= loaded
    assert (
        sorted(m for m in loaded if m.split(".")[0] in SERVE_DEFERRED or m in SERVE_DEFERRED) == []
    )


SDK_NAMESPACES = {"botbuilder", "botbuilder.integration", "botframework"}
"""Namespace packages, empty: finding the SDK's modules at start (`adapters.server
.missing_module`) imports them, and nothing else of the SDK."""
