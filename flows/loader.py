"""Reading flow files: YAML with line numbers, schema, checks, compilation, and the cache.

Compilation is cached by sha256, so every triage of a published version shares one Machine
and a process builds each version once. The schema (pydantic, `flows.schema`) is imported
only to validate a document; a stored one the disk cache vouches for (`flows.flow_cache`) is
read without it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from flows import flow_cache
from flows.checks import check_flow
from flows.compiled import CompiledFlow
from flows.documents import DocumentRefused, load_yaml
from flows.limits import MAX_FLOW_BYTES
from flows.model import FlowFile, flow_from_document
from flows.problems import FlowError, Problem, Reporter, schema_message

if TYPE_CHECKING:
    from flows.analysis import Coverage

BUNDLED_FLOW = "boussole-nantes.yaml"

_cache: dict[str, CompiledFlow] = {}
_coverage: dict[str, Coverage] = {}
"""The coverage of each cached flow that passed the path checks too (`flows.analysis`)."""


@dataclass(frozen=True)
class CheckResult:
    flow: CompiledFlow | None
    problems: list[Problem]
    coverage: Coverage | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def bundled_flow_bytes() -> bytes:
    return resources.files("flows").joinpath(BUNDLED_FLOW).read_bytes()


def check_source(source: bytes, name: str) -> CheckResult:
    """Parse, validate, compile and walk the paths; every problem is returned, not raised.

    Whatever the bytes, this ends with problems, in bounded time and memory: the limits of
    `flows.limits` are checked as the YAML is read, then on the schema, the conditions and
    the work of the path checks.

    A flow found in the cache is answered from it only if it passed the path checks: one
    cached by `load_document` has skipped them.
    """
    sha256 = hashlib.sha256(source).hexdigest()
    if sha256 in _coverage:
        return CheckResult(_cache[sha256], [], _coverage[sha256])
    if len(source) > MAX_FLOW_BYTES:
        return CheckResult(None, [Problem(name, 1, "error", "the file is over 1 MB")])
    from ruamel.yaml.error import MarkedYAMLError, YAMLError  # with the YAML: not to run a flow

    try:
        root = load_yaml(source.decode("utf-8"), round_trip=True)
    except UnicodeDecodeError as error:
        return CheckResult(None, [Problem(name, 1, "error", f"not UTF-8 text: {error.reason}")])
    except DocumentRefused as refusal:
        return CheckResult(None, [Problem(name, refusal.line, "error", refusal.message)])
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        return CheckResult(None, [Problem(name, line, "error", f"not valid YAML: {error.problem}")])
    except YAMLError as error:
        return CheckResult(None, [Problem(name, 1, "error", f"not valid YAML: {error}")])
    return _check_document(root, source, sha256, name, analyse_paths=True)


def _validated(root: Any, report: Reporter) -> FlowFile | None:
    """The flow the schema makes of `root`, or None with its problems reported."""
    from pydantic import ValidationError

    from flows.schema import FlowFile as FlowSchema

    try:
        valid = FlowSchema.model_validate(root)
    except ValidationError as error:
        for item in error.errors():
            report.error(tuple(item["loc"]), schema_message(item))
        return None
    return flow_from_document(valid.model_dump())


def _check_document(
    root: Any,
    source: bytes,
    sha256: str,
    name: str,
    analyse_paths: bool,
    spec: FlowFile | None = None,
) -> CheckResult:
    """Schema (unless `spec` is given: the schema's reading of `root`, which the disk cache
    vouches for), checks, compilation, then (if `analyse_paths`) the walks of
    `flows.analysis`, which only make sense on a flow that compiled without error. A flow the
    schema read as it stands (nothing coerced) is vouched for in the disk cache: that is the
    document a published version stores."""
    report = Reporter(name, root)
    vouched = spec is not None
    spec = spec or _validated(root, report)
    if spec is None:
        return CheckResult(None, report.problems)
    conditions = check_flow(spec, report)
    if report.errors:
        return CheckResult(None, report.problems)
    flow = CompiledFlow(spec, source, sha256, conditions, plain(root))
    if not vouched and _plain_reading(flow.document) == spec:
        flow_cache.vouch(flow.document, sha256)
    coverage = None
    if analyse_paths:
        # Imported here: a published version is loaded without its walks (25 ms of imports).
        from flows.analysis import analyse

        coverage = analyse(flow, report)
    if report.errors:
        return CheckResult(None, report.problems, coverage)
    if not report.problems:
        _cache[sha256] = flow
        if coverage is not None:
            _coverage[sha256] = coverage
    return CheckResult(flow, report.problems, coverage)


def _reading_of(source: bytes) -> Any:
    """The source's reading, or None when it has none (a source changed to invalid text:
    its hash no longer matches, which `audit verify` names)."""
    from ruamel.yaml.error import YAMLError

    try:
        return source_document(source)
    except (UnicodeDecodeError, DocumentRefused, YAMLError):
        return None


def source_document(source: bytes) -> Any:
    """The document a published version stores for this source (see `plain`), read afresh:
    what `audit verify` compares the stored one with."""
    return plain(load_yaml(source.decode("utf-8"), round_trip=True))


def plain(data: Any) -> Any:
    """The parsed YAML as plain JSON data, stored with a published version so that running
    it never parses YAML again (round-trip parsing, needed for line numbers, is slow)."""
    if isinstance(data, dict):
        return {str(key): plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [plain(item) for item in data]
    if isinstance(data, bool):
        return bool(data)
    if isinstance(data, int):
        return int(data)
    if isinstance(data, float):
        return float(data)
    return data if data is None else str(data)


def load_document(document: Any, source: bytes, sha256: str, name: str) -> CompiledFlow:
    """A published version from its stored document: it passed every check when it was
    recorded, so a problem here means the stored row was altered. The path checks are not
    run again: they take a fraction of a second that a running bot need not spend.

    Nor is the schema, where the disk cache says it accepted this document unchanged as
    its source's reading. Without that verdict the source is read again and the document
    must be its reading: a rule rewritten in the stored document (which results are
    recomputed from) is refused, not run. Reading the source costs about 0.2 s, once per
    version and machine, since the verdict is then kept."""
    cached = _cache.get(sha256)
    if cached is not None:
        return cached
    if hashlib.sha256(source).hexdigest() != sha256:
        message = "the stored flow's text no longer has its sha256: it was changed in the database"
        raise FlowError([Problem(name, 1, "error", message)])
    if flow_cache.vouches(document, sha256):
        vouched = _plain_reading(document)
    elif _reading_of(source) == document:
        vouched = None
    else:
        message = "the stored flow is not its source's reading: it was changed in the database"
        raise FlowError([Problem(name, 1, "error", message)])
    result = _check_document(document, source, sha256, name, analyse_paths=False, spec=vouched)
    if result.flow is None:
        raise FlowError(result.errors)
    return result.flow


def _plain_reading(document: Any) -> FlowFile | None:
    """The document read without the schema, None where it has not the schema's shape."""
    try:
        return flow_from_document(document)
    except (KeyError, TypeError, AttributeError):
        return None


def load_source(source: bytes, name: str) -> CompiledFlow:
    """A usable flow, or a FlowError listing every problem."""
    result = check_source(source, name)
    if result.flow is None:
        raise FlowError(result.errors)
    return result.flow


def load_bundled() -> CompiledFlow:
    return load_source(bundled_flow_bytes(), BUNDLED_FLOW)
