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

from datetime import UTC, datetime
from pathlib import Path

from bot.app import App
from bot.i18n import LANGS
from bot.register import changes, gather
from bot.register_formats import atom_feed, register_csv, register_json, registration
from bot.register_layout import document, language_choice
from bot.register_pages import algorithm_page, index_pages
from bot.register_rules_page import DIAGRAM, draw_diagram, rules_page


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
    put("index.html", language_choice())
    for lang in LANGS:
        items = by_lang[lang]
        base = f"{base_url.rstrip('/')}/{lang}/" if base_url else ""
        drawn = diagram and draw_diagram(published.flow, lang, out / lang / DIAGRAM)
        if drawn:
            written.append(out / lang / DIAGRAM)
        pages = [
            *index_pages(items, lang),
            *(algorithm_page(item, flows[item.entry], lang) for item in items),
            rules_page(app, published, versions, lang, drawn),
        ]
        for page in pages:
            put(f"{lang}/{page.path}", document(page, lang, generated))
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
