"""The register's form as an Adaptive Card: `registre ID` answers with it, filled in with the
details already published when there are some; its Publish button sends the values back to
the chat kit (`adapters.chat.register`), and a refused form comes back drawn here again,
with each problem next to its field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from adapters.chat.forms import register_form
from adapters.chat.register import INPUT_PREFIX
from adapters.teams import card_parts as p
from bot.i18n import t
from bot.register_form import initial_values

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
    form = register_form(triage_id, project, values, kept, lang)
    body = [p.text(form.help)]
    for field in form.fields:
        body.append(p.field_input(field))
        error = errors.get(field.id.removeprefix(INPUT_PREFIX))
        if error:
            body.append(p.text(error, color="attention"))
    data = p.on(form.id, triage_id) | {"kept": list(kept)}
    publish = p.submit(form.submit, data, style="positive")
    return p.card(body, [publish], fallback=t("register_form_prompt", lang, id=triage_id))


def prefilled_card(
    triage_id: str, project: str, details: dict[str, Any] | None, lang: str
) -> dict[str, Any]:
    """The form with the published values, the longest left out (kept as published) until
    the card fits in a Teams message."""
    values, kept = initial_values(details, PREFILL_MAX)
    while True:
        card = register_card(triage_id, project, values, lang, kept=tuple(kept))
        size = len(json.dumps(card, ensure_ascii=False).encode("utf-8"))
        if size <= CARD_BYTES_MAX or not values:
            return card
        longest = max(values, key=lambda name: len(values[name]))
        del values[longest]
        kept.append(longest)
