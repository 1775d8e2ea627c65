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
from adapters.chat.messages import HELP_LINES
from adapters.chat.placement import Notice
from adapters.chat.question_layout import Input, Layout, layout
from adapters.teams import card_parts as p
from adapters.teams.card_parts import CARD
from adapters.teams.messages import m
from bot.i18n import t
from bot.listings import TriageRow
from bot.views import QuestionView

NAVIGATION = {"why": "button_why", "back": "button_back", "cancel": "button_cancel"}


# Question cards


def question_card(view: QuestionView, lang: str, notices: Sequence[Notice] = ()) -> CARD:
    """The kit's layout (`adapters.chat.question_layout`) as a form: the input, then Submit
    and the navigation, which sends no input."""
    shape = layout(view)
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
    if shape.exclusive:
        exclusive = ", ".join(f"« {c.label} »" for c in shape.exclusive)
        body.append(
            p.text(m("exclusive_hint", lang, labels=exclusive), isSubtle=True, size="Small")
        )
    body.append(_input(view, shape, lang))
    actions: list[CARD] = [p.submit(m("button_submit", lang), data, style="positive")]
    for action in shape.navigation:
        secondary = {"mode": "secondary"} if action == "cancel" else {}
        label = m(NAVIGATION[action], lang)
        actions.append(
            p.submit(label, {**data, ACTION: action}, associatedInputs="none", **secondary)
        )
    return p.card(body, actions, fallback=view.label)


def _input(view: QuestionView, shape: Layout, lang: str) -> CARD:
    common: CARD = {"id": ANSWER_INPUT, "label": view.label, "isRequired": True}
    previous = view.previous
    if shape.input is Input.TEXT:
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
    if shape.input is Input.SCALE:
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
    else:
        multi = shape.input is Input.SEVERAL
        field = {
            "type": "Input.ChoiceSet",
            **common,
            "errorMessage": m("choose_some" if multi else "choose_one", lang),
            "choices": [{"title": c.label, "value": c.id} for c in view.choices],
            "style": "expanded" if shape.expanded else "compact",
            "isMultiSelect": multi,
            "wrap": True,
        }
        if not shape.expanded:
            field["placeholder"] = m("placeholder_choice", lang)
    if shape.chosen:
        field["value"] = ",".join(shape.chosen)
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
    lines = (*HELP_LINES, "help_whoami", "help_help")
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
