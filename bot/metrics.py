"""Prometheus metrics: turns, their latency, refusals and errors by kind, outbox depth.

Counters live in the process; several `serve` processes are scraped separately, as usual.

prometheus_client costs 50 ms of CPU to import, which a terminal triage (never scraped) would
pay for nothing. So the engine counts into `Deferred` stand-ins, which keep plain tallies until
something asks for `REGISTRY` or `OUTBOX_DEPTH` (the server does, as it is imported); then the
real metrics are made, the tallies replayed into them, and every later count goes straight to
prometheus_client. What /metrics shows is what it showed when the metrics were made at import.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

_LOCK = threading.Lock()
_EXPORTED: dict[str, Any] = {}
"""REGISTRY and OUTBOX_DEPTH once made (module attributes served by `__getattr__`)."""

Labels = tuple[tuple[str, str], ...]


class Deferred:
    """A labelled metric the engine may count into before prometheus_client is imported."""

    def __init__(self, build: Callable[[CollectorRegistry], Any]) -> None:
        self._build = build
        self._real: Any = None
        self._counted: dict[Labels, float] = {}
        self._observed: dict[Labels, list[float]] = {}

    def labels(self, **labels: str) -> Any:
        """The real child once exported, else a tally for these labels."""
        if self._real is not None:
            return self._real.labels(**labels)
        return _Tally(self, tuple(sorted(labels.items())))

    def _record(self, labels: Labels, inc: float | None, observe: float | None) -> None:
        with _LOCK:
            if self._real is not None:
                child = self._real.labels(**dict(labels))
                if inc is not None:
                    child.inc(inc)
                else:
                    child.observe(observe)
            elif inc is not None:
                self._counted[labels] = self._counted.get(labels, 0.0) + inc
            else:
                self._observed.setdefault(labels, []).append(float(observe or 0.0))

    def _make(self, registry: CollectorRegistry) -> None:
        """Create the real metric and replay what was counted before (under `_LOCK`)."""
        real = self._build(registry)
        for labels, amount in self._counted.items():
            real.labels(**dict(labels)).inc(amount)
        for labels, values in self._observed.items():
            child = real.labels(**dict(labels))
            for value in values:
                child.observe(value)
        self._counted.clear()
        self._observed.clear()
        self._real = real


class _Tally:
    """What `Deferred.labels` gives before export: the two calls the engine makes."""

    __slots__ = ("_labels", "_metric")

    def __init__(self, metric: Deferred, labels: Labels) -> None:
        self._metric = metric
        self._labels = labels

    def inc(self, amount: float = 1.0) -> None:
        self._metric._record(self._labels, amount, None)

    def observe(self, value: float) -> None:
        self._metric._record(self._labels, None, value)


def _turns(registry: CollectorRegistry) -> Any:
    from prometheus_client import Counter

    return Counter(
        "boussole_turns_total",
        "Engine turns by event and result",
        ["event", "result"],
        registry=registry,
    )


def _turn_seconds(registry: CollectorRegistry) -> Any:
    from prometheus_client import Histogram

    return Histogram(
        "boussole_turn_seconds",
        "Engine turn latency",
        ["event"],
        registry=registry,
        buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0),
    )


def _errors(registry: CollectorRegistry) -> Any:
    from prometheus_client import Counter

    return Counter(
        "boussole_errors_total",
        "Errors by kind",
        ["kind"],
        registry=registry,
    )


TURNS = Deferred(_turns)
TURN_SECONDS = Deferred(_turn_seconds)
ERRORS = Deferred(_errors)


def _export() -> None:
    """Make the registry and the metrics in the order they were always registered."""
    from prometheus_client import CollectorRegistry, Gauge

    registry = CollectorRegistry()
    for metric in (TURNS, TURN_SECONDS, ERRORS):
        metric._make(registry)
    _EXPORTED["OUTBOX_DEPTH"] = Gauge(
        "boussole_outbox_pending",
        "Notifications waiting to be delivered",
        registry=registry,
    )
    _EXPORTED["REGISTRY"] = registry


def __getattr__(name: str) -> Any:
    if name not in ("REGISTRY", "OUTBOX_DEPTH"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    with _LOCK:
        if not _EXPORTED:
            _export()
    return _EXPORTED[name]
