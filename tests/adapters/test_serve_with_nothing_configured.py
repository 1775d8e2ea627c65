"""What a newcomer reads when `boussole serve` finds no platform configured: every platform
it could have started, with the settings that would start it, in their language."""

from __future__ import annotations

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
