"""The YAML half of `flows.documents`: ruamel's composer bounded in nesting and values
(aliases expanded), and explicit tags refused. Imported when a YAML text is read, so that a
terminal triage, which reads its flow from the database, does not import ruamel (about 20 ms
of CPU, bench/startup.py).
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor, SafeConstructor
from ruamel.yaml.events import AliasEvent

from flows.documents import DocumentRefused, nesting_message
from flows.limits import MAX_NESTING, MAX_NODES

STANDARD_TAGS = "tag:yaml.org,2002:"
"""How ruamel spells the `!!` of `!!str`, `!!python/object`…"""


def load(text: str, round_trip: bool) -> Any:
    """`flows.documents.load_yaml`'s work."""
    yaml = YAML(typ="rt") if round_trip else YAML(typ="safe", pure=True)
    yaml.Composer = _BoundedComposer
    yaml.Constructor = _RoundTripConstructor if round_trip else _SafeConstructor
    return yaml.load(text)


class _BoundedComposer(Composer):  # type: ignore[misc]
    """ruamel's composer, counting values and levels as it builds the node graph.

    The parser under it is a state machine, not a recursion, so stopping here, one level past
    the limit, is before any deep recursion starts (the composer's, the constructor's, ours).
    """

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader=loader)
        self._values = 0
        self._level = 0
        self._reach = 0
        self._extents: dict[int, tuple[int, int]] = {}
        """Anchored node id -> (values, levels) it stands for, once it is composed."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, AliasEvent):
            self._alias(event.anchor, line)
            return super().compose_node(parent, index)
        if event.tag is not None:
            tag = str(event.tag).replace(STANDARD_TAGS, "!!")
            raise DocumentRefused(
                line, f"YAML tags ({tag}) are not allowed; write the value without one"
            )
        self._count(1, self._level + 1, line)
        before, outer = self._values - 1, self._reach
        self._level += 1
        self._reach = self._level
        node = super().compose_node(parent, index)
        if event.anchor is not None:
            self._extents[id(node)] = (self._values - before, self._reach - self._level + 1)
        self._level -= 1
        self._reach = max(outer, self._reach)
        return node

    def _alias(self, anchor: str, line: int) -> None:
        node = self.anchors.get(anchor)
        if node is None:
            return  # undefined: ruamel raises its own error
        extent = self._extents.get(id(node))
        if extent is None:
            raise DocumentRefused(
                line,
                f"alias *{anchor} is inside its own anchor &{anchor}, "
                "so it would stand for an endless value",
            )
        values, levels = extent
        self._count(values, self._level + levels, line)
        self._reach = max(self._reach, self._level + levels)

    def _count(self, values: int, level: int, line: int) -> None:
        self._values += values
        if level > MAX_NESTING:
            raise DocumentRefused(line, nesting_message())
        if self._values > MAX_NODES:
            raise DocumentRefused(
                line,
                f"the document holds more than {MAX_NODES} values, each alias counted as "
                "the values it stands for; a flow or answer file needs far fewer",
            )


class _ValuesAtTheirLine:
    """Values Python refuses (an integer of 5,000 digits, a 13th month) reported at their
    line, as YAML errors are, instead of escaping as a bare ValueError."""

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except (ValueError, OverflowError) as error:
            raise ConstructorError(None, None, str(error), node.start_mark) from None


class _RoundTripConstructor(_ValuesAtTheirLine, RoundTripConstructor):  # type: ignore[misc]
    pass


class _SafeConstructor(_ValuesAtTheirLine, SafeConstructor):  # type: ignore[misc]
    pass
