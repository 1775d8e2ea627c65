"""The reader's language and time zone, from what Teams puts on every activity
("fr-FR", "Europe/Paris")."""

from __future__ import annotations

from datetime import tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.i18n import DEFAULT_LANG, LANGS

DEFAULT_ZONE = "Europe/Paris"
"""The authority's own: a client that sends no time zone is most likely in Nantes."""


def language(locale: str | None) -> str:
    """A supported language, French when the locale is missing or not supported."""
    if not locale:
        return DEFAULT_LANG
    base = locale.replace("_", "-").split("-", 1)[0].strip().lower()
    return base if base in LANGS else DEFAULT_LANG


def time_zone(name: str | None) -> tzinfo:
    """The IANA zone Teams reports (`localTimezone`), else Europe/Paris."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)
