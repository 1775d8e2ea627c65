"""The reader's time zone, from what Teams puts on every activity ("Europe/Paris"); their
language is the chat kit's reading of the activity's locale (`adapters.chat.locale`)."""

from __future__ import annotations

from datetime import tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Europe/Paris"
"""The authority's own: a client that sends no time zone is most likely in Nantes."""


def time_zone(name: str | None) -> tzinfo:
    """The IANA zone Teams reports (`localTimezone`), else Europe/Paris."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)
