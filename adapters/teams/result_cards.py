"""A triage's result and a reviewer's notices as Adaptive Cards: the result (with the
author's re-triage form), the review card with its decision buttons and forms, the decision
once made, and the question a reviewer asks the agent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adapters.chat.clicks import ACTION
from adapters.chat.forms import ask_form, override_form, reply_form, retriage_form
from adapters.chat.placement import Notice
from adapters.chat.result_text import flow_line, orientation, risk
from adapters.teams import card_parts as p
from adapters.teams.card_parts import CARD
from adapters.teams.messages import m
from bot.i18n import t
from bot.notifications import NOBODY, ReviewNotice
from bot.report import changes_text
from bot.views import ResultView, reference_legend

ANSWER_SHOWN_MAX = 300
"""An answer longer than this is shortened on the result card, which must stay well under
the 28 KB Teams accepts for one message even when every text answer is 2,000 characters."""
OUTCOME_COLORS = {"light_track": "good", "full_review": "warning", "incompatible": "attention"}


def result_card(
    view: ResultView, lang: str, notices: Sequence[Notice] = (), retriage: bool = False
) -> CARD:
    """The result as its author or a reviewer reads it; `retriage` (its author only) adds the
    form that re-does it."""
    color = OUTCOME_COLORS.get(view.outcome, "default")
    outcome = [
        p.title(orientation(view, lang), color=color),
        p.text(view.outcome_description),
        p.note(t("advice_notice", lang)),
    ]
    body: list[CARD] = [
        *p.notices(notices),
        p.title(t("result_title", lang, id=view.triage_id), "Large"),
        {"type": "Container", "style": color, "bleed": True, "items": outcome},
    ]
    if view.notified is not None:
        alarm = {"color": "Attention", "weight": "Bolder"} if view.notified.to == NOBODY else {}
        body.append(p.text(view.notified.text, **alarm))
    if view.changes is not None:
        body.append(p.heading(t("changes_title", lang)))
        body.append(p.text(changes_text(view.changes, lang)))
    body.append(p.heading(t("fired_rules", lang)))
    if view.rules:
        rules = ((f"{rule.id} ({rule.criterion})", _rule_text(rule, lang)) for rule in view.rules)
        body.append(p.facts(rules))
        legend = reference_legend((rule.reference for rule in view.rules), lang)
        if legend:
            body.append(p.note(legend))
    else:
        body.append(p.text(t("no_rule_fired", lang)))
    if view.conditions:
        body.append(p.heading(t("conditions", lang)))
        body.append(p.facts((c.id, c.text) for c in view.conditions))
    if view.blocking_points:
        body.append(p.heading(t("blocking_points", lang)))
        points = view.blocking_points
        body.append(p.facts((b.question, f"{b.text}{risk(b, lang)}") for b in points))
    body.append(p.note(flow_line(view, lang)))
    actions: list[CARD] = []
    if retriage and view.answer_rows:
        actions.append(_retriage_form(view, lang))
    elif view.answer_rows:
        rows = (
            (row.question, _answer_row(row.label, row.answer, view, lang))
            for row in view.answer_rows
        )
        actions.append(p.show_card(m("action_answers", lang), [p.facts(rows)]))
    actions.append(p.submit(m("button_new", lang), {ACTION: "start"}))
    return p.card(body, actions, fallback=orientation(view, lang))


def _retriage_form(view: ResultView, lang: str) -> CARD:
    """The author's answers, each a toggle under its section's title, the answer beside the
    question: the questions ticked are asked again, the others kept. One list for reading
    and re-doing, not two: a card holds 28 KB."""
    drawn = retriage_form(view, lang)
    (pick,) = drawn.fields
    form = [
        p.text(drawn.help),
        *p.toggles(pick, lambda o: _answer_row(o.label, o.description, view, lang)),
    ]
    submit = p.submit(drawn.submit, p.on(drawn.id, view.triage_id))
    return p.show_card(t("retriage_answers_action", lang), form, submit)


def _rule_text(rule: Any, lang: str) -> str:
    because = t("list_separator", lang).join(
        t("labelled", lang, label=row.label) + p.plain(row.answer) for row in rule.because_rows
    )
    parts = [f"{t('effect_' + rule.effect, lang)} — {rule.explanation}"]
    if because:
        parts.append(t("labelled", lang, label=t("because", lang)) + because)
    parts.append(t("labelled", lang, label=t("reference", lang)) + rule.reference)
    return " · ".join(parts)


def _answer_row(label: str, answer: str, view: ResultView, lang: str) -> str:
    shown = p.plain(answer)
    if len(shown) > ANSWER_SHOWN_MAX:
        cut = shown[:ANSWER_SHOWN_MAX].rstrip()
        shown = f"{cut}… {m('answers_truncated', lang, id=view.triage_id)}"
    return f"{label} → {shown}"


# Reviews


def review_card(notice: ReviewNotice, lang: str) -> CARD:
    about = [
        (t("column_project", lang), p.plain(notice.project)),
        (t("department", lang), notice.department),
        (t("orientation", lang), notice.outcome_label),
    ]
    body: list[CARD] = [
        p.title(m("review_title", lang), "Large"),
        p.text(p.plain(notice.summary)),
        p.facts(about),
        p.heading(t("fired_rules", lang)),
    ]
    if notice.rules:
        rules = (
            (rule, f"{t('effect_' + effect, lang)} — {why}") for rule, effect, why in notice.rules
        )
        body.append(p.facts(rules))
    else:
        body.append(p.text(t("no_rule_fired", lang)))
    triage = notice.triage_id
    asking, overriding = ask_form(m, lang), override_form(m, notice.outcome, lang)
    (question,) = asking.fields
    outcome, comment = overriding.fields
    ask = [p.comment_input(question, lang)]
    override = [
        p.field_input(outcome, m("choose_one", lang), style="expanded"),
        p.comment_input(comment, lang),
    ]
    send_ask = p.submit(m("button_send", lang), p.on(asking.id, triage))
    send_override = p.submit(m("button_override", lang), p.on(overriding.id, triage))
    actions = [
        p.submit(m("button_claim", lang), p.on("review_claim", triage)),
        p.submit(m("button_confirm", lang), p.on("review_confirm", triage), style="positive"),
        p.show_card(m("button_ask", lang), ask, send_ask),
        p.show_card(m("button_override", lang), override, send_override),
        p.submit(m("action_review_detail", lang), p.on("review", triage)),
    ]
    return p.card(body, actions, fallback=p.plain(notice.summary))


def review_decided_card(text: str, triage_id: str, lang: str) -> CARD:
    """What the review card becomes once the decision is final: the decision, no button."""
    return p.frozen_card(text, triage_id, lang, header=m("review_decided_title", lang))


def agent_question_card(text: str, triage_id: str, lang: str) -> CARD:
    """A reviewer's question, sent to the agent, with the field to answer it."""
    replying = reply_form(m, lang)
    body = [
        p.title(m("agent_question_title", lang)),
        p.text(p.plain(text)),
        p.comment_input(replying.fields[0], lang),
    ]
    reply = p.submit(m("button_reply", lang), p.on(replying.id, triage_id), style="positive")
    return p.card(body, [reply], fallback=text)


def agent_answered_card(answer: str, triage_id: str, lang: str) -> CARD:
    """What the question card becomes once answered."""
    return p.frozen_card(m("agent_answered", lang, answer=p.plain(answer)), triage_id, lang)
