"""The interactive triage loop: engine effects out, prompter replies in."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console

from adapters.console.prompts import Prompter, Reply, show_progress
from adapters.console.render import show_effect
from bot import effects as fx
from bot import events as ev
from bot.engine import Engine
from bot.i18n import t
from bot.views import QuestionView

INTERRUPTED = 130
REFUSED = 2


def run_interactive(
    engine: Engine,
    actor: ev.Actor,
    lang: str,
    resume_id: str | None,
    prompter: Prompter,
    console: Console,
    first: ev.Event | None = None,
) -> int:
    """Returns the exit code: 0 when a result was shown, 130 on Ctrl-C, 2 when refused."""
    if first is None:
        first = (
            ev.Resume(actor, lang, triage_id=resume_id)
            if resume_id
            else ev.StartTriage(actor, lang)
        )
    return go_on(engine, actor, lang, engine.handle(first), prompter, console)


def go_on(
    engine: Engine,
    actor: ev.Actor,
    lang: str,
    effects: Sequence[fx.Effect],
    prompter: Prompter,
    console: Console,
) -> int:
    """The loop from effects already received: run_interactive's exit codes."""
    view: QuestionView | None = None
    while True:
        for effect in effects:
            if isinstance(effect, fx.Ask):
                view = effect.question
                show_progress(console, view)
            else:
                show_effect(console, effect, lang)
        if any(isinstance(e, fx.Show) for e in effects):
            return 0
        if view is None:
            return REFUSED
        try:
            reply = prompter.ask(view, lang)
        except (KeyboardInterrupt, EOFError):
            console.print(f"\n{t('console_interrupted', lang, id=view.triage_id)}")
            return INTERRUPTED
        effects = engine.handle(event_of(actor, lang, view, reply))


def event_of(actor: ev.Actor, lang: str, view: QuestionView, reply: Reply) -> ev.Event:
    """The engine's event for a reply to `view`."""
    if reply.action == "why":
        return ev.Why(actor, lang, triage_id=view.triage_id, question_id=view.question_id)
    if reply.action == "back":
        return ev.Back(actor, lang, triage_id=view.triage_id)
    return ev.Answer(
        actor, lang, triage_id=view.triage_id, question_id=view.question_id, value=reply.value
    )
