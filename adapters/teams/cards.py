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
from datetime import UTC, datetime, tzinfo
from typing import Any

from adapters.teams.messages import m
from bot.i18n import t
from bot.listings import TriageRow
from bot.notifications import NOBODY, ReviewNotice
from bot.report import changes_text
from bot.views import QuestionView, ResultView, reference_legend
from flows.model import OUTCOMES

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
EXPANDED_MAX = 5
"""Radio buttons or check boxes up to this many choices, a drop-down list above."""
ANSWER_INPUT = "answer"
ACTION = "boussole"
ANSWER_SHOWN_MAX = 300
"""An answer longer than this is shortened on the result card, which must stay well under
the 28 KB Teams accepts for one message even when every text answer is 2,000 characters."""

CARD = dict[str, Any]
OUTCOME_COLORS = {"light_track": "good", "full_review": "warning", "incompatible": "attention"}


@dataclass(frozen=True)
class Notice:
    """A line from the engine (Info or Error) shown at the top of the card that follows it."""

    text: str
    error: bool = False


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
QUESTION_INPUT = "review_question"
OUTCOME_INPUT = "review_outcome"
COMMENT_INPUT = "review_comment"
REPLY_INPUT = "agent_answer"
TEXT_INPUTS = {"review_ask": QUESTION_INPUT, "review_override": COMMENT_INPUT}
COMMENT_MAX = 2000
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
RETRIAGE_PREFIX = "retriage:"
"""One toggle per answer on the re-triage form, `retriage:<question id>`: a toggle's id says
which question it stands for, whatever characters the flow's ids hold."""
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


def frozen_card(summary: str, triage_id: str, lang: str, mark: str = "✓") -> CARD:
    """What an answered (or abandoned) question card becomes: the answer, and no input."""
    body = [
        _text(f"{mark} {summary}" if mark else summary, wrap=True),
        _text(m("triage_label", lang, id=triage_id), isSubtle=True, size="Small", spacing="None"),
    ]
    return _card(body, [], fallback=summary)


# Results


def result_card(
    view: ResultView, lang: str, notices: Sequence[Notice] = (), retriage: bool = False
) -> CARD:
    """The result as its author or a reviewer reads it; `retriage` (its author only) adds the
    form that re-does it."""
    color = OUTCOME_COLORS.get(view.outcome, "default")
    body: list[CARD] = [*_notices(notices)]
    body.append(_text(t("result_title", lang, id=view.triage_id), size="Large", weight="Bolder"))
    body.append(
        {
            "type": "Container",
            "style": color,
            "bleed": True,
            "items": [
                _text(
                    t("labelled", lang, label=t("orientation", lang)) + view.outcome_label,
                    weight="Bolder",
                    size="Medium",
                    color=color,
                ),
                _text(view.outcome_description),
                _text(t("advice_notice", lang), isSubtle=True, size="Small"),
            ],
        }
    )
    if view.notified is not None:
        alarm = {"color": "Attention", "weight": "Bolder"} if view.notified.to == NOBODY else {}
        body.append(_text(view.notified.text, **alarm))
    if view.changes is not None:
        body.append(_heading(t("changes_title", lang)))
        body.append(_text(changes_text(view.changes, lang)))
    body.append(_heading(t("fired_rules", lang)))
    if view.rules:
        body.append(
            _facts((f"{rule.id} ({rule.criterion})", _rule_text(rule, lang)) for rule in view.rules)
        )
        legend = reference_legend((rule.reference for rule in view.rules), lang)
        if legend:
            body.append(_text(legend, isSubtle=True, size="Small"))
    else:
        body.append(_text(t("no_rule_fired", lang)))
    if view.conditions:
        body.append(_heading(t("conditions", lang)))
        body.append(_facts((c.id, c.text) for c in view.conditions))
    if view.blocking_points:
        body.append(_heading(t("blocking_points", lang)))
        body.append(_facts((b.question, _blocking_text(b, lang)) for b in view.blocking_points))
    body.append(
        _text(
            t(
                "flow_version",
                lang,
                flow=view.flow_id,
                version=view.flow_version,
                sha=view.flow_sha256[:12],
            ),
            isSubtle=True,
            size="Small",
        )
    )
    actions: list[CARD] = []
    if retriage and view.answer_rows:
        actions.append(_retriage_form(view, lang))
    elif view.answer_rows:
        rows = (
            (row.question, _answer_row(row.label, row.answer, view, lang))
            for row in view.answer_rows
        )
        actions.append(
            {
                "type": "Action.ShowCard",
                "title": m("action_answers", lang),
                "card": {"type": "AdaptiveCard", "body": [_facts(rows)]},
            }
        )
    actions.append(_submit(m("button_new", lang), {ACTION: "start"}))
    fallback = t("labelled", lang, label=t("orientation", lang)) + view.outcome_label
    return _card(body, actions, fallback=fallback)


