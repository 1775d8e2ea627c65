"""The words for a stored row Boussole never wrote (`storage.integrity.UnreadableRecord`),
kept apart from the checks so that the command line can say them without importing storage."""

from __future__ import annotations

import logging

from bot import effects as fx
from bot.i18n import t
from storage.integrity import UNAUDITED, UnreadableRecord

__all__ = ["UnreadableRecord", "unreadable_effect", "unreadable_message"]
"""The exception comes from here for the adapters, which do not import storage."""

log = logging.getLogger(__name__)


def unreadable_message(error: UnreadableRecord, lang: str) -> str:
    """Which record, which field, and what to do."""
    record = t(
        f"record_{error.kind}" if error.key else f"record_{error.kind}_unnamed", lang, id=error.key
    )
    words = "record_unreadable_unaudited" if error.kind in UNAUDITED else "record_unreadable"
    return t(words, lang, record=record, field=error.field, value=error.shown)


def unreadable_effect(error: UnreadableRecord, lang: str) -> fx.Error:
    """A turn that met such a row ends refused, its transaction rolled back; the
    administrators find the row in the log."""
    log.error("a stored row cannot be read, nothing was written: %s", error)
    return fx.Error(unreadable_message(error, lang), "record_unreadable")
