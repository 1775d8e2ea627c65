"""A new database takes its directory from the file, and says when Slack could not ask P2."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.app import open_app
from bot.settings import Settings


def directory_file(folder: Path, count: int) -> Path:
    listed = "".join(
        f"  - id: d{i:03d}\n    name: {{fr: D{i}, en: D{i}}}\n    reviewers: []\n"
        for i in range(count)
    )
    path = folder / "directory.yaml"
    path.write_text(f"default_reviewers: []\ndepartments:\n{listed}", "utf-8")
    return path


@pytest.mark.parametrize(("count", "warned"), [(99, False), (100, True)])
def test_a_directory_too_long_for_a_slack_menu_is_seeded_with_a_warning(
    settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture, count: int, warned: bool
) -> None:
    seeded_from = {"directory_file": directory_file(tmp_path, count)}
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        app = open_app(settings.model_copy(update=seeded_from))
    try:
        with app.store.reading() as tx:
            assert len(tx.departments()) == count
    finally:
        app.store.close()
    said = [r.getMessage() for r in caplog.records if r.name == "bot.app"]
    assert bool(said) == warned
    if warned:
        assert "101 choix" in said[0] and "Slack ne pourra pas la poser" in said[0]
