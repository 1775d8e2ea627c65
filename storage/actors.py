"""People: the one link between a pseudonym and a platform identity, where to reach each
person, and the deletions of erasure and retention that cut those links."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage import limits, turn_sql
from storage.base import Repository, now
from storage.directory import admins, reviewers
from storage.models import Actor, ConversationRef
from storage.outbox import outbox
from storage.triages import triages

actors = Actor.__table__
conversation_refs = ConversationRef.__table__


def _upsert(dialect: str) -> Any:
    """The dialect's INSERT … ON CONFLICT. PostgreSQL's dialect is imported here, on use: it
    costs 60 ms of CPU to import, which a command on SQLite would pay for nothing."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert
    return {"sqlite": sqlite_insert}[dialect]


class ActorRepository(Repository):
    def pseudonym(self, platform: str, user_id: str) -> str:
        """The person's pseudonym, made on first contact; TooLong for an id its column
        could not hold (a platform's ids are far shorter: only a forged one can be)."""
        found = self.find_pseudonym(platform, user_id)
        if found is not None:
            return found
        limits.check("platform", platform, limits.PLATFORM)
        limits.check("user_id", user_id, limits.USER_ID)
        pseudonym = secrets.token_hex(8)
        self._write(turn_sql.ADD_ACTOR, pseudonym=pseudonym, platform=platform, user_id=user_id)
        return pseudonym

    def find_pseudonym(self, platform: str, user_id: str) -> str | None:
        return self.connection.execute(
            select(actors.c.pseudonym).where(
                actors.c.platform == platform, actors.c.user_id == user_id
            )
        ).scalar()

    def identity(self, pseudonym: str) -> tuple[str, str] | None:
        row = self.connection.execute(
            select(actors.c.platform, actors.c.user_id).where(actors.c.pseudonym == pseudonym)
        ).first()
        return None if row is None else (row[0], row[1])

    def save_conversation(self, platform: str, user_id: str, reference: dict[str, Any]) -> None:
        """Insert or refresh where to reach a person, in one statement: a person's first
        messages can arrive together on several threads or instances, and a delete followed
        by an insert lets two of them insert at once."""
        upsert = _upsert(self.connection.dialect.name)
        values = {"reference": reference, "active": True, "updated_at": now()}
        self.connection.execute(
            upsert(conversation_refs)
            .values(platform=platform, user_id=user_id, **values)
            .on_conflict_do_update(index_elements=["platform", "user_id"], set_=values)
        )

    def conversation(self, platform: str, user_id: str) -> dict[str, Any] | None:
        row = self.connection.execute(
            select(conversation_refs.c.reference).where(
                conversation_refs.c.platform == platform,
                conversation_refs.c.user_id == user_id,
                conversation_refs.c.active.is_(True),
            )
        ).first()
        return None if row is None else row.reference

    def deactivate_conversation(self, platform: str, user_id: str) -> None:
        self.connection.execute(
            update(conversation_refs)
            .where(conversation_refs.c.platform == platform, conversation_refs.c.user_id == user_id)
            .values(active=False, updated_at=now())
        )

    def erase_person(self, platform: str, user_id: str) -> tuple[str | None, int]:
        """Delete the only link between a person and their pseudonym, their roles,
        conversation references and the notices addressed to them, and the keys of their
        owner aliases; chained audit rows never change. Returns (pseudonym, the number of
        triages left under it)."""
        pseudonym = self.find_pseudonym(platform, user_id)
        member = f"{platform}:{user_id}"
        self.connection.execute(delete(reviewers).where(reviewers.c.reviewer == member))
        self.connection.execute(delete(admins).where(admins.c.member == member))
        self.connection.execute(
            delete(conversation_refs).where(
                conversation_refs.c.platform == platform, conversation_refs.c.user_id == user_id
            )
        )
        self.connection.execute(
            delete(outbox).where(outbox.c.platform == platform, outbox.c.recipient == user_id)
        )
        if pseudonym is None:
            return None, 0
        self.connection.execute(delete(actors).where(actors.c.pseudonym == pseudonym))
        self.connection.execute(
            update(triages).where(triages.c.owner == pseudonym).values(owner_salt=None)
        )
        count = self.connection.execute(
            select(func.count()).select_from(triages).where(triages.c.owner == pseudonym)
        ).scalar()
        return pseudonym, int(count or 0)

    def forget_owner(self, triage_id: str, identity: tuple[str, str] | None) -> None:
        """Retention: the triage's owner becomes a pseudonym linked to nobody, the key of the
        owner's alias in its audit chain is deleted, and so are the notices of this triage
        addressed to the owner (`identity`, their platform and user id)."""
        self.connection.execute(
            update(triages)
            .where(triages.c.id == triage_id)
            .values(owner=secrets.token_hex(8), owner_salt=None)
        )
        if identity is not None:
            self.connection.execute(
                delete(outbox).where(
                    outbox.c.triage_id == triage_id,
                    outbox.c.platform == identity[0],
                    outbox.c.recipient == identity[1],
                )
            )
