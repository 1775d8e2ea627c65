"""A register with projects of every shape the site must show, for the Python tests and the
browser checks alike (tests/node/run-register-site.sh): a decided full review with a hostile
name, an overridden orientation on a project that contributes to individual decisions, a
light track without review that was re-triaged (the re-triage replaced its published
predecessor), a retired project and a withdrawn one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot import effects as fx
from bot import events as ev
from bot.app import App
from bot.register import publish, unpublish
from bot.register_details import RegisterDetails, parse_details
from tests.bot.journeys import answer_all, only
from tests.cases import load_cases

LEAD = ev.Actor("slack", "ULEAD")
SECOND = ev.Actor("slack", "USECOND")
AUTHOR = ev.Actor("teams", "29:author-7f3a")
"""Ids no common word contains, so that a scan of the site for them finds only leaks."""
REVIEWERS = ["slack:ULEAD", "slack:USECOND"]
HOSTILE = '<script>alert("x")</script> "Tri" & <b>co</b>'
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "register-details.yaml"


def details(**changes: Any) -> RegisterDetails:
    """The example details file, with some fields changed."""
    base = parse_details(EXAMPLE.read_text("utf-8"), EXAMPLE.name)
    return RegisterDetails.model_validate(base.document() | changes)


@dataclass(frozen=True)
class Register:
    hostile: str
    overridden: str
    light: str
    retriaged: str
    retired: str
    withdrawn: str


def triage(app: App, case: str, name: str) -> str:
    answers = dict(dict(load_cases(valid=True))[case]["answers"], P1=name, P2="education")
    return answer_all(app, answers, AUTHOR)[0]


def decide(app: App, triage_id: str, *steps: dict[str, Any]) -> None:
    for step in steps:
        actor = step.pop("actor", LEAD)
        app.engine.handle(ev.ReviewAction(actor, "fr", triage_id=triage_id, **step))


def populate(app: App) -> Register:
    """Needs an app opened with `open_with_reviewers(…, REVIEWERS)`."""
    hostile = triage(app, "24-c4-staff-monitoring", HOSTILE)
    decide(app, hostile, {"action": "claim"}, {"action": "confirm"})
    publish(app, LEAD, hostile, details(), "fr")

    overridden = triage(app, "08-di-agent-decide-di4-non", "Priorisation des demandes")
    decide(
        app,
        overridden,
        {"action": "claim"},
        {"action": "override", "outcome": "light_track", "comment": "Motif écrit"},
        {"action": "confirm", "actor": SECOND},
    )
    english = {"fr": "Priorise les demandes.", "en": "Ranks the requests."}
    publish(
        app,
        LEAD,
        overridden,
        details(status="in_development", start_date=None, description_short=english),
        "fr",
    )

    light = triage(app, "01-school-meals-grid-example", "Menus des cantines")
    publish(app, LEAD, light, details(), "fr")
    shown = only(
        app.engine.handle(
            ev.ChangeAnswers(AUTHOR, "fr", triage_id=light, answers={"P3": "Nouvelle version"})
        ),
        fx.Show,
    )
    retriaged = shown.result.triage_id
    publish(app, LEAD, retriaged, details(), "fr")

    retired = triage(app, "03-light-track-conditions-two-nsp", "Tableau de bord retiré")
    publish(app, LEAD, retired, details(status="retired", end_date="2027-01-31"), "fr")

    withdrawn = triage(app, "02-light-track-personal-data-no-rule", "Projet dépublié")
    publish(app, LEAD, withdrawn, details(), "fr")
    unpublish(app, LEAD, withdrawn, "fr")
    return Register(hostile, overridden, light, retriaged, retired, withdrawn)
