"""Tables, declared with SQLAlchemy Core on one `MetaData` (Alembic's target).

Every query goes through Core: nothing here needs the ORM, whose import (60-100 ms of CPU)
a command would otherwise pay at start for declarative classes it only read `__table__` from.
The names those classes had are kept, each holding its table as `__table__`, so that the
modules and migrations that read `Model.__table__` and `Base.metadata` are unchanged.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from storage import limits

metadata = MetaData()


class Base:
    """The declarative base's old name for the schema: `Base.metadata` is every table."""

    metadata = metadata


class _Declared:
    """One table under the name its declarative class had (`Triage.__table__`), usable where
    the class was, as in `select(func.count()).select_from(Triage)`."""

    __slots__ = ("__table__",)

    def __init__(self, table: Table) -> None:
        self.__table__ = table

    def __clause_element__(self) -> Table:
        return self.__table__


FlowVersion = _Declared(
    Table(
        "flow_versions",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("flow_id", String(limits.IDENTIFIER), nullable=False),
        Column("version", Integer, nullable=False),
        Column("sha256", String(limits.DIGEST), index=True, nullable=False),
        Column("source", Text, nullable=False),
        Column("document", JSON, nullable=False),
        Column("published_by", String(limits.NAME), nullable=False),
        Column("published_at", DateTime(timezone=True), nullable=False),
        Column("note", String(limits.NOTE), default="", nullable=False),
        UniqueConstraint("flow_id", "version"),
    )
)
"""A published flow, immutable: triages keep the version they started with."""


Actor = _Declared(
    Table(
        "actors",
        metadata,
        Column("pseudonym", String(limits.PSEUDONYM), primary_key=True),
        Column("platform", String(limits.PLATFORM), nullable=False),
        Column("user_id", String(limits.USER_ID), nullable=False),
        UniqueConstraint("platform", "user_id"),
    )
)
"""The only link between a pseudonym and a platform identity; erasing a person deletes this row, so
the chained audit rows, which name pseudonyms, never change."""


