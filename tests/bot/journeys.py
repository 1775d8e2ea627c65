"""Helpers that drive the engine as an adapter would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot import effects as fx
from bot import events as ev
from bot.app import App, open_app
from bot.settings import Settings

AGENT = ev.Actor("console", "agent")


def only(effects: list[fx.Effect], kind: type) -> Any:
    found = [e for e in effects if isinstance(e, kind)]
    assert len(found) == 1, effects
    return found[0]


def start(app: App, actor: ev.Actor = AGENT, lang: str = "fr") -> fx.Ask:
    return only(app.engine.handle(ev.StartTriage(actor, lang)), fx.Ask)


def answer_all(
    app: App, answers: dict[str, Any], actor: ev.Actor = AGENT, lang: str = "fr"
) -> tuple[str, fx.Show]:
    """Answer each question the engine asks from `answers`, until the result."""
    ask = start(app, actor, lang)
    triage_id = ask.question.triage_id
    while True:
        question = ask.question.question_id
        effects = app.engine.handle(
            ev.Answer(
                actor, lang, triage_id=triage_id, question_id=question, value=answers[question]
            )
        )
        shown = [e for e in effects if isinstance(e, fx.Show)]
        if shown:
            return triage_id, shown[0]
        ask = only(effects, fx.Ask)


def open_with_reviewers(
    settings: Settings, folder: Path, reviewers: list[str], default: list[str] = (), **extra: Any
) -> App:
    """An app on a new database seeded with one department, `education`, and its reviewers."""
    directory = folder / "directory.yaml"
    directory.write_text(
        f"default_reviewers: {list(default)!r}\n"
        "departments:\n"
        "  - id: education\n"
        "    name: {fr: Éducation, en: Education}\n"
        f"    reviewers: {reviewers!r}\n",
        encoding="utf-8",
    )
    return open_app(settings.model_copy(update={"directory_file": directory, **extra}))
