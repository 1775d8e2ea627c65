"""Faults under load: a serve process killed, PostgreSQL stopped, Slack's Web API refusing;
then checks that nothing was lost.

    python bench/faults.py [--agents 20] [--pace 1] [--pg-stop fast|immediate]

Simulated agents (bench/slack_load.py) run triages through 2 `boussole serve` processes on a
private PostgreSQL cluster (made with initdb in a temporary folder, run as the `postgres`
user, on its own port: the shared server is never touched). During the load, on a timeline
printed as it happens:
- one serve process is killed with SIGKILL, then started again (as a supervisor would);
- PostgreSQL is stopped, then started again;
- the Web API stub answers 429 (with Retry-After), then 500, to every call for a while.
Agents do what people do: a request cut off or a question that never comes makes them type
`/boussole reprendre ID`. At the end they leave their triage under way. After recovery the
script checks, and prints, that every triage under way resumes at the question its stored
answers lead to; that the agents can then finish them with exactly the answers they gave
and the result of `boussole triage --answers`; that every review notice is delivered, twice
at most (one in flight at a kill); and that no live process answered a 5xx. Exit 1 when a
check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from slack_load import (
    Agent,
    Proxy,
    Tally,
    bundled_flow,
    check_notifications,
    check_resumes,
    check_triages,
    notifications_settled,
    rig,
    steady_generator,
    verdict,
)

from tests.pgcluster import PrivateCluster

TIMELINE = (0.13, 0.39, 0.65, 0.81)
"""When each fault starts, as a share of the load's duration: the kill, the database outage,
the 429 storm, the 500 storm; each lasts a tenth of the duration (6 s by default)."""


async def run(arguments: argparse.Namespace) -> int:
    steady_generator()
    down = arguments.duration / 10
    started = time.monotonic()

    def say(line: str) -> None:
        print(f"[{time.monotonic() - started:6.1f} s] {line}", flush=True)

    folder = Path(tempfile.mkdtemp(prefix="boussole-faults-"))
    problems: list[str] = []
    with PrivateCluster() as cluster:
        cluster.start()
        say(f"private PostgreSQL cluster on port {cluster.port} ({cluster.folder})")
        async with rig(cluster.url, folder) as setup:
            stub, session, servers = setup.stub, setup.session, setup.servers
            checker = setup.checker
            proxy = Proxy(stub, session, [s.url for s in servers])
            tally = Tally()
            rng = random.Random(arguments.seed)
            agents = [
                Agent(
                    f"UFAULT{i:03d}",
                    proxy,
                    stub,
                    setup.chosen,
                    tally,
                    arguments.pace,
                    random.Random(rng.random()),
                )
                for i in range(arguments.agents)
            ]
            say(f"{len(agents)} agents, one answer every {arguments.pace:g} s each")

            async def kill_and_restart() -> None:
                victim = servers[1]
                victim.kill()
                say(f"serve {victim.url} killed (SIGKILL)")
                await asyncio.sleep(down)
                victim.start()
                await victim.ready(session)
                say(f"serve {victim.url} started again and ready")

            async def database_outage() -> None:
                await asyncio.to_thread(cluster.stop, arguments.pg_stop)
                say(f"PostgreSQL stopped ({arguments.pg_stop})")
                await asyncio.sleep(down)
                await asyncio.to_thread(cluster.start)
                say("PostgreSQL started again")

            async def storm(status: int) -> None:
                stub.storm(down, status)
                say(f"Web API stub answering {status} to every call for {down:g} s")
                await asyncio.sleep(down)

            faults: list[Callable[[], Awaitable[None]]] = [
                kill_and_restart,
                database_outage,
                lambda: storm(429),
                lambda: storm(500),
            ]
            timeline = [
                (share * arguments.duration, fault)
                for share, fault in zip(TIMELINE, faults, strict=True)
            ]
            deadline = time.monotonic() + arguments.duration
            await asyncio.gather(
                *(a.run(deadline, leave=True) for a in agents),
                *(later(at, fault) for at, fault in timeline),
            )
            say(
                f"load over: {sum(len(a.triages) for a in agents)} triages started, "
                f"{sum(t.resumes for a in agents for t in a.triages)} resumes typed by "
                f"agents, {proxy.cut} requests cut off by the kill, Web API calls refused "
                f"by the stub: {dict(stub.refused)}"
            )
            for server in servers:
                await server.ready(session)
            say("both processes ready")

            resumed, wrong = await check_resumes(checker, proxy, stub, bundled_flow(checker))
            problems += wrong
            say(
                f"checked: {resumed} triages under way, each resumed by its owner "
                f"(`reprendre ID`) at the question its stored answers lead to: "
                f"{'all good' if not wrong else f'{len(wrong)} wrong'}"
            )
            await asyncio.gather(*(a.finish() for a in agents))
            triages = [t for a in agents for t in a.triages]
            checked, wrong = check_triages(checker, triages, setup.expected)
            problems += wrong + tally.problems
            say(
                f"checked: {checked} triages finished by their agents, answers stored "
                "exactly as given (none lost, none twice), results equal to "
                f"`triage --answers`: {'all good' if not wrong else f'{len(wrong)} wrong'}"
            )
            rows = await notifications_settled(checker, timeout=300)
            wrong = check_notifications(rows, stub, at_most=2)
            twice = sum(1 for n in stub.reviewer_notices().values() if n == 2)
            problems += wrong
            say(
                f"checked: {len(rows)} notifications delivered, each received once "
                f"({twice} twice, allowed for one in flight at a fault): "
                f"{'all good' if not wrong else f'{len(wrong)} wrong'}"
            )
            problems += proxy.problems()
            say(
                f"checked: answers of the live processes: {dict(proxy.statuses)} "
                f"(plus {proxy.cut} cut off by the kill)"
            )
    return verdict(problems, folder)


async def later(delay: float, fault: Callable[[], Awaitable[None]]) -> None:
    await asyncio.sleep(delay)
    await fault()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--pace", type=float, default=1.0, help="seconds between answers")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--pg-stop", choices=["fast", "immediate"], default="immediate")
    parser.add_argument("--seed", type=int, default=1)
    sys.exit(asyncio.run(run(parser.parse_args())))
