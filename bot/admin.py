"""Administration from chat: the same operations as the command line, behind a role check.

Adapters call these with the actor of the message or click and draw the `AdminReply`; a
refusal is polite, changes nothing, and is written to the audit log like every admin action.
Every command that changes something takes the delivery's idempotency key and claims it in
the transaction of its writes, as engine turns do: a redelivered or replayed command, on any
instance and after any restart, changes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from bot.actors import actor_label, member_label, shown
from bot.app import App
from bot.directory import OTHER
from bot.events import Actor
from bot.i18n import t
from bot.members import ROLE_PLATFORMS, is_member
from bot.publishing import PublishRefused, identifier_problems, publish, simulate, too_long
from flows.loader import MAX_FLOW_BYTES, CheckResult, check_source
from storage import limits
from storage.limits import TooLong
from storage.repository import ADMIN_CHAIN, DuplicateEvent, Transaction


@dataclass(frozen=True)
class AdminReply:
    text: str
    ok: bool = True
    mermaid: str | None = None
    confirm_sha256: str | None = None
    """Set when a checked upload can be published: the confirmation button carries it."""
    duplicate: bool = False
    """A command already carried out, delivered again: it changed nothing this time."""


def member_of(actor: Actor) -> str:
    return f"{actor.platform}:{actor.user_id}"


def _claim(tx: Transaction, actor: Actor, key: str | None) -> None:
    if key is not None:
        tx.claim_event(actor.platform, key)


def _duplicate(lang: str) -> AdminReply:
    return AdminReply(t("duplicate_event", lang), ok=False, duplicate=True)


def _too_long(error: TooLong, lang: str) -> AdminReply:
    text = t("value_too_long", lang, field=error.field, length=error.length, max=error.limit)
    return AdminReply(text, ok=False)


def member_problem(member: str, lang: str, granting: bool = False) -> str | None:
    """Why `member` cannot be named: not `platform:user_id`, a part too long for its column,
    or, when `granting` a role, a platform where nobody could act on it; None when it can.
    Removing or looking up a member takes any platform, so that a role given before this
    check can still be taken back."""
    if not is_member(member):
        return t("member_invalid", lang, member=member)
    platform, _, user_id = member.partition(":")
    if granting and platform not in ROLE_PLATFORMS:
        return t("member_platform_unknown", lang, member=member, platform=platform)
    return too_long("platform", platform, limits.PLATFORM, lang) or too_long(
        "user_id", user_id, limits.USER_ID, lang
    )


def is_admin(tx: Transaction, actor: Actor) -> bool:
    return member_of(actor) in tx.admins()


class Admin:
    def __init__(self, app: App) -> None:
        self.app = app

    def refusal(
        self, actor: Actor, action: str, lang: str, key: str | None = None
    ) -> AdminReply | None:
        """None when the actor is an admin (the command claims `key` with its writes); else
        the refusal, audited once however often the command is delivered."""
        try:
            with self.app.store.transaction() as tx:
                if is_admin(tx, actor):
                    return None
                _claim(tx, actor, key)
                by = actor_label(tx, actor)
                tx.append_audit(ADMIN_CHAIN, "admin_refused", by, {"action": action})
        except DuplicateEvent:
            return _duplicate(lang)
        except TooLong as error:
            return _too_long(error, lang)
        return AdminReply(t("admin_refused", lang), ok=False)

    def _replayed(self, actor: Actor, key: str | None) -> bool:
        """A command already carried out, known before its costly checks are run again."""
        if key is None:
            return False
        with self.app.store.reading() as tx:
            return tx.claimed(actor.platform, key)

    def current_version(self, actor: Actor, lang: str, key: str | None = None) -> AdminReply:
        refused = self.refusal(actor, "version", lang, key)
        if refused:
            return refused
        with self.app.store.reading() as tx:
            record = self.app.catalog.latest(tx).record
            by = shown(tx, record.published_by)
        return AdminReply(
            t(
                "admin_version",
                lang,
                flow=record.flow_id,
                version=record.version,
                sha=record.sha256[:12],
                by=by,
                at=f"{record.published_at:%Y-%m-%d %H:%M}",
            )
        )

    def check_upload(
        self, actor: Actor, name: str, content: bytes, lang: str, key: str | None = None
    ) -> AdminReply:
        """Check a flow file and replay past triages on it; keep it for the confirm button."""
        refused = self.refusal(actor, "upload", lang, key)
        if refused:
            return refused
        if self._replayed(actor, key):
            return _duplicate(lang)
        if len(content) > MAX_FLOW_BYTES:
            return AdminReply(t("admin_upload_too_big", lang), ok=False)
        result = check_source(content, name)
        lines = [p.render(lang) for p in result.problems]
        if result.flow is None:
            return _refused(result, lang)
        from flows.diagram import mermaid

        flow = result.flow
        if flow.id != self.app.catalog.default_flow_id:
            return AdminReply(
                t(
                    "publish_other_flow",
                    lang,
                    flow=flow.id,
                    default=self.app.catalog.default_flow_id,
                ),
                ok=False,
            )
        too_long_ids = identifier_problems(flow, lang)
        if too_long_ids:
            return AdminReply("\n".join([t("admin_upload_errors", lang), *too_long_ids]), ok=False)
        simulation = simulate(self.app, flow, None)
        lines += [r.line(lang) for r in simulation.changed_outcomes]
        lines.append(simulation.summary(lang))
        sha256 = hashlib.sha256(content).hexdigest()
        try:
            with self.app.store.transaction() as tx:
                _claim(tx, actor, key)
                by = actor_label(tx, actor)
                tx.save_upload(sha256, content.decode("utf-8"), by)
                tx.append_audit(ADMIN_CHAIN, "flow_checked", by, {"sha256": sha256})
        except DuplicateEvent:
            return _duplicate(lang)
        text = "\n".join(
            [
                t("admin_upload_ok", lang, questions=len(flow.questions), rules=len(flow.rules)),
                *lines,
            ]
        )
        return AdminReply(text, mermaid=mermaid(flow, lang), confirm_sha256=sha256)

    def publish_upload(
        self, actor: Actor, sha256: str, lang: str, key: str | None = None
    ) -> AdminReply:
        """The confirmation button: the admin has seen the report, changes included."""
        refused = self.refusal(actor, "publish", lang, key)
        if refused:
            return refused
        if self._replayed(actor, key):
            return _duplicate(lang)
        with self.app.store.reading() as tx:
            source = tx.upload(sha256)
        if source is None:
            return AdminReply(t("admin_upload_unknown", lang), ok=False)
        result = check_source(source.encode("utf-8"), f"upload-{sha256[:12]}.yaml")
        if result.flow is None:
            return _refused(result, lang)
        simulation = simulate(self.app, result.flow, None)
        try:
            record = publish(
                self.app, result.flow, actor, "chat", simulation, True, False, lang, key
            )
        except PublishRefused as refusal:
            return AdminReply("\n".join(refusal.lines), ok=False)
        except DuplicateEvent:
            return _duplicate(lang)
        return AdminReply(
            t(
                "published",
                lang,
                flow=record.flow_id,
                version=record.version,
                sha=record.sha256[:12],
            )
        )

    def change_reviewer(
        self,
        actor: Actor,
        add: bool,
        department: str,
        member: str,
        lang: str,
        key: str | None = None,
    ) -> AdminReply:
        """The log names the reviewer by channel and pseudonym, like any actor: a platform
        id in a chained row could never be erased."""
        refused = self.refusal(actor, "reviewer", lang, key)
        if refused:
            return refused
        problem = member_problem(member, lang, granting=add)
        if problem is not None:
            return AdminReply(problem, ok=False)
        try:
            with self.app.store.transaction() as tx:
                _claim(tx, actor, key)
                if department != OTHER and department not in {d[0] for d in tx.departments()}:
                    return AdminReply(t("department_unknown", lang, id=department), ok=False)
                changed = (tx.add_reviewer if add else tx.remove_reviewer)(department, member)
                if changed:
                    kind = "reviewer_added" if add else "reviewer_removed"
                    tx.append_audit(
                        ADMIN_CHAIN,
                        kind,
                        actor_label(tx, actor),
                        {"department": department, "reviewer": member_label(tx, member)},
                    )
        except DuplicateEvent:
            return _duplicate(lang)
        self.app.directories.forget()
        return AdminReply(t("directory_changed" if changed else "directory_unchanged", lang))


def _refused(result: CheckResult, lang: str) -> AdminReply:
    """A flow with errors: the errors themselves, so that the admin knows what to fix."""
    problems = [p.render(lang) for p in result.problems]
    return AdminReply("\n".join([t("admin_upload_errors", lang), *problems]), ok=False)