def _retriage_form(view: ResultView, lang: str) -> CARD:
    """The author's answers, each a toggle under its section's title, the answer beside the
    question: the questions ticked are asked again, the others kept. One list for reading
    and re-doing, not two: a card holds 28 KB."""
    form: list[CARD] = [_text(t("retriage_pick_help", lang, id=view.triage_id))]
    section = None
    for row in view.answer_rows:
        if row.section != section:
            section = row.section
            form.append(_heading(section))
        form.append(
            {
                "type": "Input.Toggle",
                "id": RETRIAGE_PREFIX + row.question,
                "title": _answer_row(row.label, row.answer, view, lang),
                "value": "false",
                "wrap": True,
            }
        )
    submit = _submit(
        t("retriage_pick_submit", lang), {ACTION: "retriage", "triage": view.triage_id}
    )
    return _show_card(t("retriage_answers_action", lang), form, submit)


def _rule_text(rule: Any, lang: str) -> str:
    because = t("list_separator", lang).join(
        t("labelled", lang, label=row.label) + _plain(row.answer) for row in rule.because_rows
    )
    parts = [f"{t('effect_' + rule.effect, lang)} — {rule.explanation}"]
    if because:
        parts.append(t("labelled", lang, label=t("because", lang)) + because)
    parts.append(t("labelled", lang, label=t("reference", lang)) + rule.reference)
    return " · ".join(parts)


def _blocking_text(point: Any, lang: str) -> str:
    if not point.may_be_incompatible:
        return point.text
    risk = t("may_be_incompatible", lang, rules=", ".join(point.rules))
    return f"{point.text} ({risk})"


def _answer_row(label: str, answer: str, view: ResultView, lang: str) -> str:
    shown = _plain(answer)
    if len(shown) > ANSWER_SHOWN_MAX:
        cut = shown[:ANSWER_SHOWN_MAX].rstrip()
        shown = f"{cut}… {m('answers_truncated', lang, id=view.triage_id)}"
    return f"{label} → {shown}"


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


def review_card(notice: ReviewNotice, lang: str) -> CARD:
    body: list[CARD] = [
        _text(m("review_title", lang), size="Large", weight="Bolder"),
        _text(_plain(notice.summary)),
        _facts(
            [
                (t("column_project", lang), _plain(notice.project)),
                (m("department", lang), notice.department),
                (t("orientation", lang), notice.outcome_label),
            ]
        ),
        _heading(t("fired_rules", lang)),
    ]
    if notice.rules:
        body.append(
            _facts(
                (rule_id, f"{t('effect_' + effect, lang)} — {explanation}")
                for rule_id, effect, explanation in notice.rules
            )
        )
    else:
        body.append(_text(t("no_rule_fired", lang)))
    triage = {"triage": notice.triage_id}
    others = [o for o in OUTCOMES if o != notice.outcome]
    ask_form = [
        _text_input(QUESTION_INPUT, m("ask_label", lang), lang),
    ]
    override_form: list[CARD] = [
        {
            "type": "Input.ChoiceSet",
            "id": OUTCOME_INPUT,
            "label": m("new_outcome_label", lang),
            "isRequired": True,
            "errorMessage": m("choose_one", lang),
            "choices": [{"title": t(f"outcome_{o}", lang), "value": o} for o in others],
            "style": "expanded",
            "wrap": True,
        },
        _text_input(COMMENT_INPUT, m("review_comment_label", lang), lang),
    ]
    actions = [
        _submit(m("button_claim", lang), {ACTION: "review_claim", **triage}),
        _submit(
            m("button_confirm", lang),
            {ACTION: "review_confirm", **triage},
            style="positive",
        ),
        _show_card(
            m("button_ask", lang),
            ask_form,
            _submit(m("button_send", lang), {ACTION: "review_ask", **triage}),
        ),
        _show_card(
            m("button_override", lang),
            override_form,
            _submit(m("button_override", lang), {ACTION: "review_override", **triage}),
        ),
        _submit(m("action_review_detail", lang), {ACTION: "review", **triage}),
    ]
    return _card(body, actions, fallback=_plain(notice.summary))


