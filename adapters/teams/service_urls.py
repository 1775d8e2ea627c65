"""Where the bot may send its Bot Framework token: the service URLs of Teams, and no other.

A reply to an activity goes to the activity's `serviceUrl`, which the SDK has checked against
the signed token's `serviceurl` claim. A notice sent first (`adapters.teams.proactive`) goes
to the `serviceUrl` of a conversation reference read from the database, which nothing signs:
whoever can write to the database could point it at a server of theirs and receive, with the
notice, a token that lets them act as the bot towards every Teams user of the authority. So
a stored reference is used only when its service URL is one of Teams' own (the public cloud
and the US government clouds, as Microsoft lists them, and the Bot Framework's channels),
or an origin the deployer adds with BOUSSOLE_TEAMS_SERVICE_URLS (a sovereign cloud, a
relay). With authentication off no token is sent, and the URL must be on this machine, as
for an activity (`adapters.teams.endpoint.malformed`).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from adapters.chat.domains import within
from adapters.teams.endpoint import is_loopback

SERVICE_URLS = "BOUSSOLE_TEAMS_SERVICE_URLS"
"""Origins besides Teams' own where stored conversations may point."""
TEAMS_HOSTS = frozenset(
    {
        "smba.trafficmanager.net",
        "smba.infra.gcc.teams.microsoft.com",
        "smba.infra.gov.teams.microsoft.us",
        "smba.infra.dod.teams.microsoft.us",
    }
)
"""Exact names: `trafficmanager.net` itself is Azure's, where anyone can name a profile."""
BOT_FRAMEWORK = "*.botframework.com"
"""Microsoft's own domain: any of its hosts (webchat, directline, their regional names)."""


def origin(url: str) -> str | None:
    """`scheme://host[:port]` in lower case, or None when `url` is not an http(s) URL, or
    holds what URL parsers read differently (spaces, controls, backslashes, non-ASCII): the
    SDK's HTTP client must reach the host judged here."""
    if not url.isascii() or not url.isprintable() or " " in url or "\\" in url:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if parts.username is not None or parts.password is not None:
        return None
    return f"{parts.scheme}://{parts.hostname}" + (f":{port}" if port is not None else "")


def untrusted(url: object, auth_enabled: bool, added: Iterable[str]) -> str | None:
    """Why the bot must not send to `url`, or None when it may."""
    if not isinstance(url, str) or not url:
        return "it has no service URL"
    found = origin(url)
    if found is None:
        return f"its service URL {url!r} is not a plain http(s) URL"
    host = urlsplit(found).hostname or ""
    if not auth_enabled:
        return None if is_loopback(host) else f"{found} is not on this machine"
    if found in added:
        return None
    if found.startswith("https://") and within(host, (*TEAMS_HOSTS, BOT_FRAMEWORK)):
        return None
    return f"{found} is not a Teams service URL (add it to {SERVICE_URLS} if it is one)"
