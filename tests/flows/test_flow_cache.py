"""The disk cache of the schema's verdicts (flows.flow_cache): a stored flow it vouches for is
read without the schema, and read the same; any other file is ignored, never trusted. Without
a verdict the stored document must be its source's reading: one changed in the database is
refused."""

from __future__ import annotations

import copy
import functools
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows import flow_cache, loader
from flows.loader import bundled_flow_bytes, load_bundled, load_document, source_document
from flows.problems import FlowError


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache directory of its own, and no flow compiled in this process yet."""
    directory = tmp_path / "cache"
    _bundled_document()
    monkeypatch.setattr(loader, "_cache", {})
    monkeypatch.setattr(loader, "_coverage", {})
    flow_cache.use(directory)
    yield directory
    flow_cache.use(None)


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Each call of the schema, recorded."""
    calls: list[object] = []
    validated = loader._validated

    def counted(root: object, report: object) -> object:
        calls.append(root)
        return validated(root, report)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "_validated", counted)
    return calls


@functools.cache
def _bundled_document() -> dict:
    return load_bundled().document


def _stored() -> dict:
    """The bundled flow's document as a published version stores it."""
    return copy.deepcopy(_bundled_document())


def _load(document: dict, monkeypatch: pytest.MonkeyPatch, source: bytes | None = None) -> object:
    """A fresh process's load of a stored version (`source`: the bundled flow's text)."""
    monkeypatch.setattr(loader, "_cache", {})
    monkeypatch.setattr(loader, "_coverage", {})
    source = source or bundled_flow_bytes()
    return load_document(document, source, hashlib.sha256(source).hexdigest(), "v1")


def _published(old: str, new: str) -> tuple[bytes, dict]:
    """The bundled flow's text with `old` replaced by `new`, and its reading: a version
    published from that text."""
    text = bundled_flow_bytes().decode("utf-8")
    assert text.count(old) == 1
    source = text.replace(old, new).encode("utf-8")
    return source, source_document(source)


BUNDLED_SHA = hashlib.sha256(bundled_flow_bytes()).hexdigest()


def _entries(directory: Path) -> list[Path]:
    return sorted(directory.iterdir()) if directory.exists() else []


def test_a_vouched_flow_is_read_without_the_schema_and_the_same(
    cache: Path, validations: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _stored()
    first = _load(document, monkeypatch)
    assert len(validations) == 1
    [entry] = _entries(cache)
    assert entry.name.endswith(f"-{flow_cache.code_version()}.json")
    second = _load(document, monkeypatch)
    assert len(validations) == 1
    assert second.spec == first.spec  # type: ignore[attr-defined]
    assert second.machine.events.keys() == first.machine.events.keys()  # type: ignore[attr-defined]


HOSTILE = [
    b"",
    b"{",
    b"\x00" * 100,
    b'{"format": "boussole-flow-verdict/1"}',
    b"[" * 100_000,
    b" " * 10_000_000,
]


@pytest.mark.parametrize("content", HOSTILE, ids=range(len(HOSTILE)))
def test_a_corrupted_entry_is_ignored(
    content: bytes, cache: Path, validations: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _stored()
    _load(document, monkeypatch)
    [entry] = _entries(cache)
    entry.write_bytes(content)
    flow = _load(document, monkeypatch)
    assert len(validations) == 2
    assert flow.spec == _load(_stored(), monkeypatch).spec  # type: ignore[attr-defined]


def test_an_entry_of_another_document_or_version_is_not_trusted(
    cache: Path, validations: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    document = _stored()
    _load(document, monkeypatch)
    [entry] = _entries(cache)
    verdict = json.loads(entry.read_bytes())
    source, altered = _published("{fr: Nom du projet,", "{fr: Autre chose,")
    assert altered["sections"][0]["questions"][0]["label"]["fr"] == "Autre chose"
    # The altered document's entry, holding the first one's verdict; then another version's.
    key = flow_cache.document_key(altered)
    foreign = cache / f"{key}-{flow_cache.code_version()}.json"
    foreign.write_bytes(entry.read_bytes())
    _load(altered, monkeypatch, source)
    assert len(validations) == 2
    older = cache / f"{flow_cache.document_key(document)}-0000000000000000.json"
    entry.rename(older)
    older.write_text(json.dumps(verdict | {"code": "0000000000000000"}), encoding="ascii")
    _load(document, monkeypatch)
    assert len(validations) == 3


def test_a_stored_flow_altered_to_be_invalid_is_refused_even_with_a_verdict(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    altered = _stored()
    del altered["sections"][0]["questions"][0]["type"]
    # Forged: the verdict an honest cache would never write for this document.
    flow_cache.vouch(altered, BUNDLED_SHA)
    with pytest.raises(FlowError):
        _load(altered, monkeypatch)


def test_a_flow_the_schema_coerces_is_never_vouched_for(
    cache: Path, validations: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    source, coerced = _published("      - id: P1\n", '      - id: P1\n        gate: "no"\n')
    assert coerced["sections"][0]["questions"][0]["gate"] == "no"  # pydantic reads False
    first = _load(coerced, monkeypatch, source)
    second = _load(coerced, monkeypatch, source)
    assert len(validations) == 2
    assert _entries(cache) == []
    assert first.spec.sections[0].questions[0].gate is False  # type: ignore[attr-defined]
    assert second.spec == first.spec  # type: ignore[attr-defined]


def test_an_unwritable_cache_is_no_cache(
    tmp_path: Path, validations: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    _bundled_document()
    validations.clear()
    blocked = tmp_path / "file"
    blocked.write_text("not a directory", encoding="utf-8")
    monkeypatch.setattr(loader, "_cache", {})
    monkeypatch.setattr(loader, "_coverage", {})
    flow_cache.use(blocked / "cache")
    try:
        document = _stored()
        _load(document, monkeypatch)
        _load(document, monkeypatch)
    finally:
        flow_cache.use(None)
    assert len(validations) == 2


def test_entries_are_written_whole_and_alone(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Written to a file of its own, then renamed: no partial file is ever left beside it."""
    document = _stored()
    for _ in range(3):
        _load(document, monkeypatch)
    [entry] = _entries(cache)
    assert flow_cache.vouches(document, BUNDLED_SHA)
    assert json.loads(entry.read_bytes())["document"] == flow_cache.document_key(document)


def test_a_document_that_is_not_its_sources_reading_is_refused(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rule rewritten in the stored document, results recomputed from it: before, it was
    run as stored whenever it passed the checks."""
    changed = _stored()
    changed["sections"][0]["questions"][0]["label"]["fr"] = "Autre chose"
    with pytest.raises(FlowError, match="not its source's reading"):
        _load(changed, monkeypatch)
    assert _entries(cache) == []
    _load(_stored(), monkeypatch)  # vouched for the bundled text's reading only
    with pytest.raises(FlowError, match="not its source's reading"):
        _load(changed, monkeypatch)


def test_a_text_that_no_longer_has_its_sha256_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    source = bundled_flow_bytes()
    monkeypatch.setattr(loader, "_cache", {})
    with pytest.raises(FlowError, match="no longer has its sha256"):
        load_document(_stored(), source + b"\n", hashlib.sha256(source).hexdigest(), "v1")
