"""The register's form as an Adaptive Card: `registre ID` answers with it, filled in with the
details already published when there are some; its Publish button sends the values back to
the chat kit (`adapters.chat.register`), and a refused form comes back drawn here again,
with each problem next to its field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from adapters.chat.clicks import ACTION
from adapters.chat.register import INPUT_PREFIX, REGISTER_SUBMIT
from adapters.teams.card_parts import SCHEMA, VERSION
from bot.i18n import t
from bot.register_form import FIELDS, FormField, initial_values

PREFILL_MAX = 1500
"""A published text longer than this is not put in the card; left empty, it keeps its
published value."""
CARD_BYTES_MAX = 24_000
"""Teams takes 28 KB a message, envelope included."""


def register_card(
    triage_id: str,
    project: str,
    values: Mapping[str, str],
    lang: str,
    errors: Mapping[str, str] | None = None,
    kept: tuple[str, ...] = (),
) -> dict[str, Any]:
    errors = errors or {}
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": t("register_form_help", lang, id=triage_id, project=project),
            "wrap": True,
        }
    ]
    for field in FIELDS:
        body.append(_input(field, values.get(field.name, ""), lang, field.name in kept))
        if field.name in errors:
            body.append(
                {
                    "type": "TextBlock",
                    "text": errors[field.name],
                    "wrap": True,
                    "color": "attention",
                }
            )
    return {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "body": body,
        "actions": [
            {
                "type": "Action.Submit",
                "title": t("register_form_submit", lang),
                "style": "positive",
                "data": {ACTION: REGISTER_SUBMIT, "triage": triage_id, "kept": list(kept)},
            }
        ],
        "fallbackText": t("register_form_prompt", lang, id=triage_id),
    }


def _input(field: FormField, value: str, lang: str, kept: bool) -> dict[str, Any]:
    element: dict[str, Any] = {
        "id": INPUT_PREFIX + field.name,
        "label": field.label(lang),
        "isRequired": field.required and not kept,
    }
    if value:
        element["value"] = value
    if field.kind == "choice":
        choices = [{"title": field.option_label(o, lang), "value": o} for o in field.options]
        return {"type": "Input.ChoiceSet", "style": "compact", "choices": choices, **element}
    if field.kind == "date":
        return {"type": "Input.Date", **element}
    return {
        "type": "Input.Text",
        "isMultiline": field.kind == "text",
        "maxLength": field.max_length,
        **element,
    }


def prefilled_card(
    triage_id: str, project: str, details: dict[str, Any] | None, lang: str
) -> dict[str, Any]:
    """The form with the published values, the longest left out (kept as published) until
    the card fits in a Teams message."""
    values, kept = initial_values(details, PREFILL_MAX)
    while True:
        card = register_card(triage_id, project, values, lang, kept=tuple(kept))
        if (
            len(json.dumps(card, ensure_ascii=False).encode("utf-8")) <= CARD_BYTES_MAX
            or not values
        ):
            return card
        longest = max(values, key=lambda name: len(values[name]))
        del values[longest]
        kept.append(longest)
