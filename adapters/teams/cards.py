"""Engine views drawn as Adaptive Cards 1.5: questions, welcome, help, the list of triages,
a done action and an uploaded flow's check.

Pure functions from views to JSON-ready dicts: no SDK import, so the cards can be dumped,
validated and reused by whatever transport replaces the Bot Framework SDK. Every button sends
the data `adapters.chat.clicks` reads (its action, the triage, the question and the flow
version), so that a click on an old card can be recognised and refused without guessing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, tzinfo

from adapters.chat.clicks import ACTION, ANSWER_INPUT
from adapters.chat.placement import Notice
from adapters.teams import card_parts as p
from adapters.teams.card_parts import CARD
from adapters.teams.messages import m
from bot.i18n import t
from bot.listings import TriageRow
from bot.views import QuestionView

EXPANDED_MAX = 5
"""Radio buttons or check boxes up to this many choices, a drop-down list above."""


# Question cards


def question_card(view: QuestionView, lang: str, notices: Sequence[Notice] = ()) -> CARD:
    data = {
        ACTION: "answer",
        "triage": view.triage_id,
        "question": view.question_id,
        "flow_version": view.flow_version,
        "type": view.type,
    }
    body: list[CARD] = [*p.notices(notices)]
    body.append(
        p.text(view.section_title, weight="Bolder", size="Small", spacing="Small"),
    )
    body.append(p.text(view.progress, isSubtle=True, size="Small", spacing="None"))
    exclusive = [f"« {c.label} »" for c in view.choices if c.exclusive]
    if view.type == "multi" and exclusive:
        hint = m("exclusive_hint", lang, labels=", ".join(exclusive))
        body.append(p.text(hint, isSubtle=True, size="Small"))
    body.append(_input(view, lang))
    actions: list[CARD] = [
        p.submit(m("button_submit", lang), data, style="positive"),
        p.submit(m("button_why", lang), {**data, ACTION: "why"}, associatedInputs="none"),
    ]
    if view.can_go_back:
        actions.append(
            p.submit(m("button_back", lang), {**data, ACTION: "back"}, associatedInputs="none")
        )
    actions.append(
        p.submit(
            m("button_cancel", lang),
            {**data, ACTION: "cancel"},
            associatedInputs="none",
            mode="secondary",
        )
    )
    return p.card(body, actions, fallback=view.label)


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
        p.text(m("app_name", lang), size="Large", weight="Bolder"),
        p.text(m("welcome_text", lang)),
    ]
    return p.card(body, p.menu(lang), fallback=m("welcome_text", lang))


def help_card(lang: str, notices: Sequence[Notice] = ()) -> CARD:
    lines = ("help_start", "help_list", "help_resume", "help_cancel", "help_whoami", "help_help")
    body = [
        *p.notices(notices),
        p.text(m("help_title", lang), size="Medium", weight="Bolder"),
        *(p.text(f"• {m(key, lang)}", spacing="Small") for key in lines),
        p.text(m("help_channel", lang), isSubtle=True, size="Small"),
    ]
    return p.card(body, p.menu(lang), fallback=m("help_title", lang))


def list_card(rows: Sequence[TriageRow], lang: str, limit: int, zone: tzinfo = UTC) -> CARD:
    """The person's recent triages, times in their own time zone (Teams sends it)."""
    body: list[CARD] = [p.text(m("list_title", lang), size="Medium", weight="Bolder")]
    if not rows:
        body.append(p.text(m("list_empty", lang)))
        return p.card(body, [p.submit(m("button_new", lang), {ACTION: "start"})], "")
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
                    p.text(p.plain(row.project), weight="Bolder"),
                    p.text(
                        m(
                            "list_row",
                            lang,
                            id=row.id,
                            status=status,
                            updated=p.local(row.updated_at, zone),
                        ),
                        isSubtle=True,
                        size="Small",
                        spacing="None",
                    ),
                    {
                        "type": "ActionSet",
                        "actions": [
                            p.submit(title, {ACTION: "resume", "triage": row.id}),
                        ],
                    },
                ],
            }
        )
    if len(rows) >= limit:
        body.append(p.text(m("list_more", lang, count=limit), isSubtle=True, size="Small"))
    return p.card(body, [p.submit(m("button_new", lang), {ACTION: "start"})], "")


def done_card(text: str) -> CARD:
    """A card whose one action was done: what was done, and no button."""
    return p.card([p.text(f"✓ {text}")], [], fallback=text)


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
        p.text(m("upload_title", lang), size="Medium", weight="Bolder"),
        p.text(_cut(report, UPLOAD_TEXT_MAX, lang), color="default" if ok else "attention"),
    ]
    if mermaid:
        body.append(p.heading(m("upload_diagram", lang)))
        body.append(p.text(_cut(mermaid, DIAGRAM_MAX, lang), fontType="Monospace", size="Small"))
    actions: list[CARD] = []
    if confirm_sha256:
        data = {ACTION: "admin_publish", "sha256": confirm_sha256}
        actions.append(p.submit(m("button_publish", lang), data, style="positive"))
    return p.card(body, actions, fallback=_cut(report, 300, lang))


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
