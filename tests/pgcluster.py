"""A private PostgreSQL cluster that a test may stop, kill and restart.

The shared cluster on 127.0.0.1:5432 serves every other test (and maybe other people): a test
that needs the server to go away must never touch it, so it gets a cluster of its own, in a
temporary folder, on a port nobody else uses, thrown away afterwards.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from bot.app import App, open_app
from bot.settings import Settings
from tests.net import free_port

POSTGRES_PASS = pytest.mark.skipif(
    not os.environ.get("BOUSSOLE_TEST_DATABASE_URL"),
    reason="needs PostgreSQL: runs in the PostgreSQL pass (BOUSSOLE_TEST_DATABASE_URL), where "
    "a missing server or missing server binaries fail instead of skipping",
)
"""For tests that need a PostgreSQL server of their own or the shared one: a machine with
only Python (the README's test command) skips them; CI's PostgreSQL pass runs them, once."""

OS_USER = "postgres"
"""PostgreSQL refuses to run as root, and CI runs as root: the server then runs as this user."""

LOG_TAIL_LINES = 30


def find_bindir() -> Path:
    """The newest installed server: Debian keeps the binaries off PATH, one folder a version."""
    override = os.environ.get("BOUSSOLE_PG_BINDIR")
    if override:
        return Path(override)
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    for bindir in reversed(candidates):
        if (bindir / "initdb").exists():
            return bindir
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise RuntimeError("no PostgreSQL server binaries found (initdb); set BOUSSOLE_PG_BINDIR")


class PrivateCluster:
    """A throw-away server. Trust authentication and no fsync: it holds test data only, and a
    test that restarts it several times should not wait for the disk. Commits stay
    synchronous though: an `immediate` stop must lose no committed turn, as in production."""

    def __init__(self, bindir: Path | None = None, start_timeout: int = 60) -> None:
        self.bindir = bindir or find_bindir()
        self.start_timeout = start_timeout
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        # Not under pytest's tmp_path: that folder is private to root, and the server runs as
        # another user who must reach its data folder.
        self.folder = Path(tempfile.mkdtemp(prefix="boussole-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.running = False
        # Should the test process die before close(), the server must not outlive it.
        self._finalizer = weakref.finalize(self, _cleanup, self.bindir, self.data, self.folder)
        try:
            if self.as_root:
                shutil.chown(self.folder, user=OS_USER, group=None)
            self._run(
                "initdb",
                ["-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"],
            )
            with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
                conf.write(
                    "\n# private test cluster\n"
                    f"port = {self.port}\n"
                    "listen_addresses = '127.0.0.1'\n"
                    f"unix_socket_directories = '{self.folder}'\n"
                    "fsync = off\n"
                    "full_page_writes = off\n"
                )
        except BaseException:
            self._finalizer()
            raise

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        self._pg_ctl("start", "-w", "-t", str(self.start_timeout), "-l", str(self.log))
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        """`fast` is an orderly shutdown that tells clients; `immediate` is as close to a crash
        as pg_ctl gets: backends are killed and the next start runs recovery."""
        if mode not in ("smart", "fast", "immediate"):
            raise ValueError(f"unknown shutdown mode {mode!r}")
        self._pg_ctl("stop", "-m", mode, "-w", "-t", str(self.start_timeout))
        self.running = False

    def restart(self, mode: str = "fast") -> None:
        if self.running:
            self.stop(mode)
        self.start()

    def close(self) -> None:
        self.running = False
        self._finalizer()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _pg_ctl(self, *args: str) -> None:
        self._run("pg_ctl", ["-D", str(self.data), *args])

    def _run(self, program: str, args: Sequence[str]) -> None:
        command = self._command(self.bindir, program, args)
        # Run from the cluster's folder: the server's user may not enter the caller's.
        result = subprocess.run(
            command,
            cwd=self.folder,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{program} failed (exit {result.returncode}): {' '.join(command)}\n"
                f"{result.stderr.strip() or result.stdout.strip()}{self._log_tail()}"
            )

    @staticmethod
    def _command(bindir: Path, program: str, args: Sequence[str]) -> list[str]:
        command = [str(bindir / program), *args]
        if os.geteuid() == 0:
            return ["runuser", "-u", OS_USER, "--", *command]
        return command

    def _log_tail(self) -> str:
        try:
            lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        if not lines:
            return ""
        return "\n--- server log (tail) ---\n" + "\n".join(lines[-LOG_TAIL_LINES:])


def _cleanup(bindir: Path, data: Path, folder: Path) -> None:
    """Stop the server if it runs, then remove its folder. A module-level function so that the
    finalizer does not keep the cluster object alive."""
    if (data / "postmaster.pid").exists():
        subprocess.run(
            PrivateCluster._command(bindir, "pg_ctl", ["-D", str(data), "stop", "-m", "immediate"]),
            cwd=folder,
            capture_output=True,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def app_on(cluster: PrivateCluster, data_dir: Path) -> Iterator[App]:
    """An app on a new database of `cluster`, dropped afterwards whatever the test did to the
    server (it is started again first if the test left it stopped)."""
    if not cluster.running:
        cluster.start()
    name = f"outage_{secrets.token_hex(6)}"
    admin = create_engine(cluster.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    url = cluster.url.rsplit("/", 1)[0] + f"/{name}"
    opened = open_app(Settings(database_url=url, data_dir=data_dir))
    try:
        yield opened
    finally:
        opened.close()
        if not cluster.running:
            cluster.start()
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()
