"""The golden answer files of tests/cases, written from the grid alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

CASES = Path(__file__).parent / "cases"


def load_cases(valid: bool) -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for path in sorted(CASES.glob("*.yaml")):
        case = YAML(typ="safe", pure=True).load(path.read_text("utf-8"))
        if bool(case["expect"].get("error")) != valid:
            cases.append((path.stem, case))
    return cases
