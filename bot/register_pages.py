"""The register site's pages about the published algorithms: the lists (all, by department,
by status) and one page per algorithm, what it does and how the doctrine judged it. Of the
answers only the choices are shown, never a free text, and no person is named."""

from __future__ import annotations

from bot.i18n import pick, t
from bot.register import Published
from bot.register_details import STATUSES
from bot.register_layout import Page, day, dl, esc, localized
from flows.compiled import CompiledFlow

PROJECT_SECTION = "P"
OVERSIGHT_SECTION = "DI"
"""The 2019 charter rule (a real human decision) has its own section in the bundled flow."""


def _status(item: Published, lang: str) -> str:
    details = item.details
    text = t(f"register_status_{details.status}", lang)
    if details.status == "retired" and details.end_date:
        return t("register_status_until", lang, status=text, date=details.end_date.isoformat())
    if details.start_date:
        return t("register_status_since", lang, status=text, date=details.start_date.isoformat())
    return text


def _entries(items: list[Published], lang: str, here: str) -> str:
    if not items:
        return f"<p>{esc(t('register_empty', lang))}</p>"
    cards = []
    for item in items:
        rows = [
            (t("register_department", lang), esc(item.department)),
            (t("register_purpose", lang), esc(pick(item.details.description_short, lang))),
            (t("orientation", lang), esc(t(f"outcome_{item.outcome}", lang))),
            (t("register_status", lang), esc(_status(item, lang))),
            (t("register_last_triage", lang), day(item.completed_at)),
        ]
        link = f'<a href="{here}algorithms/{item.entry}.html">{esc(item.project)}</a>'
        cards.append(f"<li><h2>{link}</h2>{dl(rows)}</li>")
    return f'<ul class="entries">{"".join(cards)}</ul>'


def _filters(items: list[Published], lang: str, here: str) -> str:
    departments = sorted({(i.department_id, i.department) for i in items}, key=lambda d: d[1])
    statuses = [s for s in STATUSES if any(i.details.status == s for i in items)]
    if not items:
        return ""
    by_department = "".join(
        f'<li><a href="{here}department/{ident}.html">{esc(name)}</a></li>'
        for ident, name in departments
    )
    by_status = "".join(
        f'<li><a href="{here}status/{s}.html">{esc(t(f"register_status_{s}", lang))}</a></li>'
        for s in statuses
    )
    return (
        f'<nav aria-label="{esc(t("register_filters", lang))}">'
        f"<p>{esc(t('register_by_department', lang))}</p><ul>{by_department}</ul>"
        f"<p>{esc(t('register_by_status', lang))}</p><ul>{by_status}</ul></nav>"
    )


def index_pages(items: list[Published], lang: str) -> list[Page]:
    intro = f"<p>{esc(t('register_intro', lang))}</p>"
    pages = [
        Page(
            "index.html",
            t("register_site_title", lang),
            intro + _filters(items, lang, "") + _entries(items, lang, ""),
        )
    ]
    back = f'<p><a href="../index.html">{esc(t("register_all", lang))}</a></p>'
    for ident, name in sorted({(i.department_id, i.department) for i in items}):
        chosen = [i for i in items if i.department_id == ident]
        title = t("register_department_title", lang, department=name)
        pages.append(Page(f"department/{ident}.html", title, back + _entries(chosen, lang, "../")))
    for status in STATUSES:
        chosen = [i for i in items if i.details.status == status]
        if chosen:
            label = t(f"register_status_{status}", lang)
            title = t("register_status_title", lang, status=label)
            pages.append(Page(f"status/{status}.html", title, back + _entries(chosen, lang, "../")))
    return pages


def _section_answers(item: Published, flow: CompiledFlow, section: str, lang: str) -> str:
    """The choices answered in one section, question and choice labels: never an id, never a
    free text."""
    rows = [
        (row.label, esc(row.answer))
        for row in item.view.answer_rows
        if flow.by_id[row.question].section.id == section
        and flow.by_id[row.question].spec.type != "text"
    ]
    return dl(rows)


def _section_findings(item: Published, section: str, lang: str) -> str:
    rules = [r for r in item.view.rules if r.criterion == section]
    if not rules:
        return f"<p>{esc(t('register_no_finding', lang))}</p>"
    points = "".join(
        f"<li>{esc(r.explanation)} <small>({esc(r.reference)})</small></li>" for r in rules
    )
    return f"<p>{esc(t('register_findings', lang))}</p><ul>{points}</ul>"


