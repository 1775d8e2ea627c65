"""The lines of a result every chat platform writes the same way, whatever draws them (a
card's text, a message's paragraph): the orientation, the flow that decided it, and a blocking
point's risk. Each platform keeps its own layout around them."""

from __future__ import annotations

from bot.i18n import t
from bot.views import BlockingPointView, ResultView


def orientation(view: ResultView, lang: str) -> str:
    return t("labelled", lang, label=t("orientation", lang)) + view.outcome_label


def flow_line(view: ResultView, lang: str) -> str:
    """The flow and version that decided, with its hash: a result is traced to its rules."""
    sha = view.flow_sha256[:12]
    return t("flow_version", lang, flow=view.flow_id, version=view.flow_version, sha=sha)


def risk(point: BlockingPointView, lang: str) -> str:
    """What a blocking point adds when it may make the project incompatible (the rules that
    say so), with its leading space; nothing otherwise."""
    if not point.may_be_incompatible:
        return ""
    return f" ({t('may_be_incompatible', lang, rules=', '.join(point.rules))})"
