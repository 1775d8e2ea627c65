"""Prometheus metrics: turns, their latency, refusals and errors by kind, outbox depth.

Counters live in the process; several `serve` processes are scraped separately, as usual.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry()

TURNS = Counter(
    "boussole_turns_total",
    "Engine turns by event and result",
    ["event", "result"],
    registry=REGISTRY,
)
TURN_SECONDS = Histogram(
    "boussole_turn_seconds",
    "Engine turn latency",
    ["event"],
    registry=REGISTRY,
    buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0),
)
ERRORS = Counter(
    "boussole_errors_total",
    "Errors by kind",
    ["kind"],
    registry=REGISTRY,
)
OUTBOX_DEPTH = Gauge(
    "boussole_outbox_pending",
    "Notifications waiting to be delivered",
    registry=REGISTRY,
)
