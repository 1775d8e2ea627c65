"""A triage result, and a reviewer's notice of one, as Slack messages.

A result can carry more rules and conditions than one message holds (50 blocks of 3,000
characters), so texts are packed into as few sections as fit and whatever is left over is
counted in a closing note rather than silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

from adapters.chat.result_text import flow_line
from adapters.slack import refs
from adapters.slack.blocks import (
    DIVIDER,
    MESSAGE_BLOCKS_MAX,
    SECTION_TEXT_MAX,
    Block,
    Message,
    actions,
    button,
    clip,
    context,
    escape,
    header,
    message,
    section,
)
from adapters.slack.messages import m
from bot.i18n import t
from bot.notifications import NOBODY, ReviewNotice
from bot.report import changes_text
from bot.views import ResultView, RuleView, reference_legend

OUTCOME_EMOJI = {
    "light_track": ":large_green_circle:",
    "full_review": ":large_orange_circle:",
    "incompatible": ":red_circle:",
}
EFFECT_EMOJI = {"incompatible": ":no_entry:", "full_review": ":mag:", "condition": ":clipboard:"}


def outcome_text(outcome: str, label: str) -> str:
    return f"{OUTCOME_EMOJI.get(outcome, ':white_circle:')} {escape(label)}"


def result_message(view: ResultView, lang: str, retriage: bool = False) -> Message:
    """The result as its author or a reviewer reads it; `retriage` (its author only) adds the
    button that re-does it."""
    lang = view.lang or lang
    orientation = m("outcome_line", lang, label=outcome_text(view.outcome, view.outcome_label))
    body: list[Block] = [
        header(t("result_title", lang, id=view.triage_id)),
        section(f"{orientation}\n{escape(view.outcome_description)}", block_id="orientation"),
        context(f"_{escape(t('advice_notice', lang))}_"),
    ]
    if view.notified is not None:
        mark = ":warning: " if view.notified.to == NOBODY else ":bell: "
        body.append(section(mark + escape(view.notified.text), block_id="notified"))
    if view.changes is not None:
        title, line = t("changes_title", lang), changes_text(view.changes, lang)
        body.append(section(f"*{escape(title)}*\n{escape(line)}", block_id="changes"))
    body.append(DIVIDER)
    if view.rules:
        rules = [_rule(rule_view, lang) for rule_view in view.rules]
        body += _packed(f"*{escape(t('fired_rules', lang))}*", rules)
        legend = reference_legend((rule_view.reference for rule_view in view.rules), lang)
        if legend:
            body.append(context(escape(legend)))
    else:
        body.append(section(escape(t("no_rule_fired", lang))))
    if view.conditions:
        items = [f"• *{escape(c.id)}* — {escape(c.text)}" for c in view.conditions]
        body += _packed(f"*{escape(t('conditions', lang))}*", items)
    if view.blocking_points:
        items = []
        for point in view.blocking_points:
            line = f"• *{escape(point.question)}* — {escape(point.text)}"
            if point.may_be_incompatible:
                risk = t("may_be_incompatible", lang, rules=", ".join(point.rules))
                line += f" :warning: _{escape(risk)}_"
            items.append(line)
        body += _packed(f"*{escape(t('blocking_points', lang))}*", items)
    body = _within_limit(body, view.triage_id, lang, reserve=2 if retriage else 1)
    if retriage:
        again = button(t("retriage_action", lang), refs.RETRIAGE, view.triage_id)
        body.append(actions([again], "retriage"))
    body.append(context(escape(flow_line(view, lang))))
    fallback = m("result_fallback", lang, id=view.triage_id, outcome=view.outcome_label)
    return message(fallback, body)


def review_message(notice: ReviewNotice, lang: str, decided: str | None = None) -> Message:
    """What a reviewer receives: the summary, the fired rules, the way to the result and the
    decision buttons; once the review is `decided` (a line saying how), that line instead."""
    rules = [
        f"• *{escape(rule_id)}* — {EFFECT_EMOJI.get(effect, '')} "
        f"{escape(t('labelled', lang, label=t('effect_' + effect, lang)))}{escape(explanation)}"
        for rule_id, effect, explanation in notice.rules
    ]
    blocks: list[Block] = [
        header(m("review_header", lang, project=notice.project)),
        section(
            f"{m('outcome_line', lang, label=outcome_text(notice.outcome, notice.outcome_label))}"
            f"\n{escape(notice.summary)}",
            block_id="summary",
        ),
    ]
    if rules:
        blocks += _packed(f"*{escape(t('fired_rules', lang))}*", rules)
    blocks = _within_limit(blocks, notice.triage_id, lang, reserve=3 if decided else 2)
    elements = [button(m("button_full_result", lang), refs.SHOW_RESULT, notice.triage_id)]
    if decided is None:
        elements += [
            button(m("button_claim", lang), refs.REVIEW_CLAIM, notice.triage_id),
            button(m("button_confirm", lang), refs.REVIEW_CONFIRM, notice.triage_id, "primary"),
            button(m("button_ask", lang), refs.REVIEW_ASK, notice.triage_id),
            button(m("button_override", lang), refs.REVIEW_OVERRIDE, notice.triage_id),
        ]
    else:
        blocks.append(section(escape(decided), block_id="decision"))
    blocks.append(actions(elements, "review"))
    blocks.append(context(f"`{escape(notice.triage_id)}` · {escape(notice.department)}"))
    fallback = m("review_fallback", lang, id=notice.triage_id, outcome=notice.outcome_label)
    return message(f"{fallback}\n{notice.summary}", blocks)


def _rule(rule: RuleView, lang: str) -> str:
    because = "\n".join(
        "• " + escape(t("labelled", lang, label=row.label) + row.answer)
        for row in rule.because_rows
    )
    lines = [
        f"*{escape(rule.id)}* ({escape(rule.criterion)}) — {EFFECT_EMOJI.get(rule.effect, '')} "
        f"{escape(t('effect_' + rule.effect, lang))}",
        escape(rule.explanation),
    ]
    if because:
        lines.append(m("because_line", lang, because="\n" + because))
    if rule.reference:
        lines.append(m("reference_line", lang, reference=escape(rule.reference)))
    return "\n".join(lines)


def _packed(title: str, items: Iterable[str]) -> list[Block]:
    """The title and items in as few sections as fit, never splitting an item."""
    sections: list[str] = []
    current = title
    for item in items:
        item = clip(item, SECTION_TEXT_MAX - len(title) - 2)
        if len(current) + 2 + len(item) > SECTION_TEXT_MAX:
            sections.append(current)
            current = item
        else:
            current = f"{current}\n\n{item}" if current != title else f"{current}\n{item}"
    sections.append(current)
    return [section(text) for text in sections]


def _within_limit(blocks: list[Block], triage_id: str, lang: str, reserve: int = 1) -> list[Block]:
    """Keep room for `reserve` closing blocks; count what does not fit."""
    room = MESSAGE_BLOCKS_MAX - reserve
    if len(blocks) <= room:
        return blocks
    kept = blocks[: room - 1]
    note = m("result_truncated", lang, count=len(blocks) - len(kept), id=triage_id)
    return [*kept, context(escape(note))]
