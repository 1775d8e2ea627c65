"""The first question of a new terminal triage, on screen before the database is opened.

What a person waits for is the first question. Opening the database and starting the triage
imports SQLAlchemy and the engine (about 200 ms of CPU, bench/startup.py), and the first
question of the published flow is the same for everyone: so the view of the last one asked
is kept in the data directory, drawn at once, and the triage is really started in a thread
that begins once the prompt is drawn, while the person reads it.

The kept view only decides what is drawn first, never what is recorded: when the person
answers, the thread is joined and the answer goes to the real triage only if the engine's
real first question (id, flow version, words, choices: the whole view) is the one that was
drawn. Otherwise (a flow published meanwhile, a changed directory, a file altered by whoever
can write the data directory) the person is told their answer is not recorded and is asked
the real question; a start that fails is said as the normal path says it. The file is
written atomically after each start of a new triage, named by a hash of the database URL and
the language, and holds only plain fields checked one by one on reading: anything else in it
(cut, foreign, of another format) is ignored, and the triage takes the normal path.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from adapters.console.common import console_actor, stderr
from adapters.console.prompts import Prompter, Reply, show_progress
from bot.i18n import t
from bot.question_view import ChoiceView, QuestionView
from bot.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from bot.app import App
    from bot.effects import Effect
    from bot.events import Actor

FORMAT = "boussole-first-question/1"
MAX_BYTES = 64 * 1024
"""A first question's view is a few hundred bytes, a thousand with many choices: a bigger
file is not one."""

TYPES = ("yes_no", "yes_no_unknown", "single", "multi", "text", "scale")


def cache_file(settings: Settings, lang: str) -> tuple[Path, str]:
    """Where the first question for this database and language is kept, and the key its
    content must name (the URL may hold a password: only its hash is written)."""
    url = settings.resolved_database_url()
    key = hashlib.sha256(f"{url}\n{lang}".encode()).hexdigest()
    return settings.data_dir / "cache" / f"first-question-{key[:32]}.json", key


def remember(settings: Settings, lang: str, effects: Sequence[Effect]) -> None:
    """Keep the first question of a triage just started, for the next one; a cache that
    cannot be written is no cache, never an error."""
    asked = _asked(effects)
    if asked is None:
        return
    path, key = cache_file(settings, lang)
    view = asdict(replace(asked, triage_id=""))
    del view["triage_id"], view["previous"]
    content = json.dumps({"format": FORMAT, "key": key, "view": view}, ensure_ascii=False)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("xb") as file:
            file.write(content.encode("utf-8"))
        os.replace(partial, path)
    except OSError:
        with suppress(OSError):
            partial.unlink()


def recalled(path: Path, key: str) -> QuestionView | None:
    """The view kept at `path` for `key`, or None when there is none that reads exactly as
    one (its triage id is empty: no triage is known yet)."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_BYTES + 1)
        found = json.loads(raw.decode("utf-8")) if len(raw) <= MAX_BYTES else None
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(found, dict) or found.get("format") != FORMAT or found.get("key") != key:
        return None
    try:
        return _view(found["view"])
    except (KeyError, TypeError, ValueError):
        return None


def _view(fields: dict[str, Any]) -> QuestionView:
    """A view from its kept fields, each of its exact type, or ValueError."""
    texts = ("question_id", "type", "label", "section_id", "section_title", "progress")
    numbers = ("flow_version", "number", "max_length")
    if set(fields) != {*texts, *numbers, "choices", "scale", "can_go_back"}:
        raise ValueError("not a view's fields")
    if not all(isinstance(fields[name], str) for name in texts) or fields["type"] not in TYPES:
        raise ValueError("a text field")
    if not all(_integer(fields[name]) for name in numbers):
        raise ValueError("a number field")
    low, high = fields["scale"]
    choices = tuple(_choice(choice) for choice in fields["choices"])
    if not (_integer(low) and _integer(high)) or fields["can_go_back"] is not False:
        raise ValueError("the scale, or a question that is not a first one")
    return QuestionView(
        triage_id="",
        **{name: fields[name] for name in (*texts, *numbers)},
        choices=choices,
        scale=(low, high),
        can_go_back=False,
    )


def _integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _choice(fields: dict[str, Any]) -> ChoiceView:
    if set(fields) != {"id", "label", "exclusive"}:
        raise ValueError("not a choice's fields")
    choice = ChoiceView(fields["id"], fields["label"], fields["exclusive"])
    if not (isinstance(choice.id, str) and isinstance(choice.label, str)):
        raise ValueError("a choice's text")
    if not isinstance(choice.exclusive, bool):
        raise ValueError("a choice's flag")
    return choice


def _asked(effects: Sequence[Effect]) -> QuestionView | None:
    from bot.effects import Ask

    return next((e.question for e in effects if isinstance(e, Ask)), None)


QUIET_WAIT = 0.5
"""Seconds a start may take before the person is told what is awaited: a start usually ends
well within it, and a line about it would then only be noise."""


