"""Engine views drawn as Adaptive Cards 1.5, and the data their buttons send back.

Pure functions from views to JSON-ready dicts: no SDK import, so the cards can be dumped,
validated and reused by whatever transport replaces the Bot Framework SDK. Every button sends
a small dict (`Submit`) naming its action, the triage, the question and the flow version, so
that a click on an old card can be recognised and refused without guessing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, tzinfo
from typing import Any

from adapters.teams.card_parts import (
    ACTION,
    CARD,
    COMMENT_INPUT,
    OUTCOME_INPUT,
    QUESTION_INPUT,
    REPLY_INPUT,
    RETRIAGE_PREFIX,
    Notice,
)
from adapters.teams.card_parts import (
    card as _card,
)
from adapters.teams.card_parts import frozen_card as frozen_card
from adapters.teams.card_parts import (
    heading as _heading,
)
from adapters.teams.card_parts import (
    local as _local,
)
from adapters.teams.card_parts import (
    menu as _menu,
)
from adapters.teams.card_parts import (
    notices as _notices,
)
from adapters.teams.card_parts import (
    plain as _plain,
)
from adapters.teams.card_parts import (
    submit as _submit,
)
from adapters.teams.card_parts import (
    text as _text,
)
from adapters.teams.messages import m
from adapters.teams.result_cards import agent_answered_card as agent_answered_card
from adapters.teams.result_cards import agent_question_card as agent_question_card
from adapters.teams.result_cards import result_card as result_card
from adapters.teams.result_cards import review_card as review_card
from adapters.teams.result_cards import review_decided_card as review_decided_card
from bot.i18n import t
from bot.listings import TriageRow
from bot.views import QuestionView

EXPANDED_MAX = 5
"""Radio buttons or check boxes up to this many choices, a drop-down list above."""
ANSWER_INPUT = "answer"


@dataclass(frozen=True)
class Submit:
    """What a button click sends back, read from the activity's `value`."""

    action: str
    triage_id: str = ""
    question_id: str = ""
    flow_version: int | None = None
    kind: str = ""
    raw: Any = None
    text: str = ""
    """A reviewer's question or comment, or the agent's answer (review actions)."""
    outcome: str = ""
    """The new orientation chosen on the override form."""
    sha256: str = ""
    """The checked upload the Publish button confirms."""
    reask: tuple[str, ...] = ()
    """The questions ticked on a result's re-triage form, in form order."""

    def answer(self) -> Any:
        """The input's value as the engine expects it for the question's type.

        Teams sends every input as a string: a multi-select as "a,b", a scale as "3". Whatever
        cannot be converted is passed on unchanged, for the engine to refuse with its message.
        """
        value = self.raw
        if self.kind == "multi" and isinstance(value, str):
            return [item for item in value.split(",") if item]
        if self.kind == "scale" and isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
        return value


REVIEW_ACTIONS = {
    "review_claim": "claim",
    "review_confirm": "confirm",
    "review_ask": "ask",
    "review_override": "override",
}
"""Button action -> the engine's ReviewAction.action."""
TEXT_INPUTS = {"review_ask": QUESTION_INPUT, "review_override": COMMENT_INPUT}
ACTIONS = (
    "answer",
    "why",
    "back",
    "cancel",
    "start",
    "list",
    "help",
    "resume",
    "review",
    *REVIEW_ACTIONS,
    "agent_reply",
    "admin_publish",
    "retriage",
)
_NEEDS_TRIAGE = (
    "answer",
    "why",
    "back",
    "cancel",
    "resume",
    "review",
    "retriage",
    *REVIEW_ACTIONS,
)

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def read_submit(value: object) -> Submit | None:
    """The button data of one of our cards, or None for anything else (forged or foreign)."""
    if not isinstance(value, Mapping):
        return None
    action = value.get(ACTION)
    if action not in ACTIONS:
        return None
    triage_id = value.get("triage", "")
    question_id = value.get("question", "")
    version = value.get("flow_version")
    kind = value.get("type", "")
    if not all(isinstance(v, str) for v in (triage_id, question_id, kind)):
        return None
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        return None
    if (action in _NEEDS_TRIAGE or action == "agent_reply") and not triage_id:
        return None
    if action == "answer" and (not question_id or version is None):
        return None
    text = value.get(REPLY_INPUT if action == "agent_reply" else TEXT_INPUTS.get(action, ""), "")
    outcome = value.get(OUTCOME_INPUT, "") if action == "review_override" else ""
    sha256 = value.get("sha256", "") if action == "admin_publish" else ""
    if not all(isinstance(v, str) for v in (text, outcome, sha256)):
        return None
    if action == "admin_publish" and not _SHA256.match(sha256):
        return None
    reask = tuple(
        str(name)[len(RETRIAGE_PREFIX) :]
        for name, ticked in value.items()
        if action == "retriage"
        and isinstance(name, str)
        and name.startswith(RETRIAGE_PREFIX)
        and ticked == "true"
    )
    return Submit(
        action,
        triage_id,
        question_id,
        version,
        kind,
        value.get(ANSWER_INPUT),
        text=text,
        outcome=outcome,
        sha256=sha256,
        reask=reask,
    )


