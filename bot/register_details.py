"""The details file of a publication in the public register: what the Eurocities Algorithmic
Transparency Standard 0.3.1 requires and a triage does not ask.

A triage says what a project does with AI and how the doctrine judges it; a register entry
must also say who to write to, what the project is for in the public's words, its life-cycle
status and the standard's fixed vocabularies. The publisher writes these in a YAML file,
checked like a flow file: every problem is listed with its file, line and field, before
anything is written.

Texts are French, or French and English (`{fr: …, en: …}`): the site is in both languages,
and an English page shows a text given only in French marked as French.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationError,
)
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from flows.documents import DocumentRefused, FileTooLarge, load_yaml, read_limited
from flows.problems import FlowError, Problem, Reporter

SHORT_MAX = 150
"""The standard's limit for `description_short`."""
TEXT_MAX = 10_000
"""The standard's upper limit for `description`; every other text is held to it too."""

STATUSES = ("in_development", "in_use", "retired")
EUROCITIES_STATUS = {"in_development": "development", "in_use": "operational", "retired": "retired"}
DOMAINS = (
    "taxes",
    "housing, living and living environment",
    "culture, sports and leisure",
    "defence",
    "economy and entrepreneurship",
    "family, youth and households",
    "finance",
    "generic",
    "health and health care",
    "immigration and integration",
    "international collaboration and development aid",
    "agriculture, nature and food",
    "environment, spacial planning and water",
    "education and science",
    "public safety",
    "government",
    "justice",
    "travel, living and working abroad",
    "subsidies, benefits and allowances",
    "traffic and transportation",
    "work and career",
)
"""The standard's policy domains, spelled as it spells them ("spacial" included)."""

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
URL = re.compile(r"^https?://\S+$")


def _localized(value: Any) -> Any:
    """A bare text is French, the default language of every text of ours."""
    return {"fr": value} if isinstance(value, str) else value


def _with_french(value: dict[str, str]) -> dict[str, str]:
    if "fr" not in value:
        raise ValueError("missing 'fr' text: French comes first")
    return value


def _email(value: str) -> str:
    if not EMAIL.match(value):
        raise ValueError("not an e-mail address; give a service mailbox such as ia@example.org")
    return value


def _url(value: str) -> str:
    if not URL.match(value):
        raise ValueError("not a web address; it must start with https:// or http://")
    return value


def _text(limit: int) -> Any:
    words = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=limit)]
    return Annotated[
        dict[Literal["fr", "en"], words],
        BeforeValidator(_localized),
        AfterValidator(_with_french),
    ]


Text = _text(TEXT_MAX)
ShortText = _text(SHORT_MAX)
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=254), AfterValidator(_email)
]
Url = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=2000), AfterValidator(_url)
]


class RegisterDetails(BaseModel):
    """One publication's details; field names follow the standard's where they mean the same
    (see docs/register.md for the mapping), the others say what the site shows."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description_short: ShortText
    purpose: Text
    """What the project is for: the standard's `goal`."""
    audience: Text
    """For whom, and how people meet its effects: the standard's `impact`."""
    description: Text
    contact_email: Email
    """A service mailbox, never a person's address: nothing published names an agent."""
    status: Literal["in_development", "in_use", "retired"]
    start_date: date | None = None
    end_date: date | None = None
    revision_date: date | None = None
    """When the entry must be reviewed; a year after the decision when absent (S-RETRIAGE)."""
    organization: Name
    area: Name
    domain: Literal[DOMAINS]  # type: ignore[valid-type]
    risk_category: Literal["minimal risk", "limited risk", "high risk", "unacceptable"]
    algorithm_type: Literal["rule-based", "self-learning", "hybrid"]
    use_type: Literal["descriptive", "diagnostic", "predictive", "prescriptive"]
    """The standard's `type`: the kind of use made of the algorithm's output."""
    decision_making_process: Text
    lawful_basis: Text
    proportionality: Text
    risks: Text
    """The risks found and their mitigations; the site adds the triage's own findings."""
    training_data: Text
    source_data: Text
    connected_data_sources: Text
    monitoring: Text
    human_intervention: Text
    objection_procedure: Text
    website: Url | None = None
    documentation: Url | None = None
    codebase_url: Url | None = None
    dpia_url: Url | None = None
    data_bias: Text | None = None
    methods_and_models: Text | None = None
    alternatives_considered: Text | None = None
    rollback: Text | None = None
    remark: Text | None = None
    revision_note: Text | None = None
    keywords: Name | None = None

    def document(self) -> dict[str, Any]:
        """As stored in the register's row: JSON, dates in ISO form, absent fields left out."""
        return self.model_dump(mode="json", exclude_none=True)


def load_details(path: Path) -> RegisterDetails:
    """The checked details, or FlowError with every problem (file, line, field)."""
    name = str(path)
    try:
        source = read_limited(path).decode("utf-8")
    except FileTooLarge:
        raise FlowError([Problem(name, 1, "error", "the file is over 1 MB")]) from None
    except UnicodeDecodeError as error:
        raise FlowError([Problem(name, 1, "error", f"not UTF-8 text: {error.reason}")]) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise FlowError([Problem(name, 1, "error", f"cannot read the file: {reason}")]) from None
    return parse_details(source, name)


def parse_details(source: str, name: str) -> RegisterDetails:
    try:
        root = load_yaml(source, round_trip=True)
    except DocumentRefused as refusal:
        raise FlowError([Problem(name, refusal.line, "error", refusal.message)]) from None
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise FlowError(
            [Problem(name, line, "error", f"not valid YAML: {error.problem}")]
        ) from None
    except YAMLError as error:
        raise FlowError([Problem(name, 1, "error", f"not valid YAML: {error}")]) from None
    report = Reporter(name, root)
    if not isinstance(root, dict):
        report.error((), "the file must be a mapping of field names to values")
        raise FlowError(report.problems)
    try:
        details = RegisterDetails.model_validate(dict(root))
    except ValidationError as error:
        for item in error.errors():
            report.error(tuple(item["loc"]), field_message(item))
        raise FlowError(report.problems) from None
    for field, message in cross_checks(details):
        report.error((field,), message)
    if report.errors:
        raise FlowError(report.problems)
    return details


def cross_checks(details: RegisterDetails) -> list[tuple[str, str]]:
    """What no single field shows: the dates' agreement with the status and each other."""
    problems = []
    if details.status == "retired" and details.end_date is None:
        problems.append(("end_date", "a retired algorithm needs its end_date"))
    if details.start_date and details.end_date and details.end_date < details.start_date:
        problems.append(("end_date", "end_date is before start_date"))
    return problems


def field_message(item: Any) -> str:
    """pydantic's message, in the checker's words where it has them (flows.translations
    renders those in French)."""
    if item["type"] == "missing":
        return f"missing field {item['loc'][-1]!r}"
    if item["type"] == "extra_forbidden":
        return f"unknown field {item['loc'][-1]!r}"
    if item["type"] == "value_error":
        return str(item["ctx"]["error"])
    message: str = item["msg"]
    return message[0].lower() + message[1:]
