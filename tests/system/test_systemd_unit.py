"""The example systemd unit agrees with docs/deploy.md, which tells operators how to install
it: the same account, paths and command. `systemd-analyze verify` checks its syntax in CI
(tests/system/run-systemd-verify.sh); this checks what the verifier cannot know."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
UNIT = REPO / "extras" / "systemd" / "boussole.service"
DEPLOY = (REPO / "docs" / "deploy.md").read_text("utf-8")


def directives() -> dict[str, list[str]]:
    """Each directive's values in order (systemd allows a directive several times)."""
    found: dict[str, list[str]] = {}
    for line in UNIT.read_text("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";", "[")):
            continue
        key, _, value = line.partition("=")
        found.setdefault(key.strip(), []).append(value.strip())
    return found


UNIT_DIRECTIVES = directives()


def one(key: str) -> str:
    (value,) = UNIT_DIRECTIVES[key]
    return value


def environment() -> dict[str, str]:
    return dict(v.split("=", 1) for v in UNIT_DIRECTIVES["Environment"])


def test_it_runs_serve_from_the_venv_the_docs_install() -> None:
    command = shlex.split(one("ExecStart"))
    assert command[1:3] == ["serve", "--host"] and command[3] == "127.0.0.1"
    venv = str(Path(command[0]).parents[1])
    assert command[0] == f"{venv}/bin/boussole"
    assert f"python3 -m venv {venv}" in DEPLOY
    assert f"{venv}/bin/pip install 'dist/boussole_ia-0.1.0-py3-none-any.whl[" in DEPLOY


def test_it_runs_as_the_account_the_docs_create_never_root() -> None:
    user = one("User")
    assert user != "root" and one("Group") == user
    assert re.search(rf"useradd --system .*\b{user}\n", DEPLOY)
    assert "CapabilityBoundingSet" in UNIT_DIRECTIVES and one("CapabilityBoundingSet") == ""


def test_the_data_directory_is_the_one_writable_path_and_the_documented_one() -> None:
    data = environment()["BOUSSOLE_DATA_DIR"]
    assert data == f"/var/lib/{one('StateDirectory')}"
    assert one("ReadWritePaths") == data and one("WorkingDirectory") == data
    assert one("ProtectSystem") == "strict"
    assert f"`{data}`" in DEPLOY
    assert f"BOUSSOLE_AUDIT_CHECKPOINT_FILE={data}/" in DEPLOY


def test_settings_come_from_the_documented_environment_file() -> None:
    settings = one("EnvironmentFile")
    assert f"install -m 0640 -g {one('Group')} /dev/null {settings}" in DEPLOY


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("Restart", "on-failure"),
        ("NoNewPrivileges", "yes"),
        ("PrivateTmp", "yes"),
        ("ProtectHome", "yes"),
        ("KillSignal", "SIGTERM"),
    ],
)
def test_restart_and_hardening(key: str, value: str) -> None:
    assert one(key) == value


def test_it_starts_after_postgresql_and_the_network() -> None:
    after = one("After").split()
    assert "postgresql.service" in after and "network-online.target" in after
    assert one("Wants") == "network-online.target"