Triage = _Declared(
    Table(
        "triages",
        metadata,
        Column("id", String(limits.TRIAGE_ID), primary_key=True),
        Column("flow_version_id", Integer, ForeignKey("flow_versions.id"), nullable=False),
        Column("owner", String(limits.PSEUDONYM), nullable=False),
        Column("platform", String(limits.PLATFORM), nullable=False),
        Column("lang", String(limits.LANG), nullable=False),
        Column("status", String(limits.STATE), nullable=False),
        Column("current_question", String(limits.IDENTIFIER), nullable=True),
        Column("outcome", String(limits.STATE), nullable=True),
        Column("revision", Integer, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        Column("completed_at", DateTime(timezone=True), nullable=True),
        Column("previous_result", JSON, nullable=True),
        Column(
            "revises", String(limits.TRIAGE_ID), ForeignKey("triages.id"), nullable=True, index=True
        ),
        Column("owner_salt", String(limits.PSEUDONYM), nullable=True),
        Index("ix_triages_owner_updated", "owner", "updated_at"),
    )
)
"""`previous_result`: The result of the triage this one revises, as it stood when the re-triage
began, so that the new result can show what changed.

`revises`: A re-triage is a new triage: the one it re-does stays whole, viewable and exported.

`owner_salt`: The key of the alias under which this triage's audit chain names its owner;
retention and erasure delete it, which leaves the chain intact and linked to nobody."""


AnswerRow = _Declared(
    Table(
        "answers",
        metadata,
        Column(
            "triage_id",
            String(limits.TRIAGE_ID),
            ForeignKey("triages.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column("question_id", String(limits.IDENTIFIER), primary_key=True),
        Column("position", Integer, nullable=False),
        Column("value", JSON, nullable=False),
        Column("answered_at", DateTime(timezone=True), nullable=False),
    )
)
"""One row per question: the answers are the source of truth of a triage."""


ProcessedEvent = _Declared(
    Table(
        "processed_events",
        metadata,
        Column("platform", String(limits.PLATFORM), primary_key=True),
        Column("key", String(limits.DIGEST), primary_key=True),
        Column("processed_at", DateTime(timezone=True), nullable=False),
    )
)
"""Idempotency keys: a platform retry of an event already handled changes nothing. Keys are keyed
digests (storage.keys), pruned after a week."""


AuditEvent = _Declared(
    Table(
        "audit_events",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("chain", String(limits.CHAIN), nullable=False),
        Column("seq", Integer, nullable=False),
        Column("kind", String(limits.KIND), nullable=False),
        Column("actor", String(limits.ACTOR), nullable=False),
        Column("payload", JSON, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("prev_hash", String(limits.DIGEST), nullable=False),
        Column("hash", String(limits.DIGEST), nullable=False),
        Column("log_index", Integer, nullable=True),
        UniqueConstraint("chain", "seq"),
        Index("ix_audit_events_log_index", "log_index", unique=True),
    )
)
"""Append-only. Each row hashes its predecessor in the same chain (one chain per triage, plus
`admin`), so that an edited, deleted or reordered row shows; `log_index` places the row in the
one sequence over all chains that signed checkpoints cover (given after commit, see
storage/audit_log.py), so that deleting a chain's last rows shows too."""


AuditCheckpoint = _Declared(
    Table(
        "audit_checkpoints",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("tree_size", Integer, index=True, nullable=False),
        Column("line", Text, nullable=False),
        Column("frontier", JSON, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )
)
"""A signed checkpoint, as written to the checkpoint file. Kept here for convenience only: this is
the database the checkpoints protect, so verification trusts the copies kept outside it.
`frontier` lets the next checkpoint extend this one without reading the whole log again; it is
checked against the signed root before use."""


OutboxMessage = _Declared(
    Table(
        "outbox",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("key", String(limits.DIGEST), unique=True, nullable=False),
        Column("triage_id", String(limits.TRIAGE_ID), index=True, nullable=False),
        Column("kind", String(limits.KIND), nullable=False),
        Column("platform", String(limits.PLATFORM), nullable=False),
        Column("recipient", String(limits.USER_ID), nullable=False),
        Column("payload", JSON, nullable=False),
        Column("status", String(limits.STATE), nullable=False),
        Column("attempts", Integer, default=0, nullable=False),
        Column("next_attempt_at", DateTime(timezone=True), nullable=False),
        Column("delivered_at", DateTime(timezone=True), nullable=True),
        Column("last_error", String(limits.NOTE), default="", nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("posted", JSON, nullable=True),
        Index("ix_outbox_due", "status", "next_attempt_at"),
    )
)
"""A notification written in the same transaction as the result that causes it, then delivered by a
notifier at least once: a crash never loses one.

`posted`: Where the delivered copy is (a Slack channel and ts, a Teams conversation reference
and activity id), for the notices a later event changes: a review request once decided."""


ConversationRef = _Declared(
    Table(
        "conversation_refs",
        metadata,
        Column("platform", String(limits.PLATFORM), primary_key=True),
        Column("user_id", String(limits.USER_ID), primary_key=True),
        Column("reference", JSON, nullable=False),
        Column("active", Boolean, default=True, nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )
)
"""Where to reach a person proactively on a platform (a Slack DM channel, a Teams conversation
reference as JSON, never pickled)."""


Department = _Declared(
    Table(
        "departments",
        metadata,
        Column("id", String(limits.IDENTIFIER), primary_key=True),
        Column("name_fr", String(limits.NAME), nullable=False),
        Column("name_en", String(limits.NAME), nullable=False),
        Column("position", Integer, nullable=False),
    )
)
"""The directory of departments (P2's choices), seeded from the directory file on a new database
and edited by admins afterwards."""


Reviewer = _Declared(
    Table(
        "reviewers",
        metadata,
        Column("department_id", String(limits.IDENTIFIER), primary_key=True),
        Column("reviewer", String(limits.MEMBER_COLUMN), primary_key=True),
    )
)
"""A reviewer of a department (`autre` holds the default reviewers)."""


Admin = _Declared(
    Table(
        "admins",
        metadata,
        Column("member", String(limits.MEMBER_COLUMN), primary_key=True),
    )
)


Meta = _Declared(
    Table(
        "meta",
        metadata,
        Column("key", String(limits.META_KEY), primary_key=True),
        Column("value", String(limits.META_VALUE), nullable=False),
    )
)
"""One-off facts about the database, such as whether the directory was seeded."""


FlowUpload = _Declared(
    Table(
        "flow_uploads",
        metadata,
        Column("sha256", String(limits.DIGEST), primary_key=True),
        Column("source", Text, nullable=False),
        Column("uploaded_by", String(limits.MEMBER_COLUMN), nullable=False),
        Column("uploaded_at", DateTime(timezone=True), nullable=False),
    )
)
"""A flow file an admin sent in chat, checked and waiting for the confirmation button; kept in the
database so that any instance can publish it."""


Review = _Declared(
    Table(
        "reviews",
        metadata,
        Column("triage_id", String(limits.TRIAGE_ID), primary_key=True),
        Column("department", String(limits.IDENTIFIER), nullable=False),
        Column("status", String(limits.STATE), nullable=False),
        Column("proposed_outcome", String(limits.STATE), nullable=False),
        Column("reviewer", String(limits.PSEUDONYM), nullable=True),
        Column("decision", String(limits.STATE), nullable=True),
        Column("final_outcome", String(limits.STATE), nullable=True),
        Column("comment", Text, default="", nullable=False),
        Column("pending_outcome", String(limits.STATE), nullable=True),
        Column("pending_by", String(limits.PSEUDONYM), nullable=True),
        Column("revision", Integer, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("decided_at", DateTime(timezone=True), nullable=True),
    )
)
"""The human decision on a flagged triage: the bot only proposes an orientation."""


RegisterEntry = _Declared(
    Table(
        "register_entries",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("entry", String(limits.UUID), index=True, nullable=False),
        Column("triage_id", String(limits.TRIAGE_ID), ForeignKey("triages.id"), nullable=False),
        Column("details", JSON, nullable=False),
        Column("published_at", DateTime(timezone=True), nullable=False),
        Column("withdrawn_at", DateTime(timezone=True), nullable=True),
        Column("withdrawn_because", String(limits.STATE), nullable=True),
        Index("ix_register_entries_triage", "triage_id", "withdrawn_at"),
    )
)
"""One publication of a finished triage in the public algorithm register. Unpublishing or
publishing a re-triage never deletes a row: it marks it withdrawn, with its date, so that the
register keeps its history and the feed of changes can say what left it. `entry` names the
algorithm across re-triages (the Eurocities `uuid`).

`details`: The checked details file (bot.register_details), as a document.

`withdrawn_because`: `unpublished`, or `superseded` when the publication of a re-triage replaced
it."""


MatrixSync = _Declared(
    Table(
        "matrix_sync",
        metadata,
        Column("account", String(limits.MATRIX_ID), primary_key=True),
        Column("next_batch", Text, nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )
)
"""Where the Matrix adapter's /sync stopped (`next_batch`), saved once the events of a batch are
handled: a restart neither replays nor loses messages."""


MatrixLease = _Declared(
    Table(
        "matrix_leases",
        metadata,
        Column("account", String(limits.MATRIX_ID), primary_key=True),
        Column("device", String(limits.MATRIX_ID), primary_key=True),
        Column("holder", String(limits.IDENTIFIER), nullable=False),
        Column("expires_at", DateTime(timezone=True), nullable=False),
    )
)
"""Which process syncs a Matrix device, until when: every encrypted message advances the device's
Olm state, so two processes syncing it at once would make it diverge. The holder renews it while
it syncs; another process takes it over once it has run out."""


MatrixRoom = _Declared(
    Table(
        "matrix_rooms",
        metadata,
        Column("room_id", String(limits.MATRIX_ID), primary_key=True),
        Column("direct_user", String(limits.MATRIX_ID), nullable=True, index=True),
        Column("lang", String(limits.LANG), nullable=False),
        Column("triage_id", String(limits.TRIAGE_ID), nullable=True),
        Column("question_id", String(limits.IDENTIFIER), nullable=True),
        Column("question_event", String(limits.MATRIX_ID), nullable=True),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )
)
"""A room the Matrix bot talks in: whose direct room it is (where notices go), its language, and
the question it last asked there, which the next message answers."""
