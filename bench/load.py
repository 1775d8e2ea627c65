"""Load: simulated agents run whole triages through the Slack endpoint of 2 `boussole serve`
processes sharing one PostgreSQL database.

    python bench/load.py [--agents 50] [--pace 2] [--duration 60] [--closed 20] [--rounds 2]
                         [--postgres URL]

Phases, in one run (bench/slack_load.py says who plays what):
1. open loop: each agent answers one question every `--pace` seconds (50 agents every 2 s
   offer 25 turns/s), spread round-robin over both processes; latency from an answer's
   request to the next question at the Web API stub; CPU seconds per request per process;
2. closed loop: the agents answer as soon as the question arrives, against 1 process then
   2, alternately for `--rounds` rounds; completed answers per second each way;
3. one agent, alone, through one process: CPU seconds of that process per complete triage,
   on PostgreSQL, then on the default embedded SQLite database (a third process), each as a
   ratio to the calibration loop (bench/calibration.py) measured in the same run; `--cpu-only`
   runs this phase alone, to iterate on the CPU of a turn.
Then every triage is checked: the stored answers are exactly those given (none lost, none
twice), the result equals `boussole triage --answers` for the same answers, every review
notice was delivered once, and no request got a 5xx. Targets (issue 7): p99 < 100 ms at
25 turns/s; closed-loop throughput with 2 processes >= 0.9x of 1; <= 100 ms CPU per triage;
issue 16: <= 1.2x the calibration loop per triage, PostgreSQL within 1.15x of SQLite.
Not a test: nothing asserts a duration; the script exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))

from calibration import loop_cpu_seconds, ratio
from slack_load import (
    Agent,
    LoadStub,
    Proxy,
    Serve,
    Tally,
    Triage,
    check_notifications,
    check_triages,
    notifications_settled,
    open_checker,
    percentile,
    postgres_database,
    rig,
    serve_env,
    steady_generator,
    verdict,
)

SHARED_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BATCH = 5


async def phase(
    stub: LoadStub,
    session: aiohttp.ClientSession,
    servers: list[Serve],
    agents: int,
    pace: float,
    duration: float,
    seed: int,
    prefix: str,
    chosen: list[tuple[str, dict[str, Any]]],
) -> tuple[Tally, Proxy, list[Triage], dict[str, float]]:
    """`agents` agents for `duration` seconds; the CPU each process spent meanwhile."""
    proxy = Proxy(stub, session, [s.url for s in servers])
    tally = Tally()
    rng = random.Random(seed)
    crowd = [
        Agent(f"{prefix}{i:03d}", proxy, stub, chosen, tally, pace, random.Random(rng.random()))
        for i in range(agents)
    ]
    cpu = {s.url: s.cpu_seconds() for s in servers}
    began = time.monotonic()
    deadline = began + duration
    asyncio.get_running_loop().call_later(duration, setattr, tally, "measuring", False)
    await asyncio.gather(*(a.run(deadline) for a in crowd))
    spent = {s.url: s.cpu_seconds() - cpu[s.url] for s in servers}
    return tally, proxy, [t for a in crowd for t in a.triages], spent


async def run(arguments: argparse.Namespace) -> int:
    steady_generator()
    folder = Path(tempfile.mkdtemp(prefix="boussole-load-"))
    failures: list[str] = []
    with postgres_database(arguments.postgres) as database_url:
        async with rig(database_url, folder) as setup:
            print(
                f"Load: {arguments.agents} agents, 2 serve processes on PostgreSQL, "
                f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs shared by the "
                "processes, PostgreSQL, the stub and the agents"
            )
            stub, session, chosen = setup.stub, setup.session, setup.chosen
            arguments.loop = loop_cpu_seconds()
            arguments.per_triage = {}
            print(f"calibration loop: {arguments.loop * 1000:.1f} ms CPU (median of 5)")
            triages = await measure(arguments, stub, session, setup.servers, chosen, failures)
            failures += await embedded(arguments, stub, session, chosen, setup.expected, folder)
            postgres, sqlite = arguments.per_triage["PostgreSQL"], arguments.per_triage["SQLite"]
            print(
                f"CPU per triage, PostgreSQL / SQLite: {postgres / sqlite:.2f}x "
                f"(target <= 1.15x: {'met' if postgres / sqlite <= 1.15 else 'MISSED'})"
            )
            rows = await notifications_settled(setup.checker)
            checked, problems = check_triages(setup.checker, triages, setup.expected)
            problems += check_notifications(rows, stub, at_most=1)
            print(
                f"checked: {checked} triages (answers stored exactly as given, results "
                f"equal to `triage --answers`), {len(rows)} notifications (each delivered "
                "once): " + ("all good" if not problems else f"{len(problems)} problems")
            )
            failures += problems
    return verdict(failures, folder)


async def measure(
    arguments: argparse.Namespace,
    stub: LoadStub,
    session: aiohttp.ClientSession,
    servers: list[Serve],
    chosen: list[tuple[str, dict[str, Any]]],
    failures: list[str],
) -> list[Triage]:
    triages: list[Triage] = []
    if arguments.cpu_only:
        done, problems = await solo(servers[0], "PostgreSQL", stub, session, chosen, arguments)
        failures += problems
        return done

    tally, proxy, done, cpu = await phase(
        stub,
        session,
        servers,
        arguments.agents,
        arguments.pace,
        arguments.duration,
        1,
        "UOPEN",
        chosen,
    )
    triages += done
    failures += tally.problems + statuses(proxy)
    offered = arguments.agents / arguments.pace
    p99 = percentile(tally.turns, 0.99)
    print(
        f"open loop, {offered:g} turns/s offered for {arguments.duration:g} s: "
        f"{len(tally.turns)} answers, request -> next question at the stub "
        f"p50 {percentile(tally.turns, 0.5) * 1000:.1f} ms, "
        f"p99 {p99 * 1000:.1f} ms (target < 100 ms: {'met' if p99 < 0.1 else 'MISSED'})"
    )
    for server in servers:
        requests = proxy.per_base[server.url]
        print(
            f"  {server.url}: {requests} requests, {cpu[server.url]:.1f} CPU s, "
            f"{cpu[server.url] / max(1, requests) * 1000:.1f} ms CPU per request"
        )

    rates: dict[int, list[float]] = {1: [], 2: []}
    for round_ in range(arguments.rounds):
        for count in (1, 2):
            tally, proxy, done, _cpu = await phase(
                stub,
                session,
                servers[:count],
                arguments.agents,
                0.0,
                arguments.closed,
                10 + 2 * round_ + count,
                f"UC{round_}{count}",
                chosen,
            )
            triages += done
            failures += tally.problems + statuses(proxy)
            rates[count].append(len(tally.turns) / arguments.closed)
    one, two = statistics.mean(rates[1]), statistics.mean(rates[2])
    print(
        f"closed loop, {arguments.agents} agents, no think time, {arguments.rounds} rounds of "
        f"{arguments.closed:g} s each way: 1 process {one:.0f} answers/s "
        f"({', '.join(f'{r:.0f}' for r in rates[1])}), 2 processes {two:.0f} answers/s "
        f"({', '.join(f'{r:.0f}' for r in rates[2])}) -> {two / one:.2f}x "
        f"(target >= 0.9x: {'met' if two / one >= 0.9 else 'MISSED'})"
    )

    done, problems = await solo(servers[0], "PostgreSQL", stub, session, chosen, arguments)
    failures += problems
    return triages + done


async def solo(
    serve: Serve,
    label: str,
    stub: LoadStub,
    session: aiohttp.ClientSession,
    chosen: list[tuple[str, dict[str, Any]]],
    arguments: argparse.Namespace,
) -> tuple[list[Triage], list[str]]:
    """One agent alone, whole triages back to back: the CPU the process spent per triage,
    the median of batches of five (after two triages that warm its caches up), since a batch
    that a collection or the machine's other work lands on says little about the others."""
    proxy = Proxy(stub, session, [serve.url])
    tally = Tally()
    rng = random.Random(7)
    done: list[Triage] = []
    batches: list[float] = []
    requests = 0
    for size in [2] + [BATCH] * max(1, arguments.triages // BATCH):
        before, sent = serve.cpu_seconds(), proxy.statuses.total()
        for _ in range(size):
            # a new person each time, as in real life: an agent triages a project or two a
            # year (and one person's growing App Home list would be charged to each triage)
            user = f"USOLO{label[:3].upper()}{len(done):03d}"
            agent = Agent(user, proxy, stub, chosen, tally, 0.0, rng)
            name, answers = rng.choice(chosen)
            await agent.triage(Triage(user, name), answers, 0.0)
            done += agent.triages
        if size == BATCH:
            batches.append((serve.cpu_seconds() - before) / BATCH)
            requests += proxy.statuses.total() - sent
    per_triage = statistics.median(batches)
    arguments.per_triage[label] = per_triage
    calibrated = per_triage / arguments.loop
    print(
        f"one agent, {len(batches) * BATCH} whole triages through one process on {label}: "
        f"{per_triage * 1000:.0f} ms CPU per triage, {ratio(per_triage, arguments.loop)} "
        f"(median of {len(batches)} batches, "
        f"{min(batches) * 1000:.0f}-{max(batches) * 1000:.0f} ms; "
        f"{requests / (len(batches) * BATCH):.0f} requests each; "
        f"target <= 1.2x: {'met' if calibrated <= 1.2 else 'MISSED'})"
    )
    return done, tally.problems + statuses(proxy)


async def embedded(
    arguments: argparse.Namespace,
    stub: LoadStub,
    session: aiohttp.ClientSession,
    chosen: list[tuple[str, dict[str, Any]]],
    expected: dict[str, dict[str, Any]],
    folder: Path,
) -> list[str]:
    """The same solo measure on the default embedded database, in a process of its own."""
    url = f"sqlite:///{folder / 'embedded.db'}"
    serve = Serve(serve_env(url, stub.url, folder), folder / "serve-sqlite.log")
    serve.start()
    checker = None
    try:
        await serve.ready(session)
        done, problems = await solo(serve, "SQLite", stub, session, chosen, arguments)
        checker = open_checker(url, folder)
        return problems + check_triages(checker, done, expected)[1]
    finally:
        if checker is not None:
            checker.close()
        serve.stop()


def statuses(proxy: Proxy) -> list[str]:
    cut = [f"{proxy.cut} requests cut off (no process should die here)"] if proxy.cut else []
    return proxy.problems() + cut


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--pace", type=float, default=2.0, help="seconds between answers")
    parser.add_argument("--duration", type=float, default=60.0, help="open loop, seconds")
    parser.add_argument("--closed", type=float, default=20.0, help="closed loop, seconds each")
    parser.add_argument("--rounds", type=int, default=2, help="closed-loop rounds")
    parser.add_argument("--triages", type=int, default=40, help="solo triages for CPU")
    parser.add_argument("--cpu-only", action="store_true", help="only the CPU per triage (phase 3)")
    parser.add_argument(
        "--postgres",
        default=SHARED_POSTGRES,
        help="a PostgreSQL database to create the run's own database from",
    )
    sys.exit(asyncio.run(run(parser.parse_args())))
