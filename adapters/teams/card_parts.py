"""What every Adaptive Card of the Teams adapter is made of: the card itself, texts, fact
sets, buttons and forms (whose input ids are the chat kit's, `adapters.chat.clicks`). Pure
functions, no SDK."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from adapters.chat.clicks import ACTION
from adapters.chat.placement import Notice
from adapters.teams.messages import m

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
CARD = dict[str, Any]
COMMENT_MAX = 2000


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


def heading(words: str) -> CARD:
    return text(words, weight="Bolder", size="Medium", spacing="Large")


def facts(pairs: Any) -> CARD:
    return {"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in pairs]}


def notices(said: Sequence[Notice]) -> list[CARD]:
    return [text(n.text, color="attention" if n.error else "accent", weight="Bolder") for n in said]


def submit(title: str, data: CARD, **properties: Any) -> CARD:
    return {"type": "Action.Submit", "title": title, "data": data, **properties}


def text_input(input_id: str, label: str, lang: str) -> CARD:
    return {
        "type": "Input.Text",
        "id": input_id,
        "label": label,
        "isRequired": True,
        "errorMessage": m("write_text", lang, max=COMMENT_MAX),
        "isMultiline": True,
        "maxLength": COMMENT_MAX,
    }


def show_card(title: str, body: list[CARD], submit: CARD) -> CARD:
    return {
        "type": "Action.ShowCard",
        "title": title,
        "card": {"type": "AdaptiveCard", "body": body, "actions": [submit]},
    }


def local(moment: datetime, zone: tzinfo) -> str:
    """`moment` is aware (bot.listings): shown in the reader's zone."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def plain(words: str) -> str:
    """Text written by a person, shown without letting it become a Markdown link: a card
    must not turn an answer into a clickable link under the bot's name."""
    return words.replace("](", "]\u200b(")


def frozen_card(summary: str, triage_id: str, lang: str, mark: str = "✓", title: str = "") -> CARD:
    """What an answered (or abandoned) question card, or a decided review card (`title`),
    becomes: what was done, and no input."""
    body = [text(title, size="Medium", weight="Bolder")] if title else []
    body.append(text(f"{mark} {summary}" if mark else summary))
    body.append(
        text(m("triage_label", lang, id=triage_id), isSubtle=True, size="Small", spacing="None")
    )
    return card(body, [], fallback=summary)
