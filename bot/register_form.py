"""The register's details as a chat form (a Slack modal, a Teams card): which fields, in what
order, of what kind, and how the values a form sends back become checked details.

One description for both platforms, so that they ask the same things and refuse the same
mistakes; each adapter only draws the fields and shows the errors next to them. A form's
texts are French, the language every text of the register needs; English translations are
given in a details file (`boussole register publish --details`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

from pydantic import ValidationError

from bot.i18n import t
from bot.register_details import (
    DOMAINS,
    SHORT_MAX,
    STATUSES,
    TEXT_MAX,
    RegisterDetails,
    cross_checks,
    field_message,
)
from flows.translations import render

Kind = Literal["line", "text", "choice", "date"]


@dataclass(frozen=True)
class FormField:
    name: str
    kind: Kind
    required: bool
    options: tuple[str, ...] = ()
    max_length: int = TEXT_MAX

    def label(self, lang: str) -> str:
        return t(f"register_form_{self.name}", lang)

    def option_label(self, option: str, lang: str) -> str:
        if self.name == "status":
            return t(f"register_status_{option}", lang)
        return t(f"register_option_{option.replace(' ', '_').replace(',', '')}", lang)


def _choices(name: str) -> tuple[str, ...]:
    annotation = RegisterDetails.model_fields[name].annotation
    return tuple(get_args(annotation))


FIELDS: tuple[FormField, ...] = (
    FormField("description_short", "line", True, max_length=SHORT_MAX),
    FormField("purpose", "text", True),
    FormField("audience", "text", True),
    FormField("description", "text", True),
    FormField("contact_email", "line", True, max_length=254),
    FormField("status", "choice", True, STATUSES),
    FormField("start_date", "date", False),
    FormField("end_date", "date", False),
    FormField("organization", "line", True, max_length=200),
    FormField("area", "line", True, max_length=200),
    FormField("domain", "choice", True, DOMAINS),
    FormField("risk_category", "choice", True, _choices("risk_category")),
    FormField("algorithm_type", "choice", True, _choices("algorithm_type")),
    FormField("use_type", "choice", True, _choices("use_type")),
    FormField("decision_making_process", "text", True),
    FormField("lawful_basis", "text", True),
    FormField("proportionality", "text", True),
    FormField("risks", "text", True),
    FormField("training_data", "text", True),
    FormField("source_data", "text", True),
    FormField("connected_data_sources", "text", True),
    FormField("monitoring", "text", True),
    FormField("human_intervention", "text", True),
    FormField("objection_procedure", "text", True),
    FormField("website", "line", False, max_length=2000),
    FormField("remark", "text", False),
)
"""Every required field of the details, and the optional ones people most need; the
others (links to code or a DPIA, bias, methods…) are given in a details file."""


def initial_values(details: dict[str, Any] | None, limit: int) -> tuple[dict[str, str], list[str]]:
    """The form's values for details already published (their French texts), to correct
    rather than retype, and the fields left out because their text is longer than the
    platform's input holds (`limit`): left empty, they keep their published value."""
    values: dict[str, str] = {}
    kept: list[str] = []
    for field in FIELDS:
        value = (details or {}).get(field.name)
        if isinstance(value, dict):
            value = value.get("fr")
        if not value:
            continue
        if len(str(value)) > limit:
            kept.append(field.name)
        else:
            values[field.name] = str(value)
    return values, kept


def details_from_form(
    values: dict[str, str], lang: str, keep: dict[str, Any] | None = None
) -> RegisterDetails | dict[str, str]:
    """The checked details, or each field's problem in the reader's language. `keep` (the
    details published before) carries over what the form does not ask, the English
    translations of the texts the form left unchanged, and the fields it left empty (a text
    too long for a chat platform's input is not put in the form, and stays as it was)."""
    document: dict[str, Any] = dict(keep or {})
    for field in FIELDS:
        value = (values.get(field.name) or "").strip()
        if not value:
            continue
        if field.kind == "text" or field.name == "description_short":
            before = (keep or {}).get(field.name)
            same = isinstance(before, dict) and before.get("fr") == value
            document[field.name] = before if same else {"fr": value}
        else:
            document[field.name] = value
    try:
        details = RegisterDetails.model_validate(document)
    except ValidationError as error:
        problems: dict[str, str] = {}
        for item in error.errors():
            name = str(item["loc"][0]) if item["loc"] else "description_short"
            problems.setdefault(name, render(field_message(item), lang))
        return problems
    crossed = {name: render(message, lang) for name, message in cross_checks(details)}
    return crossed or details
