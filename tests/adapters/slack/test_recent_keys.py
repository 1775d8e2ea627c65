"""The short memory of Slack deliveries: a retry within `ttl` is dropped, a key is forgotten
once it is old, and the memory stays bounded whatever the traffic."""

from __future__ import annotations

import pytest

from adapters.slack import tasks
from adapters.slack.tasks import RecentKeys


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(tasks.time, "monotonic", fake)
    return fake


def test_a_retry_within_the_ttl_is_dropped_even_across_a_generation(clock: Clock) -> None:
    recent = RecentKeys(ttl=900.0)
    assert recent.first_time("action:1")
    clock.now += 899.0
    assert not recent.first_time("action:1")
    clock.now += 2.0  # the generations turn: the key is still remembered
    assert not recent.first_time("action:1")
    assert recent.first_time("action:2")


def test_a_key_is_forgotten_after_twice_the_ttl(clock: Clock) -> None:
    recent = RecentKeys(ttl=900.0)
    assert recent.first_time("event:1")
    clock.now += 1800.0
    assert recent.first_time("event:1")


def test_the_keys_kept_are_bounded_by_size(clock: Clock) -> None:
    recent = RecentKeys(ttl=900.0, size=10)
    for number in range(1000):
        assert recent.first_time(f"command:{number}")
    assert len(recent._current) + len(recent._previous) <= 10
    assert not recent.first_time("command:999")
