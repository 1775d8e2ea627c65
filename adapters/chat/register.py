"""The register's form in chat, once filled in: which inputs it sends back, and what a
submission becomes (the publication, its refusal, or each field's problem to show the form
again). The fields themselves are `bot.register_form`'s; the platform only draws them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.chat.clicks import ACTION
from bot import events as ev
from bot.app import App
from bot.i18n import t
from bot.register import RegisterRefused, prepare, publish
from bot.register_form import FIELDS, details_from_form

REGISTER_SUBMIT = "register_publish"
INPUT_PREFIX = "register_"


def is_register_submit(value: object) -> bool:
    return isinstance(value, Mapping) and value.get(ACTION) == REGISTER_SUBMIT


def submitted_values(value: Mapping[str, Any]) -> tuple[str, tuple[str, ...], dict[str, str]]:
    """The triage, the fields the form left out for their length, and each input as text;
    ValueError for data we did not write."""
    triage_id = value.get("triage")
    kept = value.get("kept") or []
    if not isinstance(triage_id, str) or not triage_id or not isinstance(kept, list):
        raise ValueError("not a register form of ours")
    values = {
        field.name: found
        for field in FIELDS
        if isinstance(found := value.get(INPUT_PREFIX + field.name), str) and found.strip()
    }
    return triage_id, tuple(str(k) for k in kept), values


def handle_form(
    app: App, actor: ev.Actor, triage_id: str, values: dict[str, str], lang: str
) -> str | tuple[str, dict[str, str]]:
    """Blocking (the database). What to say once the form is handled: the publication or
    its refusal, or the project and each field's problem to draw the form again."""
    try:
        project, before = prepare(app, actor, triage_id, lang)
    except RegisterRefused as refusal:
        project, before, refused = "", None, refusal.message
    else:
        refused = None
    checked = details_from_form(values, lang, before)
    if isinstance(checked, dict) and before is not None:
        alone = details_from_form(values, lang)
        if not isinstance(alone, dict):  # only what was carried over from before failed
            checked = alone
    if isinstance(checked, dict):
        return refused or (project, checked)
    try:
        entry, replaced = publish(app, actor, triage_id, checked, lang)
    except RegisterRefused as refusal:
        return refusal.message
    key = "register_replaced_ok" if replaced else "register_published_ok"
    return t(key, lang, id=triage_id, entry=entry)