class Start:
    """The real start of the triage, in a thread begun once the kept question is drawn, so
    that its imports and queries do not delay the drawing."""

    def __init__(self, lang: str, actor: Actor) -> None:
        self.lang = lang
        self.actor = actor
        self.app: App | None = None
        self.effects: list[Effect] = []
        self.refused: str | None = None
        """The line saying why the application could not open (open_cli_app's)."""
        self.failure: Exception | None = None
        self._thread = threading.Thread(target=self._run, name="boussole-start")
        self._begun = False
        self._done = threading.Event()
        """Waited on instead of joining the thread: a Ctrl-C that interrupts `Thread.join`
        can leave the thread marked as stopped while it runs (CPython before 3.13), and the
        process would then exit under the start instead of waiting for it."""

    def begin(self) -> None:
        """Called from the prompt each time it is drawn: only the first call starts."""
        if not self._begun:
            self._begun = True
            self._thread.start()

    def finish(self, waiting: str = "console_answer_waiting") -> None:
        """Waits for the start, saying what is awaited if it does not end at once: a person
        who answered and sees nothing for seconds would think the terminal hung."""
        self.begin()
        if not self._done.wait(QUIET_WAIT):
            stderr.print(t(waiting, self.lang), soft_wrap=True)
            self._done.wait()
        if self.failure is not None:
            raise self.failure

    def finish_after_interrupt(self) -> None:
        """Waits for the start after a Ctrl-C, so that the message can say what is recorded.
        A second Ctrl-C leaves without waiting, since a database that keeps its writes held
        would otherwise keep the person; ending the process loses nothing, the database
        drops an uncommitted start."""
        try:
            self.finish("console_start_waiting")
        except KeyboardInterrupt:
            from adapters.console.interactive import INTERRUPTED

            stderr.print(t("console_start_abandoned", self.lang), soft_wrap=True)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(INTERRUPTED)

    def _run(self) -> None:
        from adapters.console.common import CannotOpen, open_app_or_say_why
        from bot.events import StartTriage

        try:
            self.app = open_app_or_say_why(self.lang)
            self.effects = self.app.engine.handle(StartTriage(self.actor, self.lang))
        except CannotOpen as refused:
            self.refused = refused.message
        except Exception as error:  # raised again in the main thread, by finish
            self.failure = error
        finally:
            self._done.set()


def triage_from_cache(lang: str, prompter: Prompter, console: Console) -> int | None:
    """A new triage whose first question is drawn from the cache: the exit code of
    run_interactive, or None when nothing usable is kept (the caller takes the normal
    path)."""
    try:
        settings = load_settings()
    except SettingsError:
        return None
    path, key = cache_file(settings, lang)
    shown = recalled(path, key)
    if shown is None:
        return None
    start = Start(lang, console_actor())
    show_progress(console, shown)
    try:
        try:
            reply = prompter.ask(shown, lang, drawn=start.begin)
        except (KeyboardInterrupt, EOFError):
            start.finish_after_interrupt()
            return _interrupted(start, console)
        try:
            start.finish()
        except KeyboardInterrupt:  # while the answer waits for the start: not recorded
            start.finish_after_interrupt()
            return _interrupted(start, console, answered=True)
        return _answered(start, settings, shown, reply, prompter, console)
    finally:
        if start.app is not None:
            start.app.close()


def _interrupted(start: Start, console: Console, answered: bool = False) -> int:
    """Ctrl-C on the kept question, or once it was `answered` while the answer waited for the
    start: the triage was started or not, and the message says which (the id to resume, or
    that nothing is recorded), and that an answer typed was not recorded."""
    from adapters.console.interactive import INTERRUPTED
    from adapters.console.render import show_effect

    lang = start.lang
    if start.refused is not None:
        stderr.print(start.refused, markup=False, soft_wrap=True)
    for effect in start.effects:
        show_effect(console, effect, lang)
    real = _asked(start.effects)
    if real is None:
        console.print(f"\n{t('console_interrupted_unstarted', lang)}")
    else:
        key = "console_interrupted_unanswered" if answered else "console_interrupted"
        console.print(f"\n{t(key, lang, id=real.triage_id)}")
    return INTERRUPTED


def _answered(
    start: Start,
    settings: Settings,
    shown: QuestionView,
    reply: Reply,
    prompter: Prompter,
    console: Console,
) -> int:
    """The reply goes to the real triage if its first question is the one shown; otherwise
    the person is told so, and the triage goes on from its real start."""
    from adapters.console.interactive import REFUSED, event_of, go_on
    from adapters.console.render import show_effect
    from bot.effects import Ask

    lang, actor = start.lang, start.actor
    if start.app is None:
        console.print(t("console_not_started", lang), style="bold yellow")
        stderr.print(start.refused or "", markup=False, soft_wrap=True)
        return REFUSED
    engine = start.app.engine
    real = _asked(start.effects)
    if real is None or replace(real, triage_id="") != shown:
        key = "console_not_started" if real is None else "console_first_changed"
        console.print(t(key, lang), style="bold yellow")
        remember(settings, lang, start.effects)
        return go_on(engine, actor, lang, start.effects, prompter, console)
    for effect in start.effects:
        if not isinstance(effect, Ask):
            show_effect(console, effect, lang)
    effects = engine.handle(event_of(actor, lang, real, reply))
    return go_on(engine, actor, lang, effects, prompter, console)
