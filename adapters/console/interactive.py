"""The interactive triage loop: engine effects out, prompter replies in."""

from __future__ import annotations

from rich.console import Console

from adapters.console.prompts import Prompter
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
    effects = engine.handle(first)
    view: QuestionView | None = None
    while True:
        for effect in effects:
            if isinstance(effect, fx.Ask):
                view = effect.question
                console.print(f"\n[dim]{view.progress} · {view.question_id}[/dim]", highlight=False)
            else:
                show_effect(console, effect, lang)
        if any(isinstance(e, fx.Show) for e in effects):
            return 0
        if view is None:
            return REFUSED
        try:
            reply = prompter.ask(view, lang)
        except (KeyboardInterrupt, EOFError):
            console.print(f"\n{t('console_interrupted', lang, id=view.triage_id)}", highlight=False)
            return INTERRUPTED
        effects = engine.handle(_event(actor, lang, view, reply.action, reply.value))


def _event(actor: ev.Actor, lang: str, view: QuestionView, action: str, value: object) -> ev.Event:
    if action == "why":
        return ev.Why(actor, lang, triage_id=view.triage_id, question_id=view.question_id)
    if action == "back":
        return ev.Back(actor, lang, triage_id=view.triage_id)
    return ev.Answer(
        actor, lang, triage_id=view.triage_id, question_id=view.question_id, value=value
    )