# Question cards


def question_card(view: QuestionView, lang: str, notices: Sequence[Notice] = ()) -> CARD:
    data = {
        ACTION: "answer",
        "triage": view.triage_id,
        "question": view.question_id,
        "flow_version": view.flow_version,
        "type": view.type,
    }
    body: list[CARD] = [*_notices(notices)]
    body.append(
        _text(view.section_title, weight="Bolder", size="Small", spacing="Small"),
    )
    body.append(_text(view.progress, isSubtle=True, size="Small", spacing="None"))
    exclusive = [f"« {c.label} »" for c in view.choices if c.exclusive]
    if view.type == "multi" and exclusive:
        hint = m("exclusive_hint", lang, labels=", ".join(exclusive))
        body.append(_text(hint, isSubtle=True, size="Small"))
    body.append(_input(view, lang))
    actions: list[CARD] = [
        _submit(m("button_submit", lang), data, style="positive"),
        _submit(m("button_why", lang), {**data, ACTION: "why"}, associatedInputs="none"),
    ]
    if view.can_go_back:
        actions.append(
            _submit(m("button_back", lang), {**data, ACTION: "back"}, associatedInputs="none")
        )
    actions.append(
        _submit(
            m("button_cancel", lang),
            {**data, ACTION: "cancel"},
            associatedInputs="none",
            mode="secondary",
        )
    )
    return _card(body, actions, fallback=view.label)


def _input(view: QuestionView, lang: str) -> CARD:
    common: CARD = {"id": ANSWER_INPUT, "label": view.label, "isRequired": True}
    previous = view.previous
    if view.type == "text":
        field: CARD = {
            "type": "Input.Text",
            **common,
            "errorMessage": m("write_answer", lang, max=view.max_length),
            "isMultiline": True,
            "maxLength": view.max_length,
            "placeholder": m("placeholder_text", lang),
        }
        if isinstance(previous, str):
            field["value"] = previous
        return field
    if view.type == "scale":
        low, high = view.scale
        choices = [
            {"title": _scale_title(value, low, high, lang), "value": str(value)}
            for value in range(low, high + 1)
        ]
        field = {
            "type": "Input.ChoiceSet",
            **common,
            "errorMessage": m("choose_scale", lang, min=low, max=high),
            "choices": choices,
            "style": "expanded",
        }
        if isinstance(previous, int):
            field["value"] = str(previous)
        return field
    multi = view.type == "multi"
    expanded = len(view.choices) <= EXPANDED_MAX
    field = {
        "type": "Input.ChoiceSet",
        **common,
        "errorMessage": m("choose_some" if multi else "choose_one", lang),
        "choices": [{"title": c.label, "value": c.id} for c in view.choices],
        "style": "expanded" if expanded else "compact",
        "isMultiSelect": multi,
        "wrap": True,
    }
    if not expanded:
        field["placeholder"] = m("placeholder_choice", lang)
    if isinstance(previous, list):
        field["value"] = ",".join(str(item) for item in previous)
    elif isinstance(previous, str):
        field["value"] = previous
    return field


def _scale_title(value: int, low: int, high: int, lang: str) -> str:
    if value == low:
        return m("scale_low", lang, value=value)
    if value == high:
        return m("scale_high", lang, value=value)
    return str(value)


