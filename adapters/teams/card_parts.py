"""What every Adaptive Card of the Teams adapter is made of: the card itself, texts, fact
sets, buttons and forms (whose input ids are the chat kit's, `adapters.chat.clicks`). Pure
functions, no SDK."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from typing import Any

from adapters.chat.clicks import ACTION
from adapters.chat.forms import Field, Option, toggle_id
from adapters.chat.placement import Notice
from adapters.teams.messages import m

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
CARD = dict[str, Any]


def card(body: list[CARD], actions: list[CARD], fallback: str) -> CARD:
    drawn: CARD = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, "body": body}
    if actions:
        drawn["actions"] = actions
    if fallback:
        drawn["fallbackText"] = fallback
    return drawn


def menu(lang: str) -> list[CARD]:
    return [
        submit(m("button_new", lang), {ACTION: "start"}, style="positive"),
        submit(m("my_triages", lang), {ACTION: "list"}),
        submit(m("action_help", lang), {ACTION: "help"}),
    ]


def text(words: str, **properties: Any) -> CARD:
    return {"type": "TextBlock", "text": words, "wrap": True, **properties}


def title(words: str, size: str = "Medium", **properties: Any) -> CARD:
    return text(words, size=size, weight="Bolder", **properties)


def heading(words: str) -> CARD:
    return title(words, spacing="Large")


def note(words: str, **properties: Any) -> CARD:
    """What is said beside the card's point: subtle and small."""
    return text(words, isSubtle=True, size="Small", **properties)


def facts(pairs: Any) -> CARD:
    return {"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in pairs]}


def notices(said: Sequence[Notice]) -> list[CARD]:
    return [text(n.text, color="attention" if n.error else "accent", weight="Bolder") for n in said]


def submit(title: str, data: CARD, **properties: Any) -> CARD:
    return {"type": "Action.Submit", "title": title, "data": data, **properties}


def on(action: str, triage_id: str) -> CARD:
    """A button's data: the kit's action (`adapters.chat.clicks`) on one triage."""
    return {ACTION: action, "triage": triage_id}


def actions(buttons: list[CARD]) -> CARD:
    """Buttons inside the card's body, under what they act on."""
    return {"type": "ActionSet", "actions": buttons}


def field_input(field: Field, error: str | None = None, style: str = "compact") -> CARD:
    """A kit form's field as an Adaptive Card input, sent back by the field's id; `error` is
    what the client says of a required field left empty, `style` how a choice is shown."""
    element: CARD = {"id": field.id, "label": field.label, "isRequired": field.required}
    if error:
        element["errorMessage"] = error
    if field.initial:
        element["value"] = field.initial
    if field.kind == "choice":
        choices = [{"title": o.label, "value": o.value} for o in field.options]
        wrap = {"wrap": True} if style == "expanded" else {}
        return {"type": "Input.ChoiceSet", "style": style, "choices": choices, **element, **wrap}
    if field.kind == "date":
        return {"type": "Input.Date", **element}
    length = {"maxLength": field.max_length} if field.max_length else {}
    return {"type": "Input.Text", "isMultiline": field.kind == "text", **length, **element}


def comment_input(field: Field, lang: str) -> CARD:
    """A reviewer's question or reason, or the agent's answer: written, within its limit."""
    return field_input(field, m("write_text", lang, max=field.max_length))


def toggles(field: Field, title: Callable[[Option], str]) -> list[CARD]:
    """A kit pick field as toggles under the headings of its groups."""
    drawn: list[CARD] = []
    for group, options in field.groups():
        drawn.append(heading(group))
        for option in options:
            toggle = {"id": toggle_id(field, option), "title": title(option), "value": "false"}
            drawn.append({"type": "Input.Toggle", **toggle, "wrap": True})
    return drawn


def show_card(label: str, body: list[CARD], submit: CARD | None = None) -> CARD:
    """A button that unfolds `body` under the card, with its own `submit` when it has one."""
    shown: CARD = {"type": "AdaptiveCard", "body": body}
    if submit is not None:
        shown["actions"] = [submit]
    return {"type": "Action.ShowCard", "title": label, "card": shown}


def local(moment: datetime, zone: tzinfo) -> str:
    """`moment` is aware (bot.listings): shown in the reader's zone."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def plain(words: str) -> str:
    """Text written by a person, shown without letting it become a Markdown link: a card
    must not turn an answer into a clickable link under the bot's name."""
    return words.replace("](", "]\u200b(")


def frozen_card(summary: str, triage_id: str, lang: str, mark: str = "✓", header: str = "") -> CARD:
    """What an answered (or abandoned) question card, or a decided review card (`header`),
    becomes: what was done, and no input."""
    body = [title(header)] if header else []
    body.append(text(f"{mark} {summary}" if mark else summary))
    body.append(note(m("triage_label", lang, id=triage_id), spacing="None"))
    return card(body, [], fallback=summary)
