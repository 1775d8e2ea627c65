"""Command groups imported when a command line names them, not on every start.

`boussole triage` is what a person waits for; the administration groups bring cryptography
(audit), charts (stats), the register forms and the platform SDKs with them, so the top group
knows each of them by name and imports its module the first time click asks for it (to run
it, or to list it in `--help`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping
from importlib import import_module

import click


class LazyCommands(MutableMapping[str, click.Command]):
    """A group's commands by name: those already built, and those a module will build.

    `prepare` runs once on each command as it is loaded (help in the reader's language)."""

    def __init__(
        self,
        built: MutableMapping[str, click.Command],
        deferred: dict[str, str],
        prepare: Callable[[click.Command], None],
    ) -> None:
        self._built = dict(built)
        self._deferred = dict(deferred)
        """Name to "module:attribute"."""
        self._prepare = prepare

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._built and name in self._deferred:
            module, attribute = self._deferred[name].split(":")
            command = getattr(import_module(module), attribute)
            self._prepare(command)
            self._built[name] = command
        return self._built[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._deferred.pop(name, None)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        found = self._deferred.pop(name, None)
        if self._built.pop(name, None) is None and found is None:
            raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        """Names in the order they were given; a snapshot, since loading one adds to it."""
        names = list(self._built) + [n for n in self._deferred if n not in self._built]
        return iter(names)

    def __len__(self) -> int:
        return len(self._built.keys() | self._deferred.keys())

    def __contains__(self, name: object) -> bool:
        return name in self._built or name in self._deferred