# Welcome, help, lists, reviews


def welcome_card(lang: str) -> CARD:
    body = [
        _text(m("app_name", lang), size="Large", weight="Bolder"),
        _text(m("welcome_text", lang)),
    ]
    return _card(body, _menu(lang), fallback=m("welcome_text", lang))


def help_card(lang: str, notices: Sequence[Notice] = ()) -> CARD:
    lines = ("help_start", "help_list", "help_resume", "help_cancel", "help_whoami", "help_help")
    body = [
        *_notices(notices),
        _text(m("help_title", lang), size="Medium", weight="Bolder"),
        *(_text(f"• {m(key, lang)}", spacing="Small") for key in lines),
        _text(m("help_channel", lang), isSubtle=True, size="Small"),
    ]
    return _card(body, _menu(lang), fallback=m("help_title", lang))


def list_card(rows: Sequence[TriageRow], lang: str, limit: int, zone: tzinfo = UTC) -> CARD:
    """The person's recent triages, times in their own time zone (Teams sends it)."""
    body: list[CARD] = [_text(m("list_title", lang), size="Medium", weight="Bolder")]
    if not rows:
        body.append(_text(m("list_empty", lang)))
        return _card(body, [_submit(m("button_new", lang), {ACTION: "start"})], "")
    for row in rows:
        status = t(f"status_{row.status}", lang)
        if row.outcome_label:
            status = f"{status} · {row.outcome_label}"
        title = m("button_view_result" if row.finished else "button_resume", lang)
        body.append(
            {
                "type": "Container",
                "separator": True,
                "items": [
                    _text(_plain(row.project), weight="Bolder"),
                    _text(
                        m(
                            "list_row",
                            lang,
                            id=row.id,
                            status=status,
                            updated=_local(row.updated_at, zone),
                        ),
                        isSubtle=True,
                        size="Small",
                        spacing="None",
                    ),
                    {
                        "type": "ActionSet",
                        "actions": [
                            _submit(title, {ACTION: "resume", "triage": row.id}),
                        ],
                    },
                ],
            }
        )
    if len(rows) >= limit:
        body.append(_text(m("list_more", lang, count=limit), isSubtle=True, size="Small"))
    return _card(body, [_submit(m("button_new", lang), {ACTION: "start"})], "")


def done_card(text: str) -> CARD:
    """A card whose one action was done: what was done, and no button."""
    return _card([_text(f"✓ {text}")], [], fallback=text)


# Administration

UPLOAD_TEXT_MAX = 6000
DIAGRAM_MAX = 14000
"""Sizes as JSON with every non-ASCII character escaped (the worst case on the wire): with
the rest of the card, well under the 28 KB Teams accepts for one message."""


def upload_card(
    report: str, mermaid: str | None, confirm_sha256: str | None, lang: str, ok: bool = True
) -> CARD:
    """The check of an uploaded flow: the report, the diagram's Mermaid text, and the
    Publish button when the flow can be published."""
    body: list[CARD] = [
        _text(m("upload_title", lang), size="Medium", weight="Bolder"),
        _text(_cut(report, UPLOAD_TEXT_MAX, lang), color="default" if ok else "attention"),
    ]
    if mermaid:
        body.append(_heading(m("upload_diagram", lang)))
        body.append(_text(_cut(mermaid, DIAGRAM_MAX, lang), fontType="Monospace", size="Small"))
    actions: list[CARD] = []
    if confirm_sha256:
        data = {ACTION: "admin_publish", "sha256": confirm_sha256}
        actions.append(_submit(m("button_publish", lang), data, style="positive"))
    return _card(body, actions, fallback=_cut(report, 300, lang))


def _cut(text: str, limit: int, lang: str) -> str:
    """`text`, shortened (and marked so) until its JSON takes at most `limit` bytes."""
    if _json_size(text) <= limit:
        return text
    mark = "\n" + m("upload_truncated", lang)
    shown = text
    while shown and _json_size(shown + mark) > limit:
        ratio = limit / _json_size(shown + mark)
        shown = shown[: min(len(shown) - 1, int(len(shown) * ratio))].rstrip()
    return shown + mark


def _json_size(text: str) -> int:
    return len(json.dumps(text))
