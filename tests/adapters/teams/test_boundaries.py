"""The SDK stays inside adapters/teams/: the engine never sees a Bot Framework type."""

from __future__ import annotations

import re

from tests.e2e.helpers import REPO

SDK_IMPORT = re.compile(r"^\s*(from|import)\s+(botbuilder|botframework|msrest|msal)\b", re.M)


PACKAGES = ("adapters", "bot", "flows", "storage")
"""The project's own code; a virtual environment in the checkout, whatever its name, is not."""


def test_no_bot_framework_import_outside_the_teams_adapter() -> None:
    offenders = []
    for package in PACKAGES:
        for path in (REPO / package).glob("**/*.py"):
            relative = path.relative_to(REPO).as_posix()
            if relative.startswith("adapters/teams/"):
                continue
            if SDK_IMPORT.search(path.read_text("utf-8")):
                offenders.append(relative)
    assert offenders == []
    assert any((REPO / "adapters" / "teams").glob("*.py"))  # the scan looked where the code is


def test_cards_and_commands_are_free_of_the_sdk() -> None:
    """What a replacement transport would keep: pure functions over engine views."""
    for name in ("cards.py", "mentions.py", "messages.py", "locale.py", "settings.py"):
        source = (REPO / "adapters" / "teams" / name).read_text("utf-8")
        assert not SDK_IMPORT.search(source), name
