"""A triage process killed with SIGKILL loses no committed answer and resumes where it was."""

from __future__ import annotations

import signal

import pexpect

from bot import effects as fx
from bot import events as ev
from bot.app import open_app
from bot.settings import Settings
from tests.e2e.test_console_pty import CHOICES, SCHOOL_MEALS, spawn, typed


def test_sigkill_mid_triage_loses_nothing_and_resume_continues(
    cli_env: dict[str, str], settings: Settings
) -> None:
    child = spawn(["triage", "--plain"], cli_env)
    child.expect("Analyse ([a-z0-9]+) commencée")
    triage_id = child.match.group(1)
    answered = []
    for _ in range(7):
        child.expect(r"· question \d+ · ([A-Z0-9-]+)")
        question = child.match.group(1)
        child.expect("> ")
        child.sendline(typed(CHOICES[question], SCHOOL_MEALS[question]))
        answered.append(question)
    child.expect(r"· question 8 · ([A-Z0-9-]+)")
    next_question = child.match.group(1)
    child.kill(signal.SIGKILL)
    child.expect(pexpect.EOF)

    app = open_app(settings)
    try:
        with app.store.reading() as tx:
            assert list(tx.answers(triage_id)) == answered
        actor = ev.Actor("console", _console_user())
        effects = app.engine.handle(ev.Resume(actor, "fr", triage_id=triage_id))
        asks = [e for e in effects if isinstance(e, fx.Ask)]
        assert [a.question.question_id for a in asks] == [next_question]
    finally:
        app.store.close()


def _console_user() -> str:
    from adapters.console.cli import console_actor

    return console_actor().user_id
