"""What `boussole serve` learns from the Slack platform before starting it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from adapters.server import ServeOptions
from adapters.slack.platform import PLATFORM
from adapters.slack.settings import load_slack_settings, missing_setting
from bot.settings import SettingsError
from tests.net import free_port

REPO = Path(__file__).resolve().parents[3]
BOUSSOLE = Path(sys.executable).parent / "boussole"


@pytest.mark.parametrize(
    ("environ", "socket_mode", "missing"),
    [
        ({}, False, "SLACK_BOT_TOKEN"),
        ({"SLACK_SIGNING_SECRET": "s"}, False, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, False, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": " "}, False, None),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}, False, None),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}, True, "SLACK_APP_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}, True, None),
        ({"SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": "xapp-1"}, True, "SLACK_BOT_TOKEN"),
    ],
)
def test_the_first_missing_variable_is_named(
    environ: dict[str, str], socket_mode: bool, missing: str | None
) -> None:
    assert missing_setting(socket_mode, environ) == missing


@pytest.mark.parametrize(
    ("environ", "name"),
    [
        ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, "SLACK_APP_TOKEN"),
        ({"BOUSSOLE_SLACK_API_URL": "slack.example.org/api"}, "BOUSSOLE_SLACK_API_URL"),
        ({"BOUSSOLE_SLACK_COMMAND": "boussole"}, "BOUSSOLE_SLACK_COMMAND"),
    ],
)
def test_a_malformed_variable_is_named(environ: dict[str, str], name: str) -> None:
    with pytest.raises(SettingsError) as raised:
        missing_setting(False, environ)
    assert raised.value.name == name


def test_the_api_url_defaults_to_slack_and_may_point_elsewhere() -> None:
    assert load_slack_settings({}).api_url == "https://slack.com/api/"
    gateway = {"BOUSSOLE_SLACK_API_URL": "https://gateway.nantesmetropole.fr/slack/api"}
    assert load_slack_settings(gateway).api_url == "https://gateway.nantesmetropole.fr/slack/api/"


def test_the_platform_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert PLATFORM.missing_setting(ServeOptions()) == "SLACK_BOT_TOKEN"
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    assert PLATFORM.missing_setting(ServeOptions()) == "SLACK_SIGNING_SECRET"
    assert PLATFORM.missing_setting(ServeOptions(slack_socket_mode=True)) == "SLACK_APP_TOKEN"


def test_checking_the_settings_imports_no_slack_sdk() -> None:
    code = (
        "import sys\n"
        "from adapters.server import ServeOptions, load_platform\n"
        "load_platform('slack').missing_setting(ServeOptions())\n"
        "print(sorted(m for m in sys.modules if m.startswith(('slack_sdk', 'slack_bolt'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def _environment(cli_env: dict[str, str], **slack: str) -> dict[str, str]:
    env = {k: v for k, v in cli_env.items() if not k.startswith(("SLACK_", "Microsoft"))}
    env.update(slack)
    return env


def test_serve_without_any_platform_names_what_is_missing(cli_env: dict[str, str]) -> None:
    done = subprocess.run(
        [str(BOUSSOLE), "serve"],
        env=_environment(cli_env, SLACK_BOT_TOKEN="xoxb-1"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "slack : non démarré, le réglage SLACK_SIGNING_SECRET manque." in done.stderr


def test_serve_refuses_a_malformed_token(cli_env: dict[str, str]) -> None:
    done = subprocess.run(
        [str(BOUSSOLE), "serve"],
        env=_environment(cli_env, SLACK_BOT_TOKEN="xoxp-1", SLACK_SIGNING_SECRET="s"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "SLACK_BOT_TOKEN" in done.stderr


@pytest.mark.parametrize("access_log", ["", "true"])
def test_serve_starts_one_server_with_the_slack_endpoint(
    cli_env: dict[str, str], access_log: str
) -> None:
    port = free_port()
    env = _environment(
        cli_env,
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_SIGNING_SECRET="s",
        BOUSSOLE_SLACK_API_URL="http://127.0.0.1:9/api/",
        **({"BOUSSOLE_ACCESS_LOG": access_log} if access_log else {}),
    )
    server = subprocess.Popen(
        [str(BOUSSOLE), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _attempt in range(200):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as health:
                    assert health.status == 200
                break
            except OSError:
                time.sleep(0.1)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/slack/events", data=b"command=%2Fboussole", method="POST"
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request)
        assert refused.value.code == 401
    finally:
        server.send_signal(signal.SIGINT)
        _out, logged = server.communicate(timeout=30)
    assert server.returncode in (0, -signal.SIGINT, 130) or os.name == "nt"
    assert ('"POST /slack/events HTTP/1.1" 401' in logged) == bool(access_log), logged


def test_the_mapping_given_is_all_that_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """`boussole serve` checks the environment it will run with: a variable of this process
    must not fill in for one the mapping lacks."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-of-this-process")
    assert missing_setting(False, {"SLACK_SIGNING_SECRET": "s"}) == "SLACK_BOT_TOKEN"
