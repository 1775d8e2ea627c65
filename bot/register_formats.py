"""The register's downloads: the Eurocities Algorithmic Transparency Standard 0.3.1 (JSON and
its `;`-separated CSV template) and an Atom feed of the register's changes.

The standard's schema ships with the package (`eurocities-ats.schema.json`, our rebuild of
the upstream one, see its `$comment`); its property order is the CSV's column order. Texts
are written in the file's language, falling back to French where the publisher gave no
English: the standard's `lang` names the file's language, and its enum values stay English.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from bot.csv_cells import inert
from bot.i18n import pick, t
from bot.register import Change, Published
from bot.register_details import EUROCITIES_STATUS

STANDARD_VERSION = "0.3.1"
SCHEMA_FILE = "eurocities-ats.schema.json"


@cache
def eurocities_schema() -> dict[str, Any]:
    return json.loads(resources.files("bot").joinpath(SCHEMA_FILE).read_text("utf-8"))


def _text(value: dict[str, str] | None, lang: str) -> str:
    return pick(value, lang) if value else ""


def registration(item: Published, lang: str, page_url: str | None) -> dict[str, Any]:
    """One entry in the standard's terms; optional fields only when there is something to say."""
    details = item.details
    view = item.view
    findings = [f"{rule.explanation} ({rule.reference})" for rule in view.rules]
    risks = _text(details.risks, lang)
    if findings:
        risks += "\n\n" + t("register_risks_found", lang) + "\n" + "\n".join(findings)
    decision = _decision_sentence(item, lang)
    remark = " ".join(x for x in (decision, _text(details.remark, lang)) if x)
    document: dict[str, Any] = {
        "name": item.project,
        "description_short": _text(details.description_short, lang),
        "organization": details.organization,
        "department": item.department,
        "contact_email": details.contact_email,
        "area": details.area,
        "domain": details.domain,
        "website": details.website or page_url,
        "status": EUROCITIES_STATUS[details.status],
        "remark": remark,
        "decision_making_process": _text(details.decision_making_process, lang),
        "goal": _text(details.purpose, lang),
        "impact": _text(details.audience, lang),
        "risks": risks,
        "risk_category": details.risk_category,
        "proportionality": _text(details.proportionality, lang),
        "lawful_basis": _text(details.lawful_basis, lang),
        "documentation": details.documentation,
        "training_data": _text(details.training_data, lang),
        "source_data": _text(details.source_data, lang),
        "data_bias": _text(details.data_bias, lang),
        "connected_data_sources": _text(details.connected_data_sources, lang),
        "DPIA_url": details.dpia_url,
        "algorithm_type": details.algorithm_type,
        "description": _text(details.description, lang),
        "methods_and_models": _text(details.methods_and_models, lang),
        "alternatives_considered": _text(details.alternatives_considered, lang),
        "codebase_url": details.codebase_url,
        "AIA_description": t(
            "register_aia", lang, flow=view.flow_id, version=view.flow_version, sha=view.flow_sha256
        ),
        "AIA_url": page_url,
        "monitoring": _text(details.monitoring, lang),
        "type": details.use_type,
        "human_intervention": _text(details.human_intervention, lang),
        "objection_procedure": _text(details.objection_procedure, lang),
        "rollback": _text(details.rollback, lang),
        "standard_version": STANDARD_VERSION,
        "uuid": item.entry,
        "lang": lang,
        "publication_date": item.first_published.date().isoformat(),
        "last_change_date": item.last_changed.date().isoformat(),
        "revision_date": item.revision_date.isoformat(),
        "revision_note": _text(details.revision_note, lang) or t("register_revision_note", lang),
        "keywords": details.keywords,
    }
    order = list(eurocities_schema()["properties"])
    return {key: document[key] for key in order if document.get(key) not in (None, "")}


def _decision_sentence(item: Published, lang: str) -> str:
    review = item.review
    if review is None or review.decided_at is None or review.decision is None:
        return t("register_no_review", lang, outcome=t(f"outcome_{item.outcome}", lang))
    return t(
        f"register_decision_{review.decision}",
        lang,
        proposed=t(f"outcome_{review.proposed_outcome}", lang),
        outcome=t(f"outcome_{item.outcome}", lang),
        date=review.decided_at.date().isoformat(),
    )


def register_json(documents: list[dict[str, Any]]) -> str:
    return json.dumps(documents, ensure_ascii=False, indent=2) + "\n"


def register_csv(documents: list[dict[str, Any]]) -> str:
    """The standard's CSV template: every key as a header, quoted, separated by `;`."""
    keys = list(eurocities_schema()["properties"])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(keys)
    for document in documents:
        writer.writerow([inert(document.get(key, "")) for key in keys])
    return out.getvalue()


def feed_id(lang: str) -> str:
    """Stable across generations, so that a feed reader sees one feed and new entries."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"boussole-register-feed:{lang}").urn


def atom_feed(
    changes: list[Change], current: set[str], lang: str, generated: datetime, base: str
) -> str:
    """The changes, newest first; an entry still published links to its page (relative to the
    feed, or under `base` when the site's address is known). An algorithm withdrawn from the
    register is no longer named: the feed only says that one was withdrawn, and when."""
    title = t("register_feed_title", lang)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
        f"  <title>{escape(title)}</title>",
        f"  <id>{feed_id(lang)}</id>",
        f"  <updated>{_stamp(changes[0].at if changes else generated)}</updated>",
        f'  <link rel="alternate" type="text/html" href={quoteattr(base + "index.html")}/>',
        "  <author><name>Boussole</name></author>",
    ]
    for change in changes:
        if change.entry in current:
            text = t(f"register_change_{change.kind}", lang, project=change.project)
        elif change.kind == "withdrawn":
            text = t("register_change_withdrawn_unnamed", lang)
        else:
            continue  # a withdrawn algorithm is no longer named, not even in its past
        entry_id = uuid.uuid5(uuid.UUID(change.entry), f"{change.kind}:{change.at.isoformat()}").urn
        lines += [
            "  <entry>",
            f"    <title>{escape(text)}</title>",
            f"    <id>{entry_id}</id>",
            f"    <updated>{_stamp(change.at)}</updated>",
            f"    <summary>{escape(text)}</summary>",
        ]
        if change.entry in current:
            href = f"{base}algorithms/{change.entry}.html"
            lines.append(f'    <link rel="alternate" type="text/html" href={quoteattr(href)}/>')
        lines.append("  </entry>")
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _stamp(at: datetime) -> str:
    return at.isoformat(timespec="seconds").replace("+00:00", "Z")
