"""Time and peak memory of `check_source` on the hostile files of issue #12, against the
bundled flow measured in the same run: each file in a process of its own, so that its peak
RSS is its own.

    python bench/hostile_flows.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASES = [
    ("bundled flow (peer)", "hostile.BUNDLED.encode()"),
    ("alias bomb, 9 levels of 9", "hostile.alias_bomb(9, 9)"),
    ("56,000 conditions, 1 MB", "hostile.many_conditions(56_000)"),
    ("condition 2,000 deep", "hostile.deep_condition(2_000)"),
    ("[[[…]]] 100,000 deep", "hostile.deep_brackets(100_000)"),
    ("heaviest conditions allowed (budget)", "hostile.heavy_rules(9, 490)"),
    ("300 questions, each on a condition", "hostile.many_questions(255)"),
    ("/dev/zero, 1 MB + 1 read", "open('/dev/zero', 'rb').read(1_000_001)"),
]

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from tests.security import hostile
from flows.loader import check_source
source = {expression}
start = time.perf_counter()
result = check_source(source, "bench.yaml")
seconds = time.perf_counter() - start
errors = [p.render("en") for p in result.errors]
print(json.dumps({{
    "bytes": len(source),
    "seconds": seconds,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "verdict": errors[0] if errors else "no error",
}}))
"""


def measure(expression: str) -> dict[str, object]:
    child = CHILD.format(root=str(ROOT), expression=expression)
    done = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, text=True, timeout=600, check=True
    )
    return dict(json.loads(done.stdout.splitlines()[-1]))


def main() -> None:
    print("| File | Size | check_source | Peak RSS | Verdict |")
    print("|---|---|---|---|---|")
    for name, expression in CASES:
        got = measure(expression)
        verdict = str(got["verdict"]).split(": ", 2)[-1][:70]
        print(
            f"| {name} | {got['bytes']:,} B | {got['seconds']:.2f} s | "
            f"{got['rss_mb']:.0f} MB | {verdict} |"
        )


if __name__ == "__main__":
    main()
