"""Reading flow and answer files that may be hostile, within the limits of `flows.limits`.

Three attacks on a parser are stopped here, before anything else sees the document:

- size: a file is read as at most `MAX_FLOW_BYTES` + 1 bytes, so /dev/zero, /dev/urandom or a
  pipe that never ends are refused without being read to their end;
- nesting: ruamel.yaml and Python's json module both recurse once per level, so `[[[[…`
  100,000 deep overflows the stack. The YAML composer below counts levels as it goes and stops
  at `MAX_NESTING`; JSON text is scanned for its depth, without recursion, before json reads it;
- aliases: YAML aliases are shared references that become copies as soon as the document is
  walked (schema, conditions, stored JSON), so nine levels of nine aliases stand for nine
  billion values. Anchors stay allowed (the bundled flow names a list of choices once and
  reuses it), but each alias counts as every value it stands for, and a document past
  `MAX_NODES` values, aliases expanded, is refused at the line where it crossed the limit.

Explicit tags (`!!python/object`, `!!binary`, `!custom`) are refused too: a flow or answer file
only holds mappings, lists, text and numbers, and a tag only asks the loader for more. The
YAML half lives in `flows.yaml_reader`, imported when a YAML text is read.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from flows.limits import MAX_FLOW_BYTES, MAX_NESTING


class DocumentRefused(Exception):
    """A document past one of the limits; `message` is English, like the flow checker's."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


class FileTooLarge(Exception):
    """A file longer than the limit: only the limit and one byte more were read."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"over {limit} bytes")
        self.limit = limit


def read_limited(path: Path, limit: int = MAX_FLOW_BYTES) -> bytes:
    """The file's bytes, or FileTooLarge after reading `limit` + 1 of them; OSError as usual.

    Unbuffered, so that not a byte more is taken from the file (a buffered read rounds up to
    its buffer), and in a loop, since a pipe gives what it has so far.
    """
    chunks: list[bytes] = []
    size = 0
    with path.open("rb", buffering=0) as file:
        while size <= limit:
            chunk = file.read(limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    if size > limit:
        raise FileTooLarge(limit)
    return b"".join(chunks)


def load_yaml(text: str, round_trip: bool) -> Any:
    """The document, round-trip (with line numbers, for flows) or plain (answer files).

    Raises DocumentRefused past a limit or on a tag, and ruamel's YAMLError on bad syntax.
    ruamel is imported here (flows.yaml_reader): a triage that reads no YAML spares it.
    """
    from flows.yaml_reader import load

    return load(text, round_trip)


def load_json(text: str) -> Any:
    """The JSON document, once its depth is known to be within `MAX_NESTING`.

    Raises DocumentRefused when too deep, json.JSONDecodeError on bad syntax, and ValueError
    for a number Python refuses to convert (over 4,300 digits).
    """
    _check_json_nesting(text)
    return json.loads(text)


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.S)
"""Strings (skipped whole, even unterminated) and brackets: all that decides the depth."""


def _check_json_nesting(text: str) -> None:
    depth = 0
    for token in _JSON_TOKENS.finditer(text):
        mark = token.group()
        if mark in "[{":
            depth += 1
            if depth > MAX_NESTING:
                line = text.count("\n", 0, token.start()) + 1
                raise DocumentRefused(line, nesting_message())
        elif mark in "]}":
            depth -= 1


def nesting_message() -> str:
    return (
        f"the document is nested more than {MAX_NESTING} levels deep; "
        "a flow or answer file needs far fewer"
    )
