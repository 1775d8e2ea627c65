"""A platform configured without its extra stops `boussole serve` with the install line, in
the reader's language (exit 2), instead of an internal error once the server starts.

Installing a venv without slack-bolt for a test costs minutes; a child process in which the
SDK cannot be imported (its name mapped to None in sys.modules, which makes every import of
it raise ModuleNotFoundError, as an absent package does) runs the real command instead."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
WITHOUT = (
    "import sys\n"
    "for name in sys.argv[1].split(','):\n"
    "    sys.modules[name] = None\n"
    "sys.argv = ['boussole', *sys.argv[2:]]\n"
    "from adapters.console.cli import main\n"
    "main()\n"
)
SLACK = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
TEAMS = {
    "MicrosoftAppId": "5f0e3c9a-0000-4000-8000-00000000b055",
    "MicrosoftAppPassword": "secret",
    "MicrosoftAppTenantId": "7a1b2c3d-0000-4000-8000-0000000000aa",
}


def _serve_without(
    hidden: str, cli_env: dict[str, str], platform: dict[str, str], *arguments: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in cli_env.items() if not k.startswith(("SLACK_", "Microsoft"))}
    env.update(platform)
    return subprocess.run(
        [sys.executable, "-c", WITHOUT, hidden, "serve", "--port", "9", *arguments],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("hidden", "platform", "said"),
    [
        (
            "slack_bolt",
            SLACK,
            "slack est configuré, mais son module slack_bolt n'est pas installé. "
            "Installez-le : pip install 'boussole-ia[slack]' (voir docs/slack.md).",
        ),
        (
            "slack_sdk",
            SLACK,
            "slack est configuré, mais son module slack_sdk n'est pas installé.",
        ),
        (
            "botbuilder",
            TEAMS,
            "n'est pas installé. Installez-le : pip install 'boussole-ia[teams]' "
            "(voir docs/teams.md).",
        ),
    ],
)
def test_a_missing_extra_names_the_install_line(
    hidden: str, platform: dict[str, str], said: str, cli_env: dict[str, str], tmp_path: Path
) -> None:
    done = _serve_without(hidden, cli_env, platform)
    assert done.returncode == 2, done.stderr
    assert said in done.stderr.replace("\n", " ")
    assert "Erreur interne" not in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "data").exists()  # stopped before the database was opened


def test_the_install_line_is_in_the_reader_language(cli_env: dict[str, str]) -> None:
    done = _serve_without("slack_bolt", cli_env, SLACK, "--lang", "en")
    assert done.returncode == 2
    assert (
        "slack is configured, but its module slack_bolt is not installed. "
        "Install it: pip install 'boussole-ia[slack]' (see docs/slack.md)."
    ) in done.stderr.replace("\n", " ")
