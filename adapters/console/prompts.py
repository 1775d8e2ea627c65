"""Asking one question in a terminal: arrow keys on a real terminal, typed lines elsewhere.

Both prompters return a `Reply`; neither validates answers beyond reading them, since the
engine validates every answer and says what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from rich.console import Console

from bot.i18n import t
from bot.question_view import ChoiceView, QuestionView, previous_text

WHY = "?"
BACK = "<"


@dataclass(frozen=True)
class Reply:
    action: str
    """"answer", "why" or "back"."""
    value: Any = None


Drawn = Callable[[], None]
"""Called once the question is on screen, maybe more than once: what may wait until then."""


class Prompter(Protocol):
    def ask(self, view: QuestionView, lang: str, drawn: Drawn | None = None) -> Reply: ...


def show_progress(console: Console, view: QuestionView) -> None:
    """The line above each question: where the triage is, and the question's id."""
    console.print(f"\n{view.progress} · {view.question_id}", style="dim")


class LinePrompter:
    """Typed answers: choice numbers (or ids), `1,3` for several, `?` why, `<` back."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def ask(self, view: QuestionView, lang: str, drawn: Drawn | None = None) -> Reply:
        self.console.print(view.label, style="bold")
        for number, choice in enumerate(view.choices, start=1):
            self.console.print(f"  {number}. {choice.label}")
        if view.previous is not None:
            previous = t("previous_answer", lang, answer=previous_text(view))
            self.console.print(previous, style="dim")
        self.console.print(hint(view, lang), style="dim")
        if drawn is not None:
            drawn()
        while True:
            line = self.console.input("> ")
            reply = parse_line(view, line)
            if reply is not None:
                return reply
            self.console.print(t("console_unreadable", lang), style="yellow")
            self.console.print(hint(view, lang), style="dim")


def parse_line(view: QuestionView, line: str) -> Reply | None:
    """None when the line cannot be read as an answer of this question's type."""
    text = line.strip()
    if text == WHY:
        return Reply("why")
    if text == BACK:
        return Reply("back")
    if view.type == "text":
        return Reply("answer", line)
    if view.type == "scale":
        return Reply("answer", int(text)) if text.lstrip("-").isdigit() else None
    choices = view.choices
    if view.type == "multi":
        whole = _choice(choices, text)
        if whole is not None:
            return Reply("answer", [whole])
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if len(parts) == 1:
            parts = parts[0].split()
        picked = [_choice(choices, p) for p in parts]
        return None if not parts or None in picked else Reply("answer", picked)
    picked_one = _choice(choices, text)
    return None if picked_one is None else Reply("answer", picked_one)


def _choice(choices: Sequence[ChoiceView], token: str) -> str | None:
    """A choice by its number, its label as shown (any case) or its id."""
    if token.isdigit() and 1 <= int(token) <= len(choices):
        return choices[int(token) - 1].id
    wanted = " ".join(token.split()).casefold()
    for choice in choices:
        if wanted in (choice.id.casefold(), " ".join(choice.label.split()).casefold()):
            return choice.id
    return None


def hint(view: QuestionView, lang: str) -> str:
    key = {
        "text": "console_hint_text",
        "scale": "console_hint_scale",
        "multi": "console_hint_multi",
    }.get(view.type, "console_hint_choice")
    return t(key, lang)


class ArrowPrompter:
    """Arrow keys or choice numbers; `?` and `<` are keys as well as entries of the list."""

    def ask(self, view: QuestionView, lang: str, drawn: Drawn | None = None) -> Reply:
        import questionary  # prompt_toolkit costs 0.2 s to import: only when drawing a menu
        from questionary import Choice as QChoice

        why = QChoice(t("console_why", lang), value=Reply("why"))
        back = QChoice(t("console_back", lang), value=Reply("back"))
        extras = [why, back] if view.can_go_back else [why]
        if view.type == "text":
            text = questionary.text(
                view.label, instruction=t("console_hint_text", lang), default=_text(view.previous)
            )
            value = _once_drawn(text, drawn).unsafe_ask()
            return parse_line(view, value) or Reply("answer", value)
        if view.type == "multi":
            options = [
                QChoice(c.label, value=c.id, checked=c.id in (view.previous or []))
                for c in view.choices
            ]
            # erased when done: questionary's own summary ("done (2 selections)") is English
            # only, and the engine's freeze line says the same in the reader's language
            question = questionary.checkbox(
                view.label,
                choices=[*options, *extras],
                instruction=t("console_hint_boxes", lang),
                erase_when_done=True,
            )
            picked = _once_drawn(_with_action_keys(question), drawn).unsafe_ask()
            if isinstance(picked, Reply):
                return picked
            actions = [p for p in picked if isinstance(p, Reply)]
            return actions[0] if actions else Reply("answer", picked)
        if view.type == "scale":
            low, high = view.scale
            options = [QChoice(str(n), value=n) for n in range(low, high + 1)]
        else:
            options = [QChoice(c.label, value=c.id) for c in view.choices]
        default = next((o for o in options if o.value == view.previous), None)
        question = questionary.select(
            view.label,
            choices=[*options, *extras],
            default=default,
            use_shortcuts=len(options) + len(extras) <= 36,
            use_jk_keys=False,
            instruction=t("console_hint_arrows", lang),
        )
        picked = _once_drawn(_with_action_keys(question), drawn).unsafe_ask()
        return picked if isinstance(picked, Reply) else Reply("answer", picked)


def _with_action_keys(question: Any) -> Any:
    """`?` and `<` end the prompt at once with the why or back action."""
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    keys = KeyBindings()

    @keys.add(WHY, eager=True)
    def _why(event: Any) -> None:
        event.app.exit(result=Reply("why"))

    @keys.add(BACK, eager=True)
    def _back(event: Any) -> None:
        event.app.exit(result=Reply("back"))

    application = question.application
    application.key_bindings = merge_key_bindings([keys, application.key_bindings])
    return question


def _once_drawn(question: Any, drawn: Drawn | None) -> Any:
    """`drawn` runs after each drawing of the prompt, the first one included."""
    if drawn is not None:
        question.application.after_render += lambda _application: drawn()
    return question


def _text(previous: Any) -> str:
    return previous if isinstance(previous, str) else ""