def _criteria(item: Published, flow: CompiledFlow, lang: str) -> str:
    parts = []
    for section in flow.spec.sections:
        if section.id in (PROJECT_SECTION, OVERSIGHT_SECTION):
            continue
        title = pick(section.title, lang)
        parts.append(
            f"<h3>{esc(title)}</h3>"
            + _section_findings(item, section.id, lang)
            + _section_answers(item, flow, section.id, lang)
        )
    conditions = "".join(f"<li>{esc(c.text)}</li>" for c in item.view.conditions)
    if conditions:
        parts.append(f"<h3>{esc(t('register_conditions', lang))}</h3><ul>{conditions}</ul>")
    return "".join(parts)


def _decision(item: Published, lang: str) -> str:
    review = item.review
    proposed = t(f"outcome_{item.view.outcome}", lang)
    lines = [t("register_proposed", lang, outcome=proposed)]
    if review is None or review.decided_at is None or review.decision is None:
        lines.append(t("register_no_review", lang, outcome=proposed))
    else:
        lines.append(
            t(
                f"register_decision_{review.decision}",
                lang,
                proposed=proposed,
                outcome=t(f"outcome_{item.outcome}", lang),
                date=review.decided_at.date().isoformat(),
            )
        )
    return "".join(f"<p>{esc(line)}</p>" for line in lines)


def _history(item: Published, lang: str) -> str:
    rows = []
    for step in item.lineage:
        text = t(
            "register_history_row",
            lang,
            date=day(step.completed_at),
            outcome=t(f"outcome_{step.outcome}", lang),
        )
        if step.published:
            text += " " + t("register_history_this", lang)
        rows.append(f"<li>{esc(text)}</li>")
    return f"<ol>{''.join(rows)}</ol>"


_DETAIL_FIELDS = (
    "decision_making_process",
    "lawful_basis",
    "proportionality",
    "source_data",
    "training_data",
    "connected_data_sources",
    "data_bias",
    "risks",
    "methods_and_models",
    "alternatives_considered",
    "monitoring",
    "rollback",
    "objection_procedure",
    "remark",
)


def algorithm_page(item: Published, flow: CompiledFlow, lang: str) -> Page:
    details = item.details
    contact = f'<a href="mailto:{esc(details.contact_email)}">{esc(details.contact_email)}</a>'
    summary = [
        (t("register_department", lang), esc(item.department)),
        (t("register_organization", lang), esc(details.organization)),
        (t("register_area", lang), esc(details.area)),
        (t("register_status", lang), esc(_status(item, lang))),
        (t("orientation", lang), esc(t(f"outcome_{item.outcome}", lang))),
        (t("register_contact", lang), contact),
    ]
    links = [
        (t(f"register_field_{name}", lang), f'<a href="{esc(url)}">{esc(url)}</a>')
        for name, url in (
            ("website", details.website),
            ("documentation", details.documentation),
            ("codebase_url", details.codebase_url),
            ("dpia_url", details.dpia_url),
        )
        if url
    ]
    more = [
        (t(f"register_field_{name}", lang), localized(getattr(details, name), lang))
        for name in _DETAIL_FIELDS
    ]
    body = [
        localized(details.description_short, lang),
        dl(summary),
        f"<h2>{esc(t('register_what', lang))}</h2>",
        localized(details.purpose, lang),
        localized(details.description, lang),
        f"<h2>{esc(t('register_for_whom', lang))}</h2>",
        localized(details.audience, lang),
        f"<h2>{esc(t('register_oversight', lang))}</h2>",
        localized(details.human_intervention, lang),
        _section_findings(item, OVERSIGHT_SECTION, lang),
        _section_answers(item, flow, OVERSIGHT_SECTION, lang),
    ]
    if item.individual_decisions:
        body += [
            f"<h2>{esc(t('register_crpa_title', lang))}</h2>",
            f"<p>{esc(t('register_crpa', lang, contact=details.contact_email))}</p>",
        ]
    body += [
        f"<h2>{esc(t('register_criteria', lang))}</h2>",
        f"<p>{esc(t('register_criteria_intro', lang))}</p>",
        f'<p><a href="../rules.html">{esc(t("register_rules_link", lang))}</a></p>',
        _criteria(item, flow, lang),
        f"<h2>{esc(t('register_decision', lang))}</h2>",
        _decision(item, lang),
        f"<h2>{esc(t('register_history', lang))}</h2>",
        _history(item, lang),
        f"<h2>{esc(t('register_more', lang))}</h2>",
        dl(more + links),
        f"<h2>{esc(t('register_dates', lang))}</h2>",
        dl(
            [
                (t("register_published_on", lang), day(item.first_published)),
                (t("register_changed_on", lang), day(item.last_changed)),
                (t("register_revision_on", lang), item.revision_date.isoformat()),
            ]
        ),
        f"<h2>{esc(t('register_contact', lang))}</h2>",
        f"<p>{esc(t('register_contact_text', lang))} {contact}</p>",
    ]
    return Page(f"algorithms/{item.entry}.html", item.project, "\n".join(b for b in body if b))
