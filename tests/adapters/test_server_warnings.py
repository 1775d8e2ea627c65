"""`serve` and `worker` warn at start of the departments whose flagged triages reach no
reviewer: to the admins in their stead, or loudly to nobody at all."""

from __future__ import annotations

import logging

import pytest

from adapters.server import ServeOptions, background_work
from bot.app import App, open_app
from bot.settings import Settings


@pytest.mark.asyncio
async def test_the_sample_directory_without_admins_is_a_loud_warning(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="adapters.server"):
        async with background_work(app, [], ServeOptions()):
            pass
    assert "ne seront signalées à PERSONNE" in caplog.text
    assert "Éducation, Solidarités" in caplog.text


@pytest.mark.asyncio
async def test_admins_standing_in_are_named_by_count(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    app = open_app(settings.model_copy(update={"admins": "slack:UADMIN", "lang": "en"}))
    try:
        with caplog.at_level(logging.WARNING, logger="adapters.server"):
            async with background_work(app, [], ServeOptions()):
                pass
    finally:
        app.close()
    assert "will go to the administrators (1)" in caplog.text
    assert "UADMIN" not in caplog.text
