"""The public register as a static site, for citizens: no JavaScript, French and English.

Layout of the generated folder (any static web server can host it):

    index.html                    the choice of language
    fr/index.html, en/…           every published algorithm
    fr/department/ID.html         the same, one department
    fr/status/STATUS.html         the same, one life-cycle status
    fr/algorithms/UUID.html       one algorithm: what it does, how the doctrine judged it
    fr/rules.html                 Boussole's own rules: every question, rule and reference
    fr/rules-diagram.svg          the flow's diagram, when the Mermaid CLI could draw it
    fr/register.json, .csv        the Eurocities standard's formats
    fr/feed.atom                  the register's changes

Nothing here names a person: reviewers appear by role, the publisher not at all, and of the
answers only the choices are shown (free-text answers may name people; the publisher's
details say in public words what they would). Every text is escaped where it is written.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.app import App
from bot.i18n import LANGS, pick, t
from bot.register import Published, changes, gather
from bot.register_details import STATUSES
from bot.register_formats import atom_feed, register_csv, register_json, registration
from bot.versions import BUNDLED_PUBLISHER, PublishedFlow
from flows import conditions as cond
from flows.compiled import CompiledFlow
from flows.diagram import (
    DiagramRenderError,
    DiagramToolMissing,
    choice_labels,
    describe,
    mermaid,
    render,
)
from storage.repository import VersionRecord

log = logging.getLogger(__name__)

PROJECT_SECTION = "P"
OVERSIGHT_SECTION = "DI"
"""The 2019 charter rule (a real human decision) has its own section in the bundled flow."""
DIAGRAM = "rules-diagram.svg"
STYLE = """
body{margin:0;font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff;
overflow-wrap:anywhere}
header,main,footer{max-width:46rem;margin:0 auto;padding:0 1rem}
header{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem;
border-bottom:1px solid #767676;padding-top:.5rem;padding-bottom:.5rem}
a{color:#0b4a8f}a:focus{outline:3px solid #1a1a1a;outline-offset:2px}
.skip{position:absolute;left:-999rem}.skip:focus{position:static}
h1,h2,h3{line-height:1.25}
dt{font-weight:bold}dd{margin:0 0 .5rem 1rem}
ul.entries{list-style:none;padding:0}
ul.entries>li{border:1px solid #767676;border-radius:.25rem;padding:0 1rem;margin:1rem 0}
footer{border-top:1px solid #767676;margin-top:2rem;font-size:.95rem}
img{max-width:100%;height:auto}
""".strip()


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def paragraphs(text: str) -> str:
    """Blank lines part paragraphs; single line breaks are kept."""
    blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
    return "".join(f"<p>{'<br>'.join(esc(line) for line in b.splitlines())}</p>" for b in blocks)


def localized(value: dict[str, str] | None, lang: str) -> str:
    """A publisher's text in `lang`, or the French one marked as French."""
    if not value:
        return ""
    if lang in value:
        return paragraphs(value[lang])
    return f'<div lang="fr">{paragraphs(value["fr"])}</div>'


@dataclass(frozen=True)
class Page:
    path: str
    """Inside the language's folder: `index.html`, `algorithms/UUID.html`."""
    title: str
    body: str


def _document(page: Page, lang: str, generated: datetime) -> str:
    depth = page.path.count("/")
    here = "../" * depth
    root = "../" * (depth + 1)
    other = next(x for x in LANGS if x != lang)
    name = t("register_site_title", lang)
    footer_links = [
        (f"{here}index.html", t("register_all", lang)),
        (f"{here}rules.html", t("register_rules_title", lang)),
        (f"{here}register.json", t("register_download_json", lang)),
        (f"{here}register.csv", t("register_download_csv", lang)),
        (f"{here}feed.atom", t("register_download_feed", lang)),
    ]
    links = "".join(f'<li><a href="{href}">{esc(text)}</a></li>' for href, text in footer_links)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(page.title)} – {esc(name)}</title>\n"
        f'<link rel="alternate" type="application/atom+xml" href="{here}feed.atom" '
        f'title="{esc(t("register_feed_title", lang))}">\n'
        f'<link rel="alternate" hreflang="{other}" href="{root}{other}/{page.path}">\n'
        f"<style>{STYLE}</style>\n</head>\n<body>\n"
        f'<a class="skip" href="#main">{esc(t("register_skip", lang))}</a>\n'
        f'<header><p><a href="{here}index.html">{esc(name)}</a></p>\n'
        f'<nav aria-label="{esc(t("register_language_nav", lang))}">'
        f'<a href="{root}{other}/{page.path}" hreflang="{other}" lang="{other}">'
        f"{esc(t('register_language_name', other))}</a></nav></header>\n"
        f'<main id="main">\n<h1>{esc(page.title)}</h1>\n{page.body}\n</main>\n'
        f'<footer><nav aria-label="{esc(t("register_footer_nav", lang))}"><ul>{links}</ul></nav>\n'
        f"<p>{esc(t('register_generated', lang, date=generated.date().isoformat()))}</p>"
        "</footer>\n</body>\n</html>\n"
    )


def _dl(rows: Iterable[tuple[str, str]]) -> str:
    """Label and HTML value pairs; empty values left out."""
    items = "".join(f"<dt>{esc(label)}</dt><dd>{value}</dd>" for label, value in rows if value)
    return f"<dl>{items}</dl>" if items else ""


def _date(value: datetime) -> str:
    return value.date().isoformat()


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
            (t("register_last_triage", lang), _date(item.completed_at)),
        ]
        link = f'<a href="{here}algorithms/{item.entry}.html">{esc(item.project)}</a>'
        cards.append(f"<li><h2>{link}</h2>{_dl(rows)}</li>")
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


def _index_pages(items: list[Published], lang: str) -> list[Page]:
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
    return _dl(rows)


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
            date=_date(step.completed_at),
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


def _algorithm_page(item: Published, flow: CompiledFlow, lang: str) -> Page:
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
        _dl(summary),
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
        _dl(more + links),
        f"<h2>{esc(t('register_dates', lang))}</h2>",
        _dl(
            [
                (t("register_published_on", lang), _date(item.first_published)),
                (t("register_changed_on", lang), _date(item.last_changed)),
                (t("register_revision_on", lang), item.revision_date.isoformat()),
            ]
        ),
        f"<h2>{esc(t('register_contact', lang))}</h2>",
        f"<p>{esc(t('register_contact_text', lang))} {contact}</p>",
    ]
    return Page(f"algorithms/{item.entry}.html", item.project, "\n".join(b for b in body if b))


