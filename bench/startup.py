"""CPU of `boussole` from start to what a person waits for, against its peers, in one run.

1. `boussole triage --answers FILE`, start to result, against a bare
   `python -c "import questionary, rich, sqlalchemy, pydantic"` (target: ≤ 1.3x).
2. `boussole triage` in a terminal (a pty), start to the first question's text, against a
   script that imports questionary and asks one `select` (target: ≤ 1.5x), warm (the database
   exists, and the first question kept by the warm-up's start is drawn before the database is
   opened: adapters.console.first_question; the CPU read includes whatever the start behind it
   has run by then) and cold (a new database: schema created, bundled flow recorded, nothing
   kept: the question comes from the engine).

Each figure is the child's CPU (user + system), the median of several runs taken in turns so
that the machine's load falls on all of them alike; the calibration loop (bench/calibration.py)
is printed beside them. Run: `python bench/startup.py [--runs N] [--compile-each-start]`.

Every child runs with its bytecode cached, ours and the peers' alike, in a private
`PYTHONPYCACHEPREFIX` filled by the warm-up runs, as an installed package has it (pip compiles
at install). Without this, a `PYTHONDONTWRITEBYTECODE` inherited from the shell made every
start of ours compile the project's modules from source (about 100 ms) while the peers'
packages were read compiled from site-packages; `--compile-each-start` measures that way.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pexpect

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.calibration import loop_cpu_seconds, ratio  # noqa: E402

ANSWERS = REPO / "examples" / "reponses-cantines.yaml"
FIRST_QUESTION = "Nom du projet"
PEER_IMPORTS = "import questionary, rich, sqlalchemy, pydantic"
PEER_PROMPT = f"""
import questionary
questionary.select("{FIRST_QUESTION}", choices=["oui", "non", "je ne sais pas"]).ask()
"""
TICKS = os.sysconf("SC_CLK_TCK")


def _environment(data_dir: str, bytecode: str | None) -> dict[str, str]:
    """The children's environment; `bytecode` is where their compiled modules are kept, None
    to inherit the shell's choice (which may compile them at every start)."""
    env = {
        **os.environ,
        "BOUSSOLE_DATA_DIR": data_dir,
        "BOUSSOLE_DATABASE_URL": f"sqlite:///{data_dir}/boussole.db",
        "PYTHONPATH": str(REPO),
    }
    if bytecode is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = bytecode
    return env


def batch_cpu(command: list[str], env: dict[str, str]) -> float:
    """CPU seconds of a command run to its end, output discarded."""
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{command} exited with {process.returncode}")
    return usage.ru_utime + usage.ru_stime


def prompt_cpu(command: list[str], env: dict[str, str]) -> float:
    """CPU seconds of a command in a pty until the first question's text appears."""
    child = pexpect.spawn(
        command[0], command[1:], env=env, encoding="utf-8", dimensions=(40, 120), timeout=60
    )
    try:
        child.expect_exact(FIRST_QUESTION)
        fields = Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS
    finally:
        child.terminate(force=True)


def side_by_side(runs: int, ours: Callable[[], float], peer: Callable[[], float]) -> tuple:
    """Medians of `runs` turns of (ours, peer), after one warm-up of each."""
    ours(), peer()
    mine, theirs = [], []
    for _ in range(runs):
        mine.append(ours())
        theirs.append(peer())
    return statistics.median(mine), statistics.median(theirs)


def line(label: str, cpu: float, loop: float, peer: float | None = None) -> str:
    versus = f"   {cpu / peer:4.2f}x the peer" if peer else ""
    return f"{label:<62} {cpu * 1000:6.0f} ms CPU  ({ratio(cpu, loop)}){versus}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--compile-each-start",
        action="store_true",
        help="inherit PYTHONDONTWRITEBYTECODE (the method of the figures before 2026-12-07 H5)",
    )
    args = parser.parse_args()
    python = sys.executable
    boussole = [python, "-m", "adapters.console"]
    loop = loop_cpu_seconds()
    with tempfile.TemporaryDirectory() as bytecode_dir, tempfile.TemporaryDirectory() as warm_dir:
        bytecode = None if args.compile_each_start else bytecode_dir
        env = _environment(warm_dir, bytecode)
        answers, imports = side_by_side(
            args.runs,
            lambda: batch_cpu([*boussole, "triage", "--answers", str(ANSWERS)], env),
            lambda: batch_cpu([python, "-c", PEER_IMPORTS], env),
        )
        first, prompt = side_by_side(
            args.runs,
            lambda: prompt_cpu([*boussole, "triage"], env),
            lambda: prompt_cpu([python, "-c", PEER_PROMPT], env),
        )
        cold = []
        for _ in range(max(3, args.runs // 2)):
            with tempfile.TemporaryDirectory() as cold_dir:
                cold.append(prompt_cpu([*boussole, "triage"], _environment(cold_dir, bytecode)))
    print(f"{'calibration loop':<62} {loop * 1000:6.0f} ms CPU")
    print(line(f"peer: python -c '{PEER_IMPORTS}'", imports, loop))
    print(line("boussole triage --answers, start to result", answers, loop, imports))
    print(line("peer: questionary select, start to its question", prompt, loop))
    print(line("boussole triage, start to the first question (warm)", first, loop, prompt))
    cold_cpu = statistics.median(cold)
    print(line("boussole triage, first question, new database (cold)", cold_cpu, loop, prompt))


if __name__ == "__main__":
    main()
