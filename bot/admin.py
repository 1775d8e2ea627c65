"""Administration from chat: the same operations as the command line, behind a role check.

Adapters call these with the actor of the message or click and draw the `AdminReply`; a
refusal is polite, changes nothing, and is written to the audit log like every admin action.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from bot.app import App
from bot.directory import OTHER
from bot.events import Actor
from bot.i18n import t
from bot.notifications import is_member
from bot.publishing import PublishRefused, publish, simulate
from flows.loader import MAX_FLOW_BYTES, CheckResult, check_source
from storage.repository import ADMIN_CHAIN, Transaction


@dataclass(frozen=True)
class AdminReply:
    text: str
    ok: bool = True
    mermaid: str | None = None
    confirm_sha256: str | None = None
    """Set when a checked upload can be published: the confirmation button carries it."""


def member_of(actor: Actor) -> str:
    return f"{actor.platform}:{actor.user_id}"


def _pseudonym(tx: Transaction, actor: Actor) -> str:
    """The audit log names people by pseudonym only (see storage.models.Actor)."""
    return tx.pseudonym(actor.platform, actor.user_id)


def is_admin(tx: Transaction, actor: Actor) -> bool:
    return member_of(actor) in tx.admins()


class Admin:
    def __init__(self, app: App) -> None:
        self.app = app

    def refusal(self, actor: Actor, action: str, lang: str) -> AdminReply | None:
        """None when the actor is an admin; else the refusal, audited."""
        with self.app.store.transaction() as tx:
            if is_admin(tx, actor):
                return None
            tx.append_audit(ADMIN_CHAIN, "admin_refused", _pseudonym(tx, actor), {"action": action})
        return AdminReply(t("admin_refused", lang), ok=False)

    def current_version(self, actor: Actor, lang: str) -> AdminReply:
        refused = self.refusal(actor, "version", lang)
        if refused:
            return refused
        with self.app.store.reading() as tx:
            record = self.app.catalog.latest(tx).record
        return AdminReply(
            t(
                "admin_version",
                lang,
                flow=record.flow_id,
                version=record.version,
                sha=record.sha256[:12],
                by=record.published_by,
                at=f"{record.published_at:%Y-%m-%d %H:%M}",
            )
        )

    def check_upload(self, actor: Actor, name: str, content: bytes, lang: str) -> AdminReply:
        """Check a flow file and replay past triages on it; keep it for the confirm button."""
        refused = self.refusal(actor, "upload", lang)
        if refused:
            return refused
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
        simulation = simulate(self.app, flow, None)
        lines += [r.line(lang) for r in simulation.changed_outcomes]
        lines.append(simulation.summary(lang))
        sha256 = hashlib.sha256(content).hexdigest()
        with self.app.store.transaction() as tx:
            tx.save_upload(sha256, content.decode("utf-8"), member_of(actor))
            tx.append_audit(ADMIN_CHAIN, "flow_checked", _pseudonym(tx, actor), {"sha256": sha256})
        text = "\n".join(
            [
                t("admin_upload_ok", lang, questions=len(flow.questions), rules=len(flow.rules)),
                *lines,
            ]
        )
        return AdminReply(text, mermaid=mermaid(flow, lang), confirm_sha256=sha256)

    def publish_upload(self, actor: Actor, sha256: str, lang: str) -> AdminReply:
        """The confirmation button: the admin has seen the report, changes included."""
        refused = self.refusal(actor, "publish", lang)
        if refused:
            return refused
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
                self.app, result.flow, member_of(actor), "chat", simulation, True, False, lang
            )
        except PublishRefused as refusal:
            return AdminReply("\n".join(refusal.lines), ok=False)
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
        self, actor: Actor, add: bool, department: str, member: str, lang: str
    ) -> AdminReply:
        refused = self.refusal(actor, "reviewer", lang)
        if refused:
            return refused
        if not is_member(member):
            return AdminReply(t("member_invalid", lang, member=member), ok=False)
        with self.app.store.transaction() as tx:
            if department != OTHER and department not in {d[0] for d in tx.departments()}:
                return AdminReply(t("department_unknown", lang, id=department), ok=False)
            changed = (tx.add_reviewer if add else tx.remove_reviewer)(department, member)
            if changed:
                kind = "reviewer_added" if add else "reviewer_removed"
                tx.append_audit(
                    ADMIN_CHAIN,
                    kind,
                    _pseudonym(tx, actor),
                    {"department": department, "reviewer": member},
                )
        self.app.directories.forget()
        return AdminReply(t("directory_changed" if changed else "directory_unchanged", lang))


def _refused(result: CheckResult, lang: str) -> AdminReply:
    """A flow with errors: the errors themselves, so that the admin knows what to fix."""
    problems = [p.render(lang) for p in result.problems]
    return AdminReply("\n".join([t("admin_upload_errors", lang), *problems]), ok=False)
