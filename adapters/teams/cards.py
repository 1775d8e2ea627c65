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
    asked = {"question": view.question_id, "flow_version": view.flow_version, "type": view.type}
    data = p.on("answer", view.triage_id) | asked
    body: list[CARD] = [
        *p.notices(notices),
        p.text(view.section_title, weight="Bolder", size="Small", spacing="Small"),
        p.note(view.progress, spacing="None"),
    ]
    if shape.exclusive:
        exclusive = ", ".join(f"« {c.label} »" for c in shape.exclusive)
        body.append(p.note(m("exclusive_hint", lang, labels=exclusive)))
    body.append(_input(view, shape, lang))
    actions: list[CARD] = [p.submit(m("button_submit", lang), data, style="positive")]
    for action in shape.navigation:
        secondary = {"mode": "secondary"} if action == "cancel" else {}
        label, navigate = m(NAVIGATION[action], lang), {**data, ACTION: action}
        actions.append(p.submit(label, navigate, associatedInputs="none", **secondary))
    return p.card(body, actions, fallback=view.label)


def _input(view: QuestionView, shape: Layout, lang: str) -> CARD:
    field: CARD = {"id": ANSWER_INPUT, "label": view.label, "isRequired": True}
    if shape.input is Input.TEXT:
        field |= {
            "type": "Input.Text",
            "errorMessage": m("write_answer", lang, max=view.max_length),
            "isMultiline": True,
            "maxLength": view.max_length,
            "placeholder": m("placeholder_text", lang),
        }
        if isinstance(view.previous, str):
            field["value"] = view.previous
        return field
    field["type"] = "Input.ChoiceSet"
    if shape.input is Input.SCALE:
        low, high = view.scale
        field["errorMessage"] = m("choose_scale", lang, min=low, max=high)
        field["choices"] = [_scale_choice(v, low, high, lang) for v in range(low, high + 1)]
        field["style"] = "expanded"
    else:
        multi = shape.input is Input.SEVERAL
        field |= {
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


def _scale_choice(value: int, low: int, high: int, lang: str) -> CARD:
    """A value of the scale, its two ends named."""
    title = str(value)
    if value in (low, high):
        title = m("scale_low" if value == low else "scale_high", lang, value=value)
    return {"title": title, "value": str(value)}


# Welcome, help, lists, reviews


def welcome_card(lang: str) -> CARD:
    body = [p.title(m("app_name", lang), "Large"), p.text(m("welcome_text", lang))]
    return p.card(body, p.menu(lang), fallback=m("welcome_text", lang))


def help_card(lang: str, notices: Sequence[Notice] = ()) -> CARD:
    lines = (*HELP_LINES, "help_whoami", "help_help")
    body = [
        *p.notices(notices),
        p.title(m("help_title", lang)),
        *(p.text(f"• {m(key, lang)}", spacing="Small") for key in lines),
        p.note(m("help_channel", lang)),
    ]
    return p.card(body, p.menu(lang), fallback=m("help_title", lang))


def list_card(rows: Sequence[TriageRow], lang: str, limit: int, zone: tzinfo = UTC) -> CARD:
    """The person's recent triages, times in their own time zone (Teams sends it)."""
    body: list[CARD] = [p.title(t("list_title", lang))]
    new = [p.submit(m("button_new", lang), {ACTION: "start"})]
    if not rows:
        body.append(p.text(m("list_empty", lang)))
        return p.card(body, new, "")
    for row in rows:
        status = t(f"status_{row.status}", lang)
        if row.outcome_label:
            status = f"{status} · {row.outcome_label}"
        updated = p.local(row.updated_at, zone)
        action = m("button_view_result" if row.finished else "button_resume", lang)
        items = [
            p.text(p.plain(row.project), weight="Bolder"),
            p.note(m("list_row", lang, id=row.id, status=status, updated=updated), spacing="None"),
            p.actions([p.submit(action, p.on("resume", row.id))]),
        ]
        body.append({"type": "Container", "separator": True, "items": items})
    if len(rows) >= limit:
        body.append(p.note(m("list_more", lang, count=limit)))
    return p.card(body, new, "")


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
        p.title(m("upload_title", lang)),
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
