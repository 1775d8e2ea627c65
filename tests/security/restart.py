"""What a process keeps of the rows it read, forgotten, as by a process started after a row
was changed: one that read them before keeps serving what it read, which is not the case
the tampering tests are about."""

from __future__ import annotations

from bot.answers_cache import AnswersCache
from bot.app import App
from flows import loader


def as_if_restarted(app: App) -> None:
    loader._cache.clear()
    loader._coverage.clear()
    app.catalog._by_id.clear()
    app.engine._answers = AnswersCache()
