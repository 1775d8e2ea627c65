"""A question as a Slack message, the same message once answered, and the text modal.

The input is the kit's layout (`adapters.chat.question_layout`), drawn in blocks: buttons
for choices on show and for the scale, a static select for a drop-down list, checkboxes and
"Valider" for several answers, a button opening a modal for text. Progress sits in a context
block; the navigation ("Pourquoi ?", "Retour", "Annuler") in the last row.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from typing import Any

from adapters.chat.clicks import ANSWER_INPUT
from adapters.chat.forms import Field, read, text_answer_form, text_of
from adapters.chat.question_layout import Input, Layout, layout
from adapters.slack import refs
from adapters.slack.blocks import (
    OPTION_TEXT_MAX,
    Block,
    Message,
    actions,
    button,
    clip,
    confirm,
    context,
    escape,
    form_modal,
    form_sent,
    menu,
    message,
    option,
    plain,
    section,
)
from adapters.slack.messages import m
from bot.i18n import t
from bot.views import ChoiceView, QuestionView, previous_text

CHECKBOXES_MAX = 10
NAVIGATION = {"why": ("button_why", refs.WHY), "back": ("button_back", refs.BACK)}
"""The plain navigation buttons: their label and action id."""
MODAL_METADATA_MAX = 3000
TEXT_MAX = 2000
"""The engine's limit, used when a button predates the field that carries it."""


def ref_of(view: QuestionView) -> refs.QuestionRef:
    return refs.QuestionRef(view.triage_id, view.question_id, view.flow_version)


TRIAGE_STAND_IN = "T" + secrets.token_hex(12)
"""Stands for the triage id in a cached question message; no flow text holds it by chance."""


def question_message(view: QuestionView, lang: str) -> Message:
    """Drawn once per question as every triage sees it (same language, progress and previous
    answer), then copied with the triage's own id: drawing through slack_sdk's models and
    their checks took a tenth of a Slack turn's CPU (bench/load.py)."""
    if not view.triage_id.isalnum() or isinstance(view.previous, list):
        return _drawn(view, lang)
    template = _template(replace(view, triage_id=TRIAGE_STAND_IN), lang)
    return json.loads(template.replace(TRIAGE_STAND_IN, view.triage_id))


@lru_cache(maxsize=512)
def _template(view: QuestionView, lang: str) -> str:
    return json.dumps(_drawn(view, lang), ensure_ascii=False)


def _drawn(view: QuestionView, lang: str) -> Message:
    ref = ref_of(view)
    shape = layout(view)
    question = [f"*{escape(view.label)}*"]
    inputs: list[Block] = []
    first_row: list[Block] = []
    hints: list[str] = []
    if shape.input is Input.CHOICE and shape.expanded:
        inputs.append(_buttons(ref, shape, ((c.label, c.id) for c in view.choices)))
    elif shape.input is Input.CHOICE:
        inputs.append(actions([_select(view, shape, lang)], ref.encode()))
    elif shape.input is Input.SEVERAL:
        inputs.append(actions([_checkboxes(view, shape, lang)], ref.encode()))
        first_row.append(
            button(m("button_submit", lang), refs.SUBMIT_MULTI, ref.encode(), "primary")
        )
        hints.append(m("multi_hint", lang))
        if shape.exclusive:
            named = [m("quoted", lang, text=escape(c.label)) for c in shape.exclusive]
            hints.append(m("multi_exclusive_hint", lang, choices=", ".join(named)))
    elif shape.input is Input.SCALE:
        low, high = view.scale
        inputs.append(_buttons(ref, shape, ((str(n), n) for n in range(low, high + 1))))
        hints.append(m("scale_hint", lang, min=low, max=high))
    else:
        first_row.append(
            button(m("button_answer_text", lang), refs.OPEN_TEXT, _text_value(view, ref), "primary")
        )
        hints.append(m("text_hint", lang, max=view.max_length))
    clipped = [c for c in view.choices if len(c.label) > OPTION_TEXT_MAX]
    if clipped:
        question.append(m("full_choices", lang))
        question += [f"• {escape(c.label)}" for c in view.choices]
    blocks: list[Block] = [
        context(escape(view.progress), block_id="progress"),
        section("\n".join(question), block_id="question"),
        *inputs,
    ]
    if view.previous is not None:
        previous = t("previous_answer", lang, answer=previous_text(view))
        hints.append(escape(previous))
    if hints:
        blocks.append(context(*hints, block_id="hints"))
    blocks.append(actions(first_row + _navigation(shape, ref, lang), "navigation"))
    fallback = m("question_fallback", lang, progress=view.progress, label=view.label)
    return message(fallback, blocks)


def frozen_message(summary: str) -> Message:
    """An answered question: the answer given, no inputs left to click."""
    return message(summary, [section(f"✅ {escape(summary)}")])


def replaced_message(text: str) -> Message:
    """A question that is no longer asked (went back, cancelled): a note instead of inputs."""
    return message(text, [context(escape(text))])


def _text_ids(_field: Field) -> tuple[str, str]:
    return refs.TEXT_BLOCK, refs.TEXT_ACTION


def text_modal(
    ref: refs.QuestionRef,
    details: dict[str, Any],
    channel: str | None,
    message_ts: str | None,
    lang: str,
) -> dict[str, Any]:
    """The modal of a text question; its metadata says which message to freeze after."""
    label = str(details.get("l") or ref.question_id)
    max_length = int(details.get("x") or TEXT_MAX)
    form = text_answer_form(m, label, max_length, details.get("a"), lang)
    metadata = {"ref": ref.encode(), "channel": channel, "ts": message_ts, "max": max_length}
    lead = [context(escape(str(details["p"])))] if details.get("p") else []
    return form_modal(
        form, refs.TEXT_VIEW, m("modal_close", lang), _json(metadata), _text_ids, lead
    )


def text_answer(view: dict[str, Any], limit: int, lang: str) -> tuple[str, str | None]:
    """The answer written in a text modal, as the kit reads it, and its problem if any."""
    form = text_answer_form(m, "", limit, None, lang)
    found = read(form, form_sent(view, form, _text_ids), lang)
    return text_of(found, ANSWER_INPUT), found.problems.get(ANSWER_INPUT)


def _buttons(
    ref: refs.QuestionRef, shape: Layout, answers: Iterable[tuple[str, str | int]]
) -> Block:
    """A button per (label, answer): a choice's id, or a scale's number."""
    return actions(
        [
            button(
                label,
                f"{refs.ANSWER_PREFIX}{value}",
                ref.encode(c=value),
                _style(shape, str(value)),
            )
            for label, value in answers
        ],
        "choices",
    )


def _style(shape: Layout, value: str) -> str | None:
    """The previous answer, after going back, stands out."""
    return "primary" if value in shape.chosen else None


def _options(choices: tuple[ChoiceView, ...]) -> list[Block]:
    return [option(c.id, c.label) for c in choices]


def _select(view: QuestionView, shape: Layout, lang: str) -> Block:
    options = _options(view.choices)
    initial = next((o for o in options if o["value"] in shape.chosen), None)
    placeholder = plain(m("select_placeholder", lang))
    return menu(
        "static_select",
        refs.ANSWER_SELECT,
        options,
        placeholder=placeholder,
        initial_option=initial,
    )


def _checkboxes(view: QuestionView, shape: Layout, lang: str) -> Block:
    """Checkboxes hold ten options; a longer list becomes a multi-select."""
    options = _options(view.choices)
    initial = [o for o in options if o["value"] in shape.chosen] or None
    if len(options) <= CHECKBOXES_MAX:
        return menu("checkboxes", refs.MULTI_CHOICE, options, initial_options=initial)
    placeholder = plain(m("select_placeholder", lang))
    return menu(
        "multi_static_select",
        refs.MULTI_CHOICE,
        options,
        placeholder=placeholder,
        initial_options=initial,
    )


def _navigation(shape: Layout, ref: refs.QuestionRef, lang: str) -> list[Block]:
    """Why and back as plain buttons, cancel in red behind a confirmation."""
    value = ref.encode()
    sure = confirm(
        m("confirm_cancel_title", lang),
        m("confirm_cancel_text", lang),
        m("confirm_cancel_yes", lang),
        m("confirm_cancel_no", lang),
        "danger",
    )
    return [
        button(m("button_cancel", lang), refs.CANCEL, value, "danger", sure)
        if action == "cancel"
        else button(m(NAVIGATION[action][0], lang), NAVIGATION[action][1], value)
        for action in shape.navigation
    ]


def _text_value(view: QuestionView, ref: refs.QuestionRef) -> str:
    """What the modal needs, carried by the button so that opening it reads no database
    (the trigger expires in 3 seconds). A previous answer too long to fit is left out
    rather than cut: a truncated pre-filled answer would be submitted by mistake."""
    label = clip(view.label, 500)
    previous = view.previous if isinstance(view.previous, str) else None
    details = {"l": label, "p": view.progress, "x": view.max_length}
    with_previous = ref.encode(**details, a=previous) if previous else ""
    if with_previous and len(with_previous) <= refs.VALUE_MAX:
        return with_previous
    return ref.encode(**details)


def _json(data: dict[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    if len(text) > MODAL_METADATA_MAX:
        raise ValueError("modal metadata too long")
    return text
