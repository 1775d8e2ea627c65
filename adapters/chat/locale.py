"""A person's language from the locale their platform gives ("fr-FR", "en_US"): Teams puts
one on every activity, Slack in the person's profile. The rule is the same everywhere, so
that one person is not answered in French on one platform and in English on another."""

from __future__ import annotations

from bot.i18n import DEFAULT_LANG, LANGS


def language(locale: str | None) -> str:
    """A supported language, French when the locale is missing or not supported."""
    if not locale:
        return DEFAULT_LANG
    base = locale.replace("_", "-").split("-", 1)[0].strip().lower()
    return base if base in LANGS else DEFAULT_LANG
