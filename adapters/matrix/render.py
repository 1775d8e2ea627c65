"""Questions, results and notices as Matrix messages: HTML with a plain-text body.

Every message carries both: clients that do not draw HTML (and notifications) show the
body, which says the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from adapters.chat.messages import HELP_LINES
from adapters.chat.question_layout import Input, layout
from adapters.chat.result_text import flow_line, orientation, risk
from adapters.matrix.messages import m
from bot.i18n import t
from bot.notifications import ReviewNotice
from bot.report import changes_text
from bot.views import QuestionView, ResultView, previous_text, reference_legend


@dataclass(frozen=True)
class Message:
    plain: str
    html: str

    def content(self) -> dict[str, Any]:
        return {
            "msgtype": "m.text",
            "body": self.plain,
            "format": "org.matrix.custom.html",
            "formatted_body": self.html,
        }


def text(plain: str) -> Message:
    return Message(plain, _lines(plain))


def help_text(lang: str) -> str:
    """The kit's help lines, then Matrix's own: its typed id, and the prefix of a shared room."""
    lines = (f"• {m(key, lang)}" for key in (*HELP_LINES, "help_whoami"))
    title = t("labelled", lang, label=m("help_title", lang)).rstrip()
    return "\n".join([title, *lines, m("help_rooms", lang)])


def question(view: QuestionView, lang: str) -> Message:
    plain = [view.progress, f"{view.number}. {view.label}"]
    html = [f"<p><em>{escape(view.progress)}</em></p>", f"<p><strong>{_e(view)}</strong></p>"]
    if view.choices:
        plain += [f"{i}. {c.label}" for i, c in enumerate(view.choices, 1)]
        items = "".join(f"<li>{escape(c.label)}</li>" for c in view.choices)
        html.append(f"<ol>{items}</ol>")
    if view.previous is not None:
        said = t("previous_answer", lang, answer=previous_text(view))
        plain.append(said)
        html.append(f"<p>{escape(said)}</p>")
    hint = hint_for(view, lang)
    plain.append(hint)
    html.append(f"<p><em>{_lines(hint)}</em></p>")
    return Message("\n".join(plain), "".join(html))


def hint_for(view: QuestionView, lang: str) -> str:
    """How to type the answer to the kit's input (`adapters.chat.question_layout`), then how
    to move: every choice is numbered, so one list serves choices on show and a drop-down
    alike; a text or a scale has no number to give."""
    kind = layout(view).input
    if kind is Input.TEXT:
        answer = m("how_to_answer_text", lang)
    elif kind is Input.SCALE:
        low, high = view.scale
        answer = m("how_to_answer_scale", lang, low=low, high=high)
    else:
        answer = m("how_to_answer", lang)
        if kind is Input.SEVERAL:
            answer += f" {m('how_to_answer_multi', lang)}"
    return f"{answer}\n{m('how_to_move', lang)}"


def answered(view: QuestionView, summary: str) -> Message:
    """The question once answered: where it was, and the answer (the engine's summary names
    the question and the labels chosen); no choices left to pick."""
    plain = f"{view.progress}\n✓ {summary}"
    html = f"<p><em>{escape(view.progress)}</em></p><p>✓ {escape(summary)}</p>"
    return Message(plain, html)


def result(view: ResultView, lang: str, authored: bool = True) -> Message:
    """The result as the terminal's, but for its closing lines: a person in chat cannot run
    `boussole report` or `boussole retriage`, so they are told where the report is and, the
    author only, how to triage again here."""
    plain: list[str] = []
    html: list[str] = []

    def line(words: str, tag: str = "p") -> None:
        plain.append(words)
        html.append(f"<{tag}>{_lines(words)}</{tag}>")

    line(t("result_title", lang, id=view.triage_id), "h3")
    line(orientation(view, lang), "h4")
    line(view.outcome_description)
    line(t("advice_notice", lang))
    if view.notified is not None:
        line(view.notified.text)
    line(flow_line(view, lang))
    if view.changes is not None:
        line(t("changes_title", lang), "h4")
        line(changes_text(view.changes, lang))
    if view.rules:
        line(t("fired_rules", lang), "h4")
    else:
        line(t("no_rule_fired", lang))
    for rule in view.rules:
        effect = t(f"effect_{rule.effect}", lang)
        line(f"{rule.id} ({rule.criterion}) — {effect}", "h5")
        line(rule.explanation)
        because = [t("labelled", lang, label=t("because", lang)).rstrip()]
        because += [f"• {t('labelled', lang, label=r.label)}{r.answer}" for r in rule.because_rows]
        line("\n".join(because))
        line(t("labelled", lang, label=t("reference", lang)) + rule.reference)
    legend = reference_legend((rule.reference for rule in view.rules), lang)
    if legend:
        line(legend)
    if view.conditions:
        line(t("conditions", lang), "h4")
        line("\n".join(f"• {c.id} — {c.text}" for c in view.conditions))
    if view.blocking_points:
        line(t("blocking_points", lang), "h4")
        points = (f"• {b.question} — {b.text}{risk(b, lang)}" for b in view.blocking_points)
        line("\n".join(points))
    if view.ignored:
        line(t("ignored", lang, ids=", ".join(view.ignored)))
    line(t("summary_title", lang), "h4")
    closing = [orientation(view, lang)]
    if view.notified is not None:
        closing.append(view.notified.text)
    closing.append(m("summary_report", lang, id=view.triage_id))
    if authored:
        closing.append(m("summary_retriage", lang))
    line("\n".join(closing))
    return Message("\n\n".join(plain), "".join(html))


def review_notice(notice: ReviewNotice, outcomes: str, lang: str) -> Message:
    rules = [
        f"• {rule_id} ({t(f'effect_{effect}', lang)}) — {why}"
        for rule_id, effect, why in notice.rules
    ]
    commands = m("review_commands", lang, id=notice.triage_id, outcomes=outcomes)
    plain = "\n\n".join([notice.summary, "\n".join(rules), commands])
    return Message(plain, "".join(f"<p>{_lines(part)}</p>" for part in plain.split("\n\n")))


def _e(view: QuestionView) -> str:
    return escape(f"{view.number}. {view.label}")


def _lines(plain: str) -> str:
    return "<br>".join(escape(part) for part in plain.split("\n"))
