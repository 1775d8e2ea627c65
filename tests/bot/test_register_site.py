"""The register site as a citizen reads it: what each page says, in both languages, escaped;
the downloads in the Eurocities standard (validated against its schema), CSV and Atom; and
nothing anywhere that identifies an agent or a reviewer."""

from __future__ import annotations

import csv
import json
import re
import secrets
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from sqlalchemy import create_engine, select, text

from bot.app import App
from bot.register_formats import SCHEMA_FILE, eurocities_schema
from bot.register_site import write_site
from bot.settings import Settings
from flows.loader import load_bundled
from storage.repository import actors
from tests.bot.journeys import open_with_reviewers
from tests.bot.register_journeys import HOSTILE, REVIEWERS, Register, populate
from tests.conftest import POSTGRES_URL

ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True)
class Site:
    app: App
    root: Path
    register: Register

    def read(self, relative: str) -> str:
        return (self.root / relative).read_text("utf-8")

    def entry(self, project: str) -> str:
        """The register's id of a project, as its JSON download gives it."""
        documents = json.loads(self.read("fr/register.json"))
        return next(d["uuid"] for d in documents if d["name"] == project)

    def page(self, lang: str, project: str) -> str:
        return self.read(f"{lang}/algorithms/{self.entry(project)}.html")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One register, written once on SQLite or PostgreSQL like every test's database: the
    checks below only read it."""
    folder = tmp_path_factory.mktemp("register")
    url = f"sqlite:///{folder / 'db.sqlite'}"
    admin = None
    if POSTGRES_URL:
        schema = f"t_{secrets.token_hex(6)}"
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        separator = "&" if "?" in POSTGRES_URL else "?"
        url = f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    app = open_with_reviewers(Settings(database_url=url, data_dir=folder / "d"), folder, REVIEWERS)
    try:
        register = populate(app)
        write_site(app, folder / "site", "https://registre.example.org/", diagram=False)
        yield Site(app, folder / "site", register)
    finally:
        app.close()
        if admin is not None:
            with admin.connect() as connection:
                connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()


def files(site: Site, suffix: str = "") -> list[Path]:
    return sorted(p for p in site.root.rglob(f"*{suffix}") if p.is_file())


def test_nothing_published_identifies_an_agent_or_a_reviewer(site: Site) -> None:
    with site.app.store.reading() as tx:
        people = [tuple(row) for row in tx.connection.execute(select(actors))]
        members = [m for ms in tx.reviewers().values() for m in ms] + tx.admins()
        aliases = [
            row["actor"] for chain in vars(site.register).values() for row in tx.audit_trail(chain)
        ]
        salts = [tx.triage(t).owner_salt for t in vars(site.register).values()]
    secrets_ = {value for row in people for value in row} | set(members) | set(aliases)
    secrets_ |= {s for s in salts if s} | {m.partition(":")[2] for m in members}
    assert len(secrets_) > 10
    written = files(site)
    assert len(written) > 20
    for path in written:
        content = path.read_text("utf-8")
        for secret in secrets_:
            assert secret not in content, (path, secret)


def test_every_page_is_in_its_language_with_a_link_to_the_other(site: Site) -> None:
    for lang, other in (("fr", "en"), ("en", "fr")):
        pages = files(site, ".html")
        for path in (p for p in pages if p.relative_to(site.root).parts[0] == lang):
            content = path.read_text("utf-8")
            relative = path.relative_to(site.root / lang).as_posix()
            assert f'<html lang="{lang}">' in content
            assert f'hreflang="{other}" lang="{other}">' in content
            assert f'{other}/{relative}"' in content
            assert "<script" not in content
    choice = site.read("index.html")
    assert 'href="fr/index.html"' in choice and 'href="en/index.html"' in choice


def test_hostile_names_are_escaped_everywhere(site: Site) -> None:
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &quot;Tri&quot; &amp; &lt;b&gt;co"
    for path in files(site, ".html"):
        assert "<script>" not in path.read_text("utf-8")
        assert "<b>co" not in path.read_text("utf-8")
    assert escaped in site.read("fr/index.html")
    assert f"<h1>{escaped}&lt;/b&gt;</h1>" in site.page("fr", HOSTILE)
    feed = ElementTree.parse(site.root / "en" / "feed.atom").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert f"Published in the register: {HOSTILE}" in titles


def test_the_index_lists_current_entries_with_filters_by_department_and_status(
    site: Site,
) -> None:
    index = site.read("fr/index.html")
    for project in ("Priorisation des demandes", "Menus des cantines", "Tableau de bord retiré"):
        assert project in index
    assert "Projet dépublié" not in index
    assert 'href="department/education.html"' in index
    for status, label in (("in_use", "en service"), ("retired", "retiré du service")):
        assert f'href="status/{status}.html">{label}</a>' in index
    retired = site.read("en/status/retired.html")
    assert "Tableau de bord retiré" in retired and "Menus des cantines" not in retired
    assert "Education" in site.read("en/department/education.html")
    assert "Status: in development" in site.read("en/status/in_development.html")


def test_an_algorithm_page_tells_the_criteria_by_label_and_the_decision_by_role(
    site: Site,
) -> None:
    page = site.page("fr", HOSTILE)
    flow = load_bundled()
    for question in flow.questions:
        assert f">{question.id}<" not in page and f" {question.id} " not in page
    for rule in flow.rules:
        assert rule.id not in page
    assert "Le système traite-t-il des données personnelles ?</dt><dd>Oui</dd>" in page
    assert "Conformité juridique et cybersécurité" in page
    assert re.search(
        r"Un responsable de la direction a confirmé l&#x27;orientation examen "
        r"approfondi le \d{4}-\d{2}-\d{2}\.",
        page,
    )
    assert "Contrôle humain (règle de la charte de 2019)" in page
    assert 'href="mailto:numerique@example.org"' in page
    assert "Décisions individuelles : vos droits" not in page
    assert "Nouvelle version" not in site.page("fr", "Menus des cantines")


def test_overrides_individual_decisions_and_untranslated_texts_are_said(site: Site) -> None:
    page = site.page("en", "Priorisation des demandes")
    assert re.search(
        r"A reviewer of the department replaced the orientation \w[\w ]* with "
        r"light track on \d{4}-\d{2}-\d{2}",
        page,
    )
    assert "Individual decisions: your rights" in page and "CADA" in page
    assert "<p>Ranks the requests.</p>" in page
    assert '<div lang="fr"><p>Mission de service public' in page
    french = site.page("fr", "Priorisation des demandes")
    assert "L312-1-3" in french and "<p>Priorise les demandes.</p>" in french


def test_a_retriaged_project_keeps_one_page_with_its_history(site: Site) -> None:
    page = site.page("en", "Menus des cantines")
    history = page.split("History of the triages</h2>")[1].split("</ol>")[0]
    assert history.count("<li>") == 2
    assert history.count("(the published triage)") == 1
    assert "the grid asks for no review" in page
    documents = json.loads(site.read("en/register.json"))
    assert [d["name"] for d in documents].count("Menus des cantines") == 1


def test_the_rules_page_publishes_every_question_rule_and_version(site: Site) -> None:
    flow = load_bundled()
    for lang in ("fr", "en"):
        page = site.read(f"{lang}/rules.html")
        for question in flow.questions:
            assert f"<strong>{question.id}</strong>" in page
        for rule in flow.rules:
            assert f"<strong>{rule.id}</strong>" in page
        assert flow.sha256 in page
        assert "<img" not in page
    english = site.read("en/rules.html")
    assert "version 1 of" in english and "flow shipped with Boussole" in english
    assert "Asked if</dt><dd>DI1 ≠ No</dd>" in english


def test_the_json_download_validates_against_the_eurocities_schema(site: Site) -> None:
    schema = eurocities_schema()
    registry = Registry().with_resource(SCHEMA_FILE, DRAFT202012.create_resource(schema))
    validator = Draft202012Validator(
        {"$ref": f"{SCHEMA_FILE}#/$defs/register"},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    for lang in ("fr", "en"):
        documents = json.loads(site.read(f"{lang}/register.json"))
        assert len(documents) == 4
        errors = [e.message for e in validator.iter_errors(documents)]
        assert errors == []
        assert {d["lang"] for d in documents} == {lang}
        assert all(
            d["website"].startswith(f"https://registre.example.org/{lang}/algorithms/")
            for d in documents
        )
    broken = [dict(documents[0], status="live")]
    assert [e.validator for e in validator.iter_errors(broken)] == ["enum"]


def test_the_csv_follows_the_standard_template(site: Site) -> None:
    rows = list(csv.reader(site.read("fr/register.csv").splitlines(), delimiter=";"))
    assert rows[0] == list(eurocities_schema()["properties"])
    assert len(rows[0]) == 49 and len(rows) == 5
    assert site.read("fr/register.csv").startswith('"name";"description_short";')


def test_the_feed_lists_every_change_newest_first(site: Site) -> None:
    feed = ElementTree.parse(site.root / "fr" / "feed.atom").getroot()
    entries = list(feed.iter(f"{ATOM}entry"))
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles[0] == "Un algorithme a été retiré du registre"
    assert not [title for title in titles if "Projet dépublié" in title]
    assert "Fiche mise à jour : Menus des cantines" in titles
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == len(entries)
    links = {e.findtext(f"{ATOM}title"): e.find(f"{ATOM}link") for e in entries}
    assert links[titles[0]] is None
    current = links["Publié au registre : Tableau de bord retiré"].get("href")
    assert current.startswith("https://registre.example.org/fr/algorithms/")
