"""Statistics for the committee: how projects are oriented, by which rules, how fast."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.app import App
from bot.i18n import t
from bot.notifications import department_of
from bot.stored_answers import flow_and_answers
from flows.evaluation import evaluate

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass
class Stats:
    outcomes: Counter[str] = field(default_factory=Counter)
    criteria: Counter[str] = field(default_factory=Counter)
    rules: Counter[str] = field(default_factory=Counter)
    departments: Counter[str] = field(default_factory=Counter)
    to_complete: list[timedelta] = field(default_factory=list)
    to_review: list[timedelta] = field(default_factory=list)

    @staticmethod
    def median(values: list[timedelta]) -> timedelta | None:
        return statistics.median(values) if values else None


def collect(app: App, since: datetime | None) -> Stats:
    stats = Stats()
    with app.store.reading() as tx:
        for row in tx.completed_since(since):
            flow, answers = flow_and_answers(app.catalog, tx, row)
            evaluation = evaluate(flow, answers)
            stats.outcomes[evaluation.outcome] += 1
            stats.departments[department_of(flow, answers)] += 1
            for fired in evaluation.fired:
                stats.rules[fired.rule.id] += 1
                stats.criteria[fired.rule.section.id] += 1
            if row.completed_at:
                stats.to_complete.append(row.completed_at - row.created_at)
        for review in tx.decided_reviews():
            stats.to_review.append(review.decided_at - review.created_at)
    return stats


RULES_SHOWN = 15
"""Beyond this many rules the bars stop being readable; the panel's title then says so."""


def chart(stats: Stats, out: Path, lang: str) -> None:
    """Bar charts of outcomes and rules; matplotlib is an optional extra (`stats`)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure = draw(stats, lang)
    figure.savefig(out)
    pyplot.close(figure)


def draw(stats: Stats, lang: str) -> Figure:
    """Counts are whole triages, so both count axes only show whole numbers."""
    from matplotlib import pyplot
    from matplotlib.ticker import MaxNLocator

    figure, (left, right) = pyplot.subplots(1, 2, figsize=(12, 5))
    left.bar(
        [t(f"outcome_{o}", lang) for o in stats.outcomes],
        list(stats.outcomes.values()),
        color="#2b6cb0",
    )
    left.set_title(t("stats_outcomes_title", lang))
    left.set_ylabel(t("stats_projects", lang))
    left.yaxis.set_major_locator(MaxNLocator(integer=True))
    rules = stats.rules.most_common(RULES_SHOWN)
    right.barh([r for r, _ in rules], [n for _, n in rules], color="#744210")
    right.invert_yaxis()
    right.set_xlabel(t("stats_projects", lang))
    right.xaxis.set_major_locator(MaxNLocator(integer=True))
    if len(stats.rules) > len(rules):
        right.set_title(t("stats_rules_top", lang, shown=len(rules), total=len(stats.rules)))
    else:
        right.set_title(t("stats_rules_title", lang))
    figure.tight_layout()
    return figure