def _choices_text(app: App, flow: CompiledFlow, question_id: str, lang: str) -> str:
    question = flow.by_id[question_id]
    if question.spec.type == "text":
        return t("register_rules_free_text", lang)
    if question.spec.type == "scale":
        return t("register_rules_scale", lang)
    return t("list_separator", lang).join(pick(c.label, lang) for c in app.engine.choices(question))


def _rules_page(
    app: App, published: PublishedFlow, versions: list[VersionRecord], lang: str, diagram: bool
) -> Page:
    flow = published.flow
    record = published.record
    intro = t(
        "register_rules_intro",
        lang,
        flow=flow.id,
        version=record.version,
        date=_date(record.published_at),
        sha=record.sha256,
    )
    body = [f"<p>{esc(intro)}</p>", f"<h2>{esc(t('register_rules_diagram', lang))}</h2>"]
    if diagram:
        alt = t("register_rules_diagram_alt", lang)
        body.append(f'<p><img src="{DIAGRAM}" alt="{esc(alt)}"></p>')
    else:
        body.append(f"<p>{esc(t('register_rules_no_diagram', lang))}</p>")
    outcomes = [
        (pick(text.label, lang), paragraphs(pick(text.description, lang)))
        for text in flow.spec.outcomes.values()
    ]
    body += [f"<h2>{esc(t('register_rules_outcomes', lang))}</h2>", _dl(outcomes)]
    for section in flow.spec.sections:
        title = pick(section.title, lang)
        body.append(f"<h2>{esc(title)} <small>({esc(section.id)})</small></h2>")
        if section.questions:
            body.append(f"<h3>{esc(t('register_rules_questions', lang, section=title))}</h3>")
            items = []
            for question in section.questions:
                rows = [
                    (
                        t("register_rules_choices", lang),
                        esc(_choices_text(app, flow, question.id, lang)),
                    ),
                    (
                        t("register_rules_asked_if", lang),
                        esc(_condition(question.ask_if, flow, lang)),
                    ),
                    (t("register_rules_why", lang), esc(pick(question.why, lang))),
                    (t("register_rules_reference", lang), esc(pick(question.reference, lang))),
                ]
                items.append(
                    f"<li><p><strong>{esc(question.id)}</strong> {esc(pick(question.label, lang))}"
                    f"</p>{_dl(rows)}</li>"
                )
            body.append(f"<ol>{''.join(items)}</ol>")
        if section.rules:
            body.append(f"<h3>{esc(t('register_rules_rules', lang, section=title))}</h3>")
            items = []
            for rule in section.rules:
                rows = [
                    (t("register_rules_when", lang), esc(_condition(rule.when, flow, lang))),
                    (
                        t("register_rules_effect", lang),
                        esc(t(f"effect_{rule.effect}", lang)),
                    ),
                    (t("register_rules_reference", lang), esc(pick(rule.reference, lang))),
                ]
                if rule.condition:
                    rows.append((t("register_conditions", lang), esc(pick(rule.condition, lang))))
                items.append(
                    f"<li><p><strong>{esc(rule.id)}</strong> {esc(pick(rule.explanation, lang))}"
                    f"</p>{_dl(rows)}</li>"
                )
            body.append(f"<ul>{''.join(items)}</ul>")
    standards = [
        (
            c.id,
            esc(pick(c.text, lang))
            + (f" ({esc(_condition(c.when, flow, lang))})" if c.when is not None else ""),
        )
        for c in flow.spec.standard_conditions
    ]
    if standards:
        body += [f"<h2>{esc(t('register_rules_standard', lang))}</h2>", _dl(standards)]
    history = "".join(f"<li>{esc(_version_text(record, lang))}</li>" for record in versions)
    body += [f"<h2>{esc(t('register_rules_versions', lang))}</h2>", f"<ol>{history}</ol>"]
    return Page("rules.html", t("register_rules_title", lang), "\n".join(body))


