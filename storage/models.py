"""Tables. The ORM classes define the schema (and Alembic's target); the per-turn path uses
their `__table__` through SQLAlchemy Core, which costs a fraction of an ORM unit of work.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage import limits


class Base(DeclarativeBase):
    pass


class FlowVersion(Base):
    """A published flow, immutable: triages keep the version they started with."""

    __tablename__ = "flow_versions"
    __table_args__ = (UniqueConstraint("flow_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    flow_id: Mapped[str] = mapped_column(String(limits.IDENTIFIER))
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(limits.DIGEST), index=True)
    source: Mapped[str] = mapped_column(Text)
    document: Mapped[Any] = mapped_column(JSON)
    published_by: Mapped[str] = mapped_column(String(limits.NAME))
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(String(limits.NOTE), default="")


class Actor(Base):
    """The only link between a pseudonym and a platform identity; erasing a person deletes
    this row, so the chained audit rows, which name pseudonyms, never change."""

    __tablename__ = "actors"
    __table_args__ = (UniqueConstraint("platform", "user_id"),)

    pseudonym: Mapped[str] = mapped_column(String(limits.PSEUDONYM), primary_key=True)
    platform: Mapped[str] = mapped_column(String(limits.PLATFORM))
    user_id: Mapped[str] = mapped_column(String(limits.USER_ID))


class Triage(Base):
    __tablename__ = "triages"
    __table_args__ = (Index("ix_triages_owner_updated", "owner", "updated_at"),)

    id: Mapped[str] = mapped_column(String(limits.TRIAGE_ID), primary_key=True)
    flow_version_id: Mapped[int] = mapped_column(ForeignKey("flow_versions.id"))
    owner: Mapped[str] = mapped_column(String(limits.PSEUDONYM))
    platform: Mapped[str] = mapped_column(String(limits.PLATFORM))
    lang: Mapped[str] = mapped_column(String(limits.LANG))
    status: Mapped[str] = mapped_column(String(limits.STATE))
    current_question: Mapped[str | None] = mapped_column(String(limits.IDENTIFIER), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(limits.STATE), nullable=True)
    revision: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    previous_result: Mapped[Any] = mapped_column(JSON, nullable=True)
    """The result of the triage this one revises, as it stood when the re-triage began, so
    that the new result can show what changed."""
    revises: Mapped[str | None] = mapped_column(ForeignKey("triages.id"), nullable=True, index=True)
    """A re-triage is a new triage: the one it re-does stays whole, viewable and exported."""
    owner_salt: Mapped[str | None] = mapped_column(String(limits.PSEUDONYM), nullable=True)
    """The key of the alias under which this triage's audit chain names its owner; retention
    and erasure delete it, which leaves the chain intact and linked to nobody."""

    __mapper_args__ = {"version_id_col": revision}  # noqa: RUF012


class AnswerRow(Base):
    """One row per question: the answers are the source of truth of a triage."""

    __tablename__ = "answers"

    triage_id: Mapped[str] = mapped_column(
        ForeignKey("triages.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(String(limits.IDENTIFIER), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    value: Mapped[Any] = mapped_column(JSON)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProcessedEvent(Base):
    """Idempotency keys: a platform retry of an event already handled changes nothing. Keys
    are keyed digests (storage.keys), pruned after a week."""

    __tablename__ = "processed_events"

    platform: Mapped[str] = mapped_column(String(limits.PLATFORM), primary_key=True)
    key: Mapped[str] = mapped_column(String(limits.DIGEST), primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """Append-only. Each row hashes its predecessor in the same chain (one chain per triage,
    plus `admin`), so that an edited, deleted or reordered row shows; `log_index` places the
    row in the one sequence over all chains that signed checkpoints cover (given after
    commit, see storage/audit_log.py), so that deleting a chain's last rows shows too."""

    __tablename__ = "audit_events"
    __table_args__ = (
        UniqueConstraint("chain", "seq"),
        Index("ix_audit_events_log_index", "log_index", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chain: Mapped[str] = mapped_column(String(limits.CHAIN))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(limits.KIND))
    actor: Mapped[str] = mapped_column(String(limits.ACTOR))
    payload: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    prev_hash: Mapped[str] = mapped_column(String(limits.DIGEST))
    hash: Mapped[str] = mapped_column(String(limits.DIGEST))
    log_index: Mapped[int | None] = mapped_column(Integer, nullable=True)


class AuditCheckpoint(Base):
    """A signed checkpoint, as written to the checkpoint file. Kept here for convenience
    only: this is the database the checkpoints protect, so verification trusts the copies
    kept outside it. `frontier` lets the next checkpoint extend this one without reading the
    whole log again; it is checked against the signed root before use."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tree_size: Mapped[int] = mapped_column(Integer, index=True)
    line: Mapped[str] = mapped_column(Text)
    frontier: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OutboxMessage(Base):
    """A notification written in the same transaction as the result that causes it, then
    delivered by a notifier at least once: a crash never loses one."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(limits.DIGEST), unique=True)
    triage_id: Mapped[str] = mapped_column(String(limits.TRIAGE_ID), index=True)
    kind: Mapped[str] = mapped_column(String(limits.KIND))
    platform: Mapped[str] = mapped_column(String(limits.PLATFORM))
    recipient: Mapped[str] = mapped_column(String(limits.USER_ID))
    payload: Mapped[Any] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(limits.STATE))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_error: Mapped[str] = mapped_column(String(limits.NOTE), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    posted: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    """Where the delivered copy is (a Slack channel and ts, a Teams conversation reference and
    activity id), for the notices a later event changes: a review request once decided."""


class ConversationRef(Base):
    """Where to reach a person proactively on a platform (a Slack DM channel, a Teams
    conversation reference as JSON, never pickled)."""

    __tablename__ = "conversation_refs"

    platform: Mapped[str] = mapped_column(String(limits.PLATFORM), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(limits.USER_ID), primary_key=True)
    reference: Mapped[Any] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Department(Base):
    """The directory of departments (P2's choices), seeded from the directory file on a new
    database and edited by admins afterwards."""

    __tablename__ = "departments"

    id: Mapped[str] = mapped_column(String(limits.IDENTIFIER), primary_key=True)
    name_fr: Mapped[str] = mapped_column(String(limits.NAME))
    name_en: Mapped[str] = mapped_column(String(limits.NAME))
    position: Mapped[int] = mapped_column(Integer)


class Reviewer(Base):
    """A reviewer of a department (`autre` holds the default reviewers)."""

    __tablename__ = "reviewers"

    department_id: Mapped[str] = mapped_column(String(limits.IDENTIFIER), primary_key=True)
    reviewer: Mapped[str] = mapped_column(String(limits.MEMBER_COLUMN), primary_key=True)


class Admin(Base):
    __tablename__ = "admins"

    member: Mapped[str] = mapped_column(String(limits.MEMBER_COLUMN), primary_key=True)


class Meta(Base):
    """One-off facts about the database, such as whether the directory was seeded."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(limits.META_KEY), primary_key=True)
    value: Mapped[str] = mapped_column(String(limits.META_VALUE))


class FlowUpload(Base):
    """A flow file an admin sent in chat, checked and waiting for the confirmation button;
    kept in the database so that any instance can publish it."""

    __tablename__ = "flow_uploads"

    sha256: Mapped[str] = mapped_column(String(limits.DIGEST), primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    uploaded_by: Mapped[str] = mapped_column(String(limits.MEMBER_COLUMN))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Review(Base):
    """The human decision on a flagged triage: the bot only proposes an orientation."""

    __tablename__ = "reviews"

    triage_id: Mapped[str] = mapped_column(String(limits.TRIAGE_ID), primary_key=True)
    department: Mapped[str] = mapped_column(String(limits.IDENTIFIER))
    status: Mapped[str] = mapped_column(String(limits.STATE))
    proposed_outcome: Mapped[str] = mapped_column(String(limits.STATE))
    reviewer: Mapped[str | None] = mapped_column(String(limits.PSEUDONYM), nullable=True)
    decision: Mapped[str | None] = mapped_column(String(limits.STATE), nullable=True)
    final_outcome: Mapped[str | None] = mapped_column(String(limits.STATE), nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    pending_outcome: Mapped[str | None] = mapped_column(String(limits.STATE), nullable=True)
    pending_by: Mapped[str | None] = mapped_column(String(limits.PSEUDONYM), nullable=True)
    revision: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class RegisterEntry(Base):
    """One publication of a finished triage in the public algorithm register. Unpublishing
    or publishing a re-triage never deletes a row: it marks it withdrawn, with its date, so
    that the register keeps its history and the feed of changes can say what left it.
    `entry` names the algorithm across re-triages (the Eurocities `uuid`)."""

    __tablename__ = "register_entries"
    __table_args__ = (Index("ix_register_entries_triage", "triage_id", "withdrawn_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry: Mapped[str] = mapped_column(String(limits.UUID), index=True)
    triage_id: Mapped[str] = mapped_column(ForeignKey("triages.id"))
    details: Mapped[Any] = mapped_column(JSON)
    """The checked details file (bot.register_details), as a document."""
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    withdrawn_because: Mapped[str | None] = mapped_column(String(limits.STATE), nullable=True)
    """`unpublished`, or `superseded` when the publication of a re-triage replaced it."""


class MatrixSync(Base):
    """Where the Matrix adapter's /sync stopped (`next_batch`), saved once the events of a
    batch are handled: a restart neither replays nor loses messages."""

    __tablename__ = "matrix_sync"

    account: Mapped[str] = mapped_column(String(limits.MATRIX_ID), primary_key=True)
    next_batch: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MatrixLease(Base):
    """Which process syncs a Matrix device, until when: every encrypted message advances the
    device's Olm state, so two processes syncing it at once would make it diverge. The holder
    renews it while it syncs; another process takes it over once it has run out."""

    __tablename__ = "matrix_leases"

    account: Mapped[str] = mapped_column(String(limits.MATRIX_ID), primary_key=True)
    device: Mapped[str] = mapped_column(String(limits.MATRIX_ID), primary_key=True)
    holder: Mapped[str] = mapped_column(String(limits.IDENTIFIER))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MatrixRoom(Base):
    """A room the Matrix bot talks in: whose direct room it is (where notices go), its
    language, and the question it last asked there, which the next message answers."""

    __tablename__ = "matrix_rooms"

    room_id: Mapped[str] = mapped_column(String(limits.MATRIX_ID), primary_key=True)
    direct_user: Mapped[str | None] = mapped_column(
        String(limits.MATRIX_ID), nullable=True, index=True
    )
    lang: Mapped[str] = mapped_column(String(limits.LANG))
    triage_id: Mapped[str | None] = mapped_column(String(limits.TRIAGE_ID), nullable=True)
    question_id: Mapped[str | None] = mapped_column(String(limits.IDENTIFIER), nullable=True)
    question_event: Mapped[str | None] = mapped_column(String(limits.MATRIX_ID), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