def review_decided_card(text: str, triage_id: str, lang: str) -> CARD:
    """What the review card becomes once the decision is final: the decision, no button."""
    body = [
        _text(m("review_decided_title", lang), size="Medium", weight="Bolder"),
        _text(f"✓ {text}"),
        _text(m("triage_label", lang, id=triage_id), isSubtle=True, size="Small", spacing="None"),
    ]
    return _card(body, [], fallback=text)


def agent_question_card(text: str, triage_id: str, lang: str) -> CARD:
    """A reviewer's question, sent to the agent, with the field to answer it."""
    body = [
        _text(m("agent_question_title", lang), size="Medium", weight="Bolder"),
        _text(_plain(text)),
        _text_input(REPLY_INPUT, m("agent_answer_label", lang), lang),
    ]
    actions = [
        _submit(
            m("button_reply", lang), {ACTION: "agent_reply", "triage": triage_id}, style="positive"
        )
    ]
    return _card(body, actions, fallback=text)


def agent_answered_card(answer: str, triage_id: str, lang: str) -> CARD:
    """What the question card becomes once answered."""
    return frozen_card(m("agent_answered", lang, answer=_plain(answer)), triage_id, lang)


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


# Building blocks


def _card(body: list[CARD], actions: list[CARD], fallback: str) -> CARD:
    card: CARD = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, "body": body}
    if actions:
        card["actions"] = actions
    if fallback:
        card["fallbackText"] = fallback
    return card


def _menu(lang: str) -> list[CARD]:
    return [
        _submit(m("button_new", lang), {ACTION: "start"}, style="positive"),
        _submit(m("my_triages", lang), {ACTION: "list"}),
        _submit(m("action_help", lang), {ACTION: "help"}),
    ]


def _text(text: str, **properties: Any) -> CARD:
    return {"type": "TextBlock", "text": text, "wrap": True, **properties}


def _heading(text: str) -> CARD:
    return _text(text, weight="Bolder", size="Medium", spacing="Large")


def _facts(pairs: Any) -> CARD:
    return {"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in pairs]}


def _notices(notices: Sequence[Notice]) -> list[CARD]:
    return [
        _text(n.text, color="attention" if n.error else "accent", weight="Bolder") for n in notices
    ]


def _submit(title: str, data: CARD, **properties: Any) -> CARD:
    return {"type": "Action.Submit", "title": title, "data": data, **properties}


def _text_input(input_id: str, label: str, lang: str) -> CARD:
    return {
        "type": "Input.Text",
        "id": input_id,
        "label": label,
        "isRequired": True,
        "errorMessage": m("write_text", lang, max=COMMENT_MAX),
        "isMultiline": True,
        "maxLength": COMMENT_MAX,
    }


def _show_card(title: str, body: list[CARD], submit: CARD) -> CARD:
    return {
        "type": "Action.ShowCard",
        "title": title,
        "card": {"type": "AdaptiveCard", "body": body, "actions": [submit]},
    }


def _local(moment: datetime, zone: tzinfo) -> str:
    """`moment` is aware (bot.listings): shown in the reader's zone."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _plain(text: str) -> str:
    """Text written by a person, shown without letting it become a Markdown link: a card
    must not turn an answer into a clickable link under the bot's name."""
    return text.replace("](", "]\u200b(")