def _version_text(record: VersionRecord, lang: str) -> str:
    """A version as the history lists it: number, date, digest and note, never its
    publisher (a person)."""
    text = t(
        "register_rules_version",
        lang,
        version=record.version,
        date=_date(record.published_at),
        sha=record.sha256[:12],
    )
    note = t("bundled_note", lang) if record.published_by == BUNDLED_PUBLISHER else record.note
    return f"{t('labelled', lang, label=text)}{note}" if note else text


def _condition(raw: object, flow: CompiledFlow, lang: str) -> str:
    """A condition as the public reads it: the choices by their labels, not their ids."""
    if raw is None:
        return t("register_rules_always", lang)
    return describe(cond.parse(raw, ()), lang, choice_labels(flow, lang))


def _diagram(flow: CompiledFlow, lang: str, out: Path) -> bool:
    """Draw the flow's diagram as SVG; without the Mermaid CLI (or when it fails), the page
    gives the questions and rules as text, which it does anyway, and shows no broken image."""
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        render(mermaid(flow, lang), "svg", out)
    except (DiagramToolMissing, DiagramRenderError) as error:
        log.info("register site: no diagram (%s)", error)
        return False
    return True


def _language_choice() -> str:
    links = "".join(
        f'<li lang="{lang}"><a href="{lang}/index.html" hreflang="{lang}">'
        f"{esc(t('register_site_title', lang))} ({esc(t('register_language_name', lang))})"
        "</a></li>"
        for lang in LANGS
    )
    title = " / ".join(t("register_site_title", lang) for lang in LANGS)
    return (
        '<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f'<main id="main">\n<h1>{esc(title)}</h1>\n<ul>{links}</ul>\n</main>\n</body>\n</html>\n'
    )


def write_site(
    app: App, out: Path, base_url: str | None = None, diagram: bool = True
) -> list[Path]:
    """Write the whole site into `out` (created if needed) and return the files written.
    The language folders are the site's own: a file an earlier generation left there and this
    one did not write (the page of a withdrawn algorithm, a diagram no longer drawn) is
    deleted, so that what the server shows is the register as it stands."""
    generated = datetime.now(UTC)
    written: list[Path] = []

    def put(relative: str, text: str) -> None:
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
        written.append(target)

    with app.store.reading() as tx:
        published = app.catalog.latest(tx)
        versions = tx.versions_of(published.record.flow_id)
        by_lang = {lang: gather(app, tx, lang) for lang in LANGS}
        flows = {
            item.entry: app.catalog.get(tx, tx.triage(item.view.triage_id).flow_version_id).flow
            for item in by_lang["fr"]
        }
        log_of_changes = changes(tx)
    put("index.html", _language_choice())
    for lang in LANGS:
        items = by_lang[lang]
        base = f"{base_url.rstrip('/')}/{lang}/" if base_url else ""
        drawn = diagram and _diagram(published.flow, lang, out / lang / DIAGRAM)
        if drawn:
            written.append(out / lang / DIAGRAM)
        pages = [
            *_index_pages(items, lang),
            *(_algorithm_page(item, flows[item.entry], lang) for item in items),
            _rules_page(app, published, versions, lang, drawn),
        ]
        for page in pages:
            put(f"{lang}/{page.path}", _document(page, lang, generated))
        documents = [
            registration(item, lang, f"{base}algorithms/{item.entry}.html" if base else None)
            for item in items
        ]
        put(f"{lang}/register.json", register_json(documents))
        put(f"{lang}/register.csv", register_csv(documents))
        current = {item.entry for item in items}
        put(f"{lang}/feed.atom", atom_feed(log_of_changes, current, lang, generated, base))
    _remove_stale(out, set(written))
    return written


def _remove_stale(out: Path, written: set[Path]) -> None:
    for lang in LANGS:
        folder = out / lang
        for path in sorted(folder.rglob("*"), reverse=True):
            if path.is_file() and path not in written:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
