"""A disk cache of the schema's verdicts on stored flows, so that a start skips pydantic.

A published version is validated again each time a process loads it (a stored row may have
been altered); in a terminal, that is every `boussole triage`, and importing pydantic's model
machinery for it costs about 100 ms of CPU (bench/startup.py). This cache remembers which
stored documents the schema (`flows.schema`) accepted **unchanged**: those whose plain reading
(`flows.model.flow_from_document`) equals what the schema made of them, so that nothing was
coerced, each as the reading of one source (by its sha256): a document is vouched for only
where it was read from that source, at publication or when a load read the source again and
found the same. The document still comes from the database; the cache only spares its
validation and the source's reading, and `flows.checks` still runs on it.

An entry is a file named by the document's hash and the code's version (the source of the
schema and of the plain reading), holding that name's fields and nothing else: a file cut
short, written by another version or for another document, or holding anything else, is
ignored, and the document is validated as if there were no cache. Entries are written
atomically (a file of their own, renamed into place). Whoever can write the cache's directory
(the data directory) can vouch for a document, but only the database holds documents: an
altered stored flow still needs the database.
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any

FORMAT = "boussole-flow-verdict/2"
MAX_ENTRY_BYTES = 4096
"""An entry is about 200 bytes: a bigger file is not one."""

_directory: Path | None = None


def use(directory: Path | None) -> None:
    """Keep verdicts in `directory` (created when first written), or none at all."""
    global _directory
    _directory = directory


@cache
def code_version() -> str:
    """The version of what a verdict is about: the schema and the plain reading's source."""
    digest = hashlib.sha256()
    for module in ("model.py", "schema.py"):
        digest.update(Path(__file__).with_name(module).read_bytes())
    return digest.hexdigest()[:16]


def document_key(document: Any) -> str:
    """The stored document's hash, over its canonical JSON."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _entry(document: Any, source_sha256: str) -> tuple[Path, bytes] | None:
    """Where the verdict on `document` lives, and the exact bytes it holds; None without a
    cache. The verdict names the source the document was read from: a document is vouched
    for only as that source's reading (`flows.loader.load_document`)."""
    if _directory is None:
        return None
    try:
        version = code_version()
    except OSError:  # the sources are not files (a zipped install): no cache
        return None
    key = document_key(document)
    content = {"format": FORMAT, "document": key, "source": source_sha256, "code": version}
    return _directory / f"{key}-{version}.json", json.dumps(content).encode("ascii")


def vouches(document: Any, source_sha256: str) -> bool:
    """Whether this document is the reading of that source and the schema accepted it
    unchanged, as far as the cache knows."""
    entry = _entry(document, source_sha256)
    if entry is None:
        return False
    path, expected = entry
    try:
        with path.open("rb") as file:
            found = file.read(MAX_ENTRY_BYTES + 1)
    except OSError:
        return False
    return found == expected


def vouch(document: Any, source_sha256: str) -> None:
    """Record that this document is that source's reading and that the schema accepted it
    unchanged; a cache that cannot be written is no cache, never an error."""
    entry = _entry(document, source_sha256)
    if entry is None:
        return
    path, content = entry
    partial = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("xb") as file:
            file.write(content)
        os.replace(partial, path)
    except OSError:
        with suppress(OSError):
            partial.unlink()
