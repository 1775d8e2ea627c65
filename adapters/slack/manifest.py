"""The Slack app manifest, for `boussole slack manifest`.

Generated rather than copied from the docs, so that the scopes and events it asks for are
the ones this adapter uses, and the request URLs are each deployment's own. Over HTTP, Slack
posts commands, events and clicks to one URL (`/slack/events`); in Socket Mode the manifest
has no URL at all. The structure follows Slack's published schema (tests/schemas), checked by
the test suite. This module imports no Slack SDK.
"""

from __future__ import annotations

from typing import Any

from adapters.slack.platform import EVENTS_PATH
from bot.i18n import t

NAME = "Boussole"
BACKGROUND = "#1d4f91"
COMMAND_MAX = 32
"""Slack's longest slash command, the slash included."""
SCOPES = ("commands", "chat:write", "im:write", "im:history", "users:read", "files:read")
"""Each one's reason is given in docs/slack.md; nothing else is asked."""
EVENTS = ("app_home_opened", "message.im", "file_shared")


def events_url(base: str) -> str:
    """Where Slack posts: the server's public address followed by `/slack/events`, whether
    the operator gave the address alone or the whole URL."""
    base = base.rstrip("/")
    return base if base.endswith(EVENTS_PATH) else base + EVENTS_PATH


def manifest(lang: str, command: str, url: str | None) -> dict[str, Any]:
    """The manifest in `lang`; `url` None for Socket Mode."""
    slash: dict[str, Any] = {"command": command}
    if url is not None:
        slash["url"] = url
    slash |= {
        "description": t("slack_manifest_command", lang),
        "usage_hint": t("slack_manifest_usage", lang),
        "should_escape": False,
    }
    events: dict[str, Any] = {"request_url": url} if url is not None else {}
    events["bot_events"] = list(EVENTS)
    interactivity: dict[str, Any] = {"is_enabled": True}
    if url is not None:
        interactivity["request_url"] = url
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": NAME,
            "description": t("slack_manifest_description", lang),
            "background_color": BACKGROUND,
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": NAME, "always_online": True},
            "slash_commands": [slash],
        },
        "oauth_config": {"scopes": {"bot": list(SCOPES)}},
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": url is None,
            "token_rotation_enabled": False,
        },
    }
