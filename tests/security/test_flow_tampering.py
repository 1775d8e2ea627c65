"""Rewriting a published flow in the database, by someone who can write to it.

A result is recomputed from a triage's answers and its version's stored document. Before,
rewriting a rule in that document (here C5-R3 made to never fire) changed the school-meals
triage's report, rules and conditions, while `boussole audit verify` said "intact": no
triage or audit row had changed. Now a process loading the version refuses a document that
is not its source's reading (`flows.loader.load_document`), and verify compares each stored
version with its publication in the log (the source's sha256) and its source's reading.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from adapters.console.cli import cli
from bot.app import App
from bot.audit import verify
from bot.flow_integrity import verify_flows
from bot.settings import Settings
from flows.flow_cache import document_key
from storage.integrity import UnreadableRecord
from storage.models import FlowVersion
from tests.bot.journeys import answer_all
from tests.cases import load_cases
from tests.security.restart import as_if_restarted

versions = FlowVersion.__table__
SCHOOL_MEALS = dict(load_cases(valid=True))["01-school-meals-grid-example"]["answers"]


def stored(app: App) -> dict[str, Any]:
    with app.store.reading() as tx:
        return dict(tx.versions_of()[0].__dict__)


def rewrite(app: App, **values: Any) -> None:
    with app.store.transaction() as tx:
        tx.connection.execute(update(versions).values(**values))


def never_fires(document: dict[str, Any], rule_id: str) -> dict[str, Any]:
    """The rule's first condition narrowed to a choice the case does not take."""
    changed = copy.deepcopy(document)
    for section in changed["sections"]:
        for rule in section.get("rules", []):
            if rule["id"] == rule_id:
                rule["when"]["all"][0] = {"in": {"C5-Q1": ["regles"]}}
    return changed


def audit_verify(settings: Settings, *args: str) -> Result:
    env = {
        "BOUSSOLE_DATABASE_URL": settings.database_url,
        "BOUSSOLE_DATA_DIR": str(settings.data_dir),
    }
    return CliRunner().invoke(cli, ["audit", "verify", *args], env=env)


def problems(app: App) -> list[str]:
    with app.store.reading() as tx:
        return [finding.problem for finding in verify_flows(tx)[1]]


def test_a_database_boussole_wrote_has_its_flows_as_published(app: App, settings: Settings) -> None:
    answer_all(app, SCHOOL_MEALS)
    result = audit_verify(settings, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Flows: 1 version as published." in result.output


def test_a_rule_rewritten_in_the_stored_flow_is_found(app: App, settings: Settings) -> None:
    triage_id, shown = answer_all(app, SCHOOL_MEALS)
    assert "C5-R3" in {rule.id for rule in shown.result.rules}
    rewrite(app, document=never_fires(stored(app)["document"], "C5-R3"))
    as_if_restarted(app)
    with app.store.reading() as tx:
        assert verify(tx)[1] == []  # the hash chains see nothing: no audit row changed
        with pytest.raises(UnreadableRecord) as refused:
            app.engine.result(tx, triage_id, "fr")
    assert refused.value.key == "boussole-nantes v1"
    assert "not its source's reading" in refused.value.value
    report = CliRunner().invoke(
        cli,
        ["report", triage_id, "--lang", "en"],
        env={
            "BOUSSOLE_DATABASE_URL": settings.database_url,
            "BOUSSOLE_DATA_DIR": str(settings.data_dir),
            "LOGNAME": "agent",
        },
    )
    assert report.exit_code == 1
    assert "Flow version boussole-nantes v1 cannot be read" in report.output
    result = audit_verify(settings)
    assert result.exit_code == 1
    assert "grille boussole-nantes v1 : la grille que suivent les analyses" in result.output
    assert "Journal d'audit altéré : 1 problème" in result.output


def test_a_source_rewritten_under_its_published_hash_is_found(app: App) -> None:
    source = stored(app)["source"]
    rewrite(app, source=source.replace("C5-R3", "C5-R9", 1))
    assert problems(app) == ["source_changed"]


def test_a_source_and_hash_rewritten_together_are_not_a_publication(app: App) -> None:
    source = stored(app)["source"].replace("C5-R3", "C5-R9", 1)
    rewrite(app, source=source, sha256=hashlib.sha256(source.encode()).hexdigest())
    assert problems(app) == ["not_published"]


def paths(document: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the document a value sits."""
    found = [prefix]
    if isinstance(document, dict):
        for key, value in document.items():
            found += paths(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += paths(value, (*prefix, index))
    return found


def replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    changed = copy.deepcopy(document)
    holder = changed
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = value
    return changed


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=4,
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_change_to_a_stored_flow_is_found(app: App, data: st.DataObject) -> None:
    original = stored(app)["document"]
    path = data.draw(st.sampled_from(paths(original)))
    document = replaced(original, path, data.draw(values))
    rewrite(app, document=document)
    try:
        changed = document_key(json.loads(json.dumps(document))) != document_key(original)
        assert problems(app) == (["document_changed"] if changed else [])
    finally:
        rewrite(app, document=original)
