"""Whether a host is one of a list of names, where `*.example.org` stands for any host under
example.org (not example.org itself, nor `evilexample.org`): the Matrix servers whose people
the bot serves, the hosts of Teams' services."""

from __future__ import annotations

from collections.abc import Iterable


def within(host: str, names: Iterable[str]) -> bool:
    host = host.lower()
    return any(
        host == name or (name.startswith("*.") and host.endswith(name[1:])) for name in names
    )
