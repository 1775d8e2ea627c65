"""The unit of work is composed of one repository per aggregate: none may shadow another's
method, and the statistics' reads give the committee the triages and reviews it counts."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from storage.base import Repository, now
from storage.repository import Transaction, TriageRecord


def test_no_repository_shadows_another() -> None:
    """Mixins share one namespace: a method two aggregates both defined would silently answer
    for only one of them, by the order of Transaction's bases."""
    owners: dict[str, list[str]] = {}
    repositories = [base for base in Transaction.__mro__ if issubclass(base, Repository)]
    for repository in repositories:
        if repository in (Transaction, Repository):
            continue
        for name in vars(repository):
            if not name.startswith("__"):
                owners.setdefault(name, []).append(repository.__name__)
    assert {name: found for name, found in owners.items() if len(found) > 1} == {}
    assert len(repositories) > 10  # the composition is what this test looked at


def _triage(tx: Transaction, triage_id: str, completed_days_ago: int | None) -> None:
    stamp = now()
    version = tx.versions_of()[0]
    completed = None if completed_days_ago is None else stamp - timedelta(days=completed_days_ago)
    tx.insert_triage(
        TriageRecord(
            id=triage_id,
            flow_version_id=version.id,
            owner=tx.pseudonym("slack", f"U{triage_id}"),
            platform="slack",
            lang="fr",
            status="in_progress" if completed is None else "completed",
            current_question=None,
            outcome=None if completed is None else "ok",
            revision=1,
            created_at=stamp - timedelta(days=30),
            updated_at=stamp,
            completed_at=completed,
        )
    )


def test_statistics_read_completed_triages_since_a_day_and_decided_reviews(app: App) -> None:
    with app.store.transaction() as tx:
        _triage(tx, "ongoing", None)
        _triage(tx, "recent", 1)
        _triage(tx, "older", 10)
        for triage_id in ("recent", "older"):
            tx.open_review(triage_id, "dsi", "high_risk")
        tx.update_review("older", 1, status="decided", decided_at=now())
    with app.store.reading() as tx:
        assert {t.id for t in tx.completed_since(None)} == {"recent", "older"}
        assert {t.id for t in tx.completed_since(now() - timedelta(days=5))} == {"recent"}
        assert [review.triage_id for review in tx.decided_reviews()] == ["older"]
