"""Running the real `boussole` command in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BOUSSOLE = [sys.executable, "-m", "adapters.console"]
REPO = Path(__file__).resolve().parents[2]


def boussole(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*BOUSSOLE, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )
