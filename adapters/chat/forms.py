"""The forms a chat platform draws, described once: the re-triage form, a reviewer's forms
(ask the agent, override with a reason), the agent's reply, the register's form and a text
answer. Each is a `Form` of `Field`s built from the engine's views, which a platform only
draws (a Slack modal, an Adaptive Card's inputs); what comes back is read by `read`, the
same for every platform, into the values or each field's problem.

A field's id is the input id the kit reads back (`adapters.chat.clicks`,
`adapters.chat.register`): Teams sends its inputs by these ids, and Slack names its blocks
from them. The words are resolved when the form is built, in the reader's language, through
the platform's catalog (`words`, which falls back on the kit's): the override's reason
(`override_comment`) and the agent's reply (`reply_label`) are worded by each platform.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Literal

from adapters.chat.clicks import (
    ANSWER_INPUT,
    COMMENT_INPUT,
    OUTCOME_INPUT,
    QUESTION_INPUT,
    REPLY_INPUT,
)
from adapters.chat.messages import m
from adapters.chat.register import INPUT_PREFIX, REGISTER_SUBMIT
from bot.i18n import t
from bot.register_form import FIELDS
from bot.reviews import COMMENT_MAX
from bot.views import ResultView
from flows.model import OUTCOMES

Kind = Literal["line", "text", "choice", "date", "pick"]
"""One line, several lines, one of `options`, a date (YYYY-MM-DD), any of `options`."""
Words = Callable[..., str]
"""A platform's catalog lookup, `words(key, lang, **params)`."""
Value = str | tuple[str, ...]

RETRIAGE_FIELD = "retriage"
"""The one field of the re-triage form: the questions ticked, grouped by section."""


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    description: str = ""
    """Shown with the label where the platform can (the answer under its question)."""
    group: str = ""
    """The heading the option is drawn under (a section of the flow)."""


@dataclass(frozen=True)
class Field:
    id: str
    kind: Kind
    label: str
    options: tuple[Option, ...] = ()
    """The only values accepted; a pick drawn from the engine's views and read without
    them (no database before the ack) has none, and the engine checks its values."""
    initial: str | None = None
    max_length: int | None = None
    """The engine's limit; a platform whose input holds less says so when it draws it."""
    required: bool = True
    placeholder: str | None = None
    missing: str = ""
    """What is said when a required field comes back empty (the kit's words by default)."""
    too_long: Words | None = dataclasses.field(default=None, compare=False)
    """`too_long(length=…)`: what is said of a value over `max_length`."""

    def groups(self) -> list[tuple[str, list[Option]]]:
        """The options by group, in form order."""
        grouped: dict[str, list[Option]] = {}
        for option in self.options:
            grouped.setdefault(option.group, []).append(option)
        return list(grouped.items())


@dataclass(frozen=True)
class Form:
    id: str
    """The kit's action its submission runs (`adapters.chat.clicks`, a Teams button's data)."""
    title: str
    submit: str
    fields: tuple[Field, ...]
    help: str = ""
    """The text above the fields."""
    pick_one: str = ""
    """When set, the form's one rule beyond its fields: at least one option ticked in its
    pick fields, or this is said on the first of them."""


@dataclass(frozen=True)
class Read:
    values: dict[str, Value]
    """Each field's value, empty fields left out: a pick as the tuple of options ticked."""
    problems: dict[str, str]
    """Each field's problem, in the reader's language: the form is drawn again with them."""


# The forms


def _comment_field(field_id: str, label: str, placeholder: str) -> Field:
    """A reviewer's question or reason, or the agent's reply: the engine's limit."""
    return Field(field_id, "text", label, max_length=COMMENT_MAX, placeholder=placeholder)


def ask_form(words: Words, lang: str) -> Form:
    """ "Demander des précisions": the reviewer's question to the agent."""
    placeholder = words("answer_placeholder", lang, max=COMMENT_MAX)
    field = _comment_field(QUESTION_INPUT, words("ask_label", lang), placeholder)
    return Form("review_ask", words("button_ask", lang), words("button_send", lang), (field,))


def override_form(words: Words, proposed: str, lang: str) -> Form:
    """ "Requalifier": one of the other orientations, and the mandatory justification."""
    options = tuple(Option(o, t(f"outcome_{o}", lang)) for o in OUTCOMES if o != proposed)
    outcome = Field(OUTCOME_INPUT, "choice", words("new_outcome_label", lang), options)
    placeholder = words("override_placeholder", lang, max=COMMENT_MAX)
    comment = _comment_field(COMMENT_INPUT, words("override_comment", lang), placeholder)
    title = words("override_title", lang)
    return Form("review_override", title, words("button_send", lang), (outcome, comment))


def reply_form(words: Words, lang: str) -> Form:
    """ "Répondre": the agent's answer to a reviewer's question."""
    placeholder = words("answer_placeholder", lang, max=COMMENT_MAX)
    field = _comment_field(REPLY_INPUT, words("reply_label", lang), placeholder)
    return Form("agent_reply", words("button_reply", lang), words("button_send", lang), (field,))


def retriage_form(view: ResultView, lang: str) -> Form:
    """The answers given, each under its section, the question with the answer below it:
    what a person needs to decide what changed. The ones ticked are asked again."""
    options = tuple(
        Option(row.question, row.label, row.answer or "—", row.section) for row in view.answer_rows
    )
    return retriage_reading(lang, options, view.triage_id)


def retriage_reading(lang: str, options: tuple[Option, ...] = (), triage_id: str = "") -> Form:
    """The re-triage form as read back: its options are the engine's to check."""
    pick = Field(RETRIAGE_FIELD, "pick", t("retriage_action", lang), options, required=False)
    return Form(
        "retriage",
        t("retriage_action", lang),
        t("retriage_pick_submit", lang),
        (pick,),
        help=t("retriage_pick_help", lang, id=triage_id) if triage_id else "",
        pick_one=t("retriage_pick_none", lang),
    )


def register_form(
    triage_id: str, project: str, values: Mapping[str, str], kept: tuple[str, ...], lang: str
) -> Form:
    """The register's details (`bot.register_form`), filled in with `values`; the `kept`
    fields, too long for a chat input, are optional and keep their published text when
    left empty. What the values mean is checked by `details_from_form`, after `read`."""
    fields = tuple(
        Field(
            INPUT_PREFIX + f.name,
            f.kind,
            f.label(lang),
            tuple(Option(o, f.option_label(o, lang)) for o in f.options),
            values.get(f.name) or None,
            None if f.kind in ("choice", "date") else f.max_length,
            f.required and f.name not in kept,
        )
        for f in FIELDS
    )
    return Form(
        REGISTER_SUBMIT,
        t("register_form_title", lang),
        t("register_form_submit", lang),
        fields,
        help=t("register_form_help", lang, id=triage_id, project=project) if triage_id else "",
    )


def text_answer_form(
    words: Words, label: str, max_length: int, previous: str | None, lang: str
) -> Form:
    """A question answered in words: its previous answer, if any, to correct."""
    field = Field(
        ANSWER_INPUT,
        "text",
        label,
        initial=previous or None,
        max_length=max_length,
        placeholder=words("answer_placeholder", lang, max=max_length),
        missing=t("text_empty", lang),
        too_long=partial(t, "text_too_long", lang, max=max_length),
    )
    return Form("answer", words("app_name", lang), words("button_submit", lang), (field,))


# Reading what comes back


def read(form: Form, sent: Mapping[str, object], lang: str) -> Read:
    """What a submission of `form` says, by field id: `sent` holds each input as the
    platform delivered it (a string, a list of strings for a pick, None when left out).
    Anything else, an option the form did not offer, a value over its limit or a required
    field left empty is the field's problem; values of fields the form does not have are
    ignored."""
    values: dict[str, Value] = {}
    problems: dict[str, str] = {}
    for field in form.fields:
        value, problem = _one(field, sent.get(field.id), lang)
        if problem:
            problems[field.id] = problem
        elif value:
            values[field.id] = value
    picks = [f for f in form.fields if f.kind == "pick"]
    if form.pick_one and picks and not any(values.get(f.id) for f in picks):
        problems.setdefault(picks[0].id, form.pick_one)
    return Read(values, problems)


def _one(field: Field, value: object, lang: str) -> tuple[Value, str]:
    if field.kind == "pick":
        return _picked(field, value, lang)
    if value is None:
        value = ""
    if not isinstance(value, str):
        return "", m("form_unreadable", lang)
    if not value.strip():
        return "", (field.missing or m("form_required", lang)) if field.required else ""
    if field.options and value not in {o.value for o in field.options}:
        return "", m("form_unknown_option", lang)
    length = len(value.strip())
    if field.max_length is not None and length > field.max_length:
        if field.too_long is not None:
            return "", field.too_long(length=length)
        return "", m("form_too_long", lang, length=length, max=field.max_length)
    return value, ""


def _picked(field: Field, value: object, lang: str) -> tuple[Value, str]:
    if value is None:
        value = []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        return (), m("form_unreadable", lang)
    offered = {o.value for o in field.options}
    if offered and not offered.issuperset(value):
        return (), m("form_unknown_option", lang)
    picked = tuple(dict.fromkeys(v for v in value if v))
    if field.required and not picked:
        return (), field.missing or m("form_required", lang)
    return picked, ""


def toggle_id(field: Field, option: Option) -> str:
    """The input id of one option of a pick drawn as toggles, `<field id>:<value>`: the
    kit reads the re-triage's back by it (`adapters.chat.clicks.RETRIAGE_PREFIX`)."""
    return f"{field.id}:{option.value}"


def text_of(found: Read, field_id: str) -> str:
    """A field's value as text ("" when left empty)."""
    value = found.values.get(field_id, "")
    return value if isinstance(value, str) else ""


def picks_of(found: Read, field_id: str) -> tuple[str, ...]:
    value = found.values.get(field_id, ())
    return value if isinstance(value, tuple) else ()
