"""Drawing engine effects and results in a terminal with rich."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bot import effects as fx
from bot.i18n import t
from bot.notifications import NOBODY
from bot.report import changes_text
from bot.views import ResultView, reference_legend

OUTCOME_STYLES = {"light_track": "green", "full_review": "yellow", "incompatible": "red"}
EFFECT_STYLES = {"incompatible": "red", "full_review": "yellow", "condition": "cyan"}


def show_effect(console: Console, effect: fx.Effect, lang: str) -> None:
    """Ask effects are handled by the prompt loop; everything else is printed here."""
    if isinstance(effect, fx.Info):
        console.print(effect.text, style="cyan")
    elif isinstance(effect, fx.Error):
        console.print(effect.text, style="bold yellow")
    elif isinstance(effect, fx.Freeze):
        console.print(Text("✓", style="green"), effect.summary)
    elif isinstance(effect, fx.Show):
        show_result(console, effect.result, lang)


def show_result(console: Console, view: ResultView, lang: str) -> None:
    style = OUTCOME_STYLES.get(view.outcome, "white")
    header = Text.assemble(
        t("labelled", lang, label=t("orientation", lang)),
        (view.outcome_label, f"bold {style}"),
        "\n",
        view.outcome_description,
        "\n",
        (t("advice_notice", lang), "italic"),
    )
    console.print(
        Panel(header, title=t("result_title", lang, id=view.triage_id), border_style=style)
    )
    if view.notified is not None:
        alarm = view.notified.to == NOBODY
        console.print(view.notified.text, style="bold red" if alarm else "cyan")
    console.print(
        t(
            "flow_version",
            lang,
            flow=view.flow_id,
            version=view.flow_version,
            sha=view.flow_sha256[:12],
        ),
        style="dim",
    )
    if view.changes is not None:
        console.print(
            Panel(
                changes_text(view.changes, lang),
                title=t("changes_title", lang),
                border_style="magenta",
            )
        )
    console.print(_rules_table(view, lang) if view.rules else t("no_rule_fired", lang))
    legend = reference_legend((rule.reference for rule in view.rules), lang)
    if legend:
        console.print(legend, style="dim")
    if view.conditions:
        items = Group(*(Text(f"• {c.id} — {c.text}") for c in view.conditions))
        console.print(Panel(items, title=t("conditions", lang), border_style="cyan"))
    if view.blocking_points:
        lines = []
        for point in view.blocking_points:
            line = Text(f"• {point.question} — {point.text}")
            if point.may_be_incompatible:
                risk = t("may_be_incompatible", lang, rules=", ".join(point.rules))
                line.append(f" ({risk})", style="red")
            lines.append(line)
        console.print(Panel(Group(*lines), title=t("blocking_points", lang), border_style="red"))
    if view.ignored:
        console.print(t("ignored", lang, ids=", ".join(view.ignored)), style="dim")
    console.print(_closing_summary(view, lang, style))


def _closing_summary(view: ResultView, lang: str, style: str) -> Panel:
    """The orientation again after a long rules table, with what happens next: who was told,
    the report to file, the re-triage the doctrine asks for."""
    lines = [
        Text.assemble(
            t("labelled", lang, label=t("orientation", lang)), (view.outcome_label, f"bold {style}")
        )
    ]
    if view.notified is not None:
        lines.append(Text(view.notified.text))
    lines.append(Text(t("summary_report", lang, id=view.triage_id)))
    lines.append(Text(t("summary_retriage", lang, id=view.triage_id)))
    return Panel(Group(*lines), title=t("summary_title", lang), border_style=style)


def _rules_table(view: ResultView, lang: str) -> Table:
    table = Table(title=t("fired_rules", lang), show_lines=True, expand=True)
    table.add_column(t("rule", lang), no_wrap=True)
    table.add_column(t("effect", lang), no_wrap=True)
    table.add_column(t("explanation", lang), ratio=1)
    for rule in view.rules:
        body = Text(rule.explanation)
        body.append("\n" + t("labelled", lang, label=t("because", lang)).rstrip(), style="dim")
        for row in rule.because_rows:
            body.append("\n• " + t("labelled", lang, label=row.label) + row.answer, style="dim")
        body.append("\n" + t("labelled", lang, label=t("reference", lang)), style="dim")
        body.append(rule.reference, style="dim")
        effect = Text(t(f"effect_{rule.effect}", lang), style=EFFECT_STYLES[rule.effect])
        table.add_row(f"{rule.id}\n({rule.criterion})", effect, body)
    return table
