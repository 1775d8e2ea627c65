"""A fixed pure-Python loop whose CPU time is the unit the benchmarks report in.

Absolute times say more about the machine than about Boussole (2 shared cores here, other work
running; another machine of the same class ran the same code 1.5 times slower). Every
benchmark that reports CPU therefore measures this loop in the same run and prints its figure
as a ratio to it: "1.2x the calibration loop" compares across machines, "55 ms" does not.

The loop does what a chat turn's Python does most (dicts, strings, small objects, JSON-like
nesting) and nothing that waits, so it moves with the interpreter's speed and the CPU's
share, not with the disk or the network.
"""

from __future__ import annotations

import statistics
import time

ROUNDS = 7_000
"""About 45 ms of CPU on the 2-core development machine: the order of one triage's CPU."""


def _loop() -> int:
    total = 0
    for round_ in range(ROUNDS):
        record = {"id": f"t{round_}", "answers": {}, "flags": []}
        for question in range(12):
            key = f"Q{question}"
            record["answers"][key] = {"choice": f"c{question % 3}", "at": round_ + question}
            if question % 4 == 0:
                record["flags"].append((key, "review"))
        words = " ".join(f"{key}={value['choice']}" for key, value in record["answers"].items())
        total += len(words.split()) + len(record["flags"])
    return total


def loop_cpu_seconds(runs: int = 5) -> float:
    """The median CPU time of the loop over `runs` runs, after one to warm up."""
    _loop()
    times = []
    for _ in range(runs):
        started = time.process_time()
        _loop()
        times.append(time.process_time() - started)
    return statistics.median(times)


def ratio(cpu_seconds: float, loop_seconds: float) -> str:
    """`cpu_seconds` as a multiple of the loop, as the benchmarks print it."""
    return f"{cpu_seconds / loop_seconds:.2f}x the calibration loop"


if __name__ == "__main__":
    print(f"calibration loop: {loop_cpu_seconds() * 1000:.1f} ms CPU (median of 5)")
