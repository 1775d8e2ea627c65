"""What a newcomer reads when `boussole serve` cannot start: with no platform configured,
every platform it could have started and the settings that would start each; with its port
taken, the port and the option to change it; in their language, never as an internal error."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.server import PLATFORM_MODULES

BOUSSOLE = Path(sys.executable).parent / "boussole"
PLATFORM_NAMES = {"slack": "Slack", "teams": "Teams", "matrix": "Matrix"}


@pytest.mark.parametrize(("lang", "skipped"), [("fr", "non démarré"), ("en", "not started")])
def test_the_last_line_names_every_platform_and_the_setting_each_lacks(
    cli_env: dict[str, str], lang: str, skipped: str
) -> None:
    env = {k: v for k, v in cli_env.items() if not k.startswith(("SLACK_", "Microsoft", "ToBot"))}
    done = subprocess.run(
        [str(BOUSSOLE), "serve"],
        env=env | {"BOUSSOLE_LANG": lang},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    advice = lines[-1]
    assert set(PLATFORM_NAMES) == set(PLATFORM_MODULES)
    for platform, name in PLATFORM_NAMES.items():
        said = next(line for line in lines if line.startswith(f"{platform}") and skipped in line)
        setting = said.rstrip(".").split()[-2 if lang == "fr" else -3]
        assert f"{name} (" in advice
        assert setting in advice, (setting, advice)


@pytest.mark.parametrize(
    ("lang", "said"),
    [("fr", "ce port est déjà pris"), ("en", "the port is already taken")],
)
def test_a_port_already_taken_is_named_not_an_internal_error(
    cli_env: dict[str, str], lang: str, said: str
) -> None:
    env = {k: v for k, v in cli_env.items() if not k.startswith(("SLACK_", "Microsoft"))}
    env |= {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "BOUSSOLE_LANG": lang}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [str(BOUSSOLE), "serve", "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert f"127.0.0.1:{port}" in last and said in last and "--port" in last
    assert "Erreur interne" not in done.stderr and "Internal error" not in done.stderr
