"""`boussole review …`: the human decision from the terminal, as reviewers make it in chat.

The operating-system account is the actor `console:NAME`: the directory names it as a
reviewer of a department (`boussole directory add-reviewer DEPT console:NAME`), or it is an
admin. The engine checks the role, the four eyes and the comment, and audits every attempt;
this module only reads the words and says what happened.
"""

from __future__ import annotations

import sys

import click

from adapters.chat.commands import outcome_named
from adapters.console.common import LANG, console_actor, open_cli_app, resolve_lang, terminal
from adapters.console.listing import FORMAT_OPTION, Column, emit
from adapters.console.render import show_effect
from bot import effects as fx
from bot import events as ev
from bot.i18n import t
from bot.listings import my_triages_and_reviews
from flows.model import OUTCOMES


class Orientation(click.ParamType):
    """An orientation as a person types it (its label, in French or English) or as a script
    does (its name)."""

    name = "orientation"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        outcome = outcome_named(str(value))
        if outcome is not None:
            return outcome
        asked = ctx.params.get("lang") if ctx is not None else None
        lang = resolve_lang(asked if isinstance(asked, str) else None)  # click marks unset
        known = ", ".join(t(f"outcome_{outcome}", lang) for outcome in OUTCOMES)
        self.fail(t("review_outcome_unknown", lang, value=value, outcomes=known), param, ctx)


@click.group()
def review() -> None:
    """Examens : décider des analyses à examiner / reviews: decide on flagged triages."""


def _decide(triage_id: str, action: str, lang: str, outcome: str | None, comment: str) -> None:
    with open_cli_app(lang) as app:
        turn = app.engine.turn(
            ev.ReviewAction(
                console_actor(),
                lang,
                triage_id=triage_id,
                action=action,
                outcome=outcome,
                comment=comment,
            )
        )
    console = terminal()
    for effect in turn.effects:
        show_effect(console, effect, lang)
    sys.exit(0 if turn.status == fx.DONE else 2)


@review.command(name="list")
@FORMAT_OPTION
@click.option("--lang", type=LANG, help="Langue / language.")
def list_reviews(output: str, lang: str | None) -> None:
    """Les analyses qui attendent votre examen / triages awaiting your review."""
    lang = resolve_lang(lang)
    with open_cli_app(lang) as app:
        _mine, waiting = my_triages_and_reviews(app, console_actor(), lang, 50)
    rows = waiting or []
    if not rows and output == "table":
        terminal().print(t("review_list_empty", lang))
        return
    columns = [
        Column("id", t("column_id", lang), whole=True),
        Column("project", t("column_project", lang)),
        Column("department", t("department", lang)),
        Column("outcome", t("orientation", lang)),
        Column("requested_at", t("column_requested", lang)),
    ]
    emit(
        output,
        columns,
        [
            (
                {
                    "id": row.id,
                    "project": row.project,
                    "department": row.department,
                    "outcome": row.outcome,
                    "requested_at": row.requested_at.isoformat(timespec="seconds"),
                },
                [
                    row.id,
                    row.project,
                    row.department,
                    row.outcome_label,
                    row.requested_at.strftime("%Y-%m-%d %H:%M"),
                ],
            )
            for row in rows
        ],
        title=t("review_list_title", lang),
    )


@review.command()
@click.argument("triage_id", metavar="ID")
@click.option("--lang", type=LANG, help="Langue / language.")
def claim(triage_id: str, lang: str | None) -> None:
    """Prendre en charge l'examen / take the review."""
    _decide(triage_id, "claim", resolve_lang(lang), None, "")


@review.command()
@click.argument("triage_id", metavar="ID")
@click.option("--lang", type=LANG, help="Langue / language.")
def confirm(triage_id: str, lang: str | None) -> None:
    """Confirmer l'orientation proposée / confirm the suggested orientation."""
    _decide(triage_id, "confirm", resolve_lang(lang), None, "")


@review.command()
@click.argument("triage_id", metavar="ID")
@click.option("--question", required=True, help="La question à l'agent / the question.")
@click.option("--lang", type=LANG, help="Langue / language.")
def ask(triage_id: str, question: str, lang: str | None) -> None:
    """Demander des précisions à l'agent / ask the agent for details."""
    _decide(triage_id, "ask", resolve_lang(lang), None, question)


@review.command()
@click.argument("triage_id", metavar="ID")
@click.option(
    "--outcome",
    type=Orientation(),
    required=True,
    metavar="ORIENTATION",
    help="Parcours allégé, examen approfondi ou incompatible / light track, full review or "
    "incompatible.",
)
@click.option("--comment", required=True, help="La justification / the reason.")
@click.option("--lang", type=LANG, is_eager=True, help="Langue / language.")
def override(triage_id: str, outcome: str, comment: str, lang: str | None) -> None:
    """Requalifier l'orientation, avec une justification / change the orientation."""
    _decide(triage_id, "override", resolve_lang(lang), outcome, comment)
