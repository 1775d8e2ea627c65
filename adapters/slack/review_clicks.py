"""A reviewer's buttons and forms in Slack (claim, confirm, ask the agent, override) and the
agent's reply: each becomes the engine's review event, run in the person's DM; once the review
is decided, the notice clicked shows the decision instead of its buttons."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from adapters.slack.feature import PLATFORM, Feature
from adapters.slack.payloads import Body, EventOf, acked, click_key, user_of
from adapters.slack.refs import (
    AGENT_REPLY,
    ASK_VIEW,
    REPLY_VIEW,
    REVIEW_ASK,
    REVIEW_CLAIM,
    REVIEW_OVERRIDE,
)
from adapters.slack.results import review_message
from adapters.slack.reviews import ask_modal, comment_error, override_modal, reply_modal
from adapters.slack.reviews import submitted as read_form
from adapters.slack.turns import Where
from bot import effects as fx
from bot import events as ev
from bot.review_notices import decided_notice, proposed_outcome
from bot.reviews import CLOSED_CODES

log = logging.getLogger("adapters.slack")


class ReviewClicks(Feature):
    def click(self, body: Body, action: Body, action_id: str) -> None:
        key = click_key(body, action)
        if not self.recent.first_time(f"action:{key}"):
            return
        triage_id = str(action.get("value") or "")
        if not triage_id:
            return
        container = body.get("container") or {}
        shown = (container.get("channel_id"), container.get("message_ts"))
        if action_id in (REVIEW_ASK, REVIEW_OVERRIDE, AGENT_REPLY):
            self.tasks.spawn(self._open_review_modal(body, action_id, triage_id, shown), "modal")
            return
        verb = "claim" if action_id == REVIEW_CLAIM else "confirm"

        def event_of(actor: ev.Actor, lang: str, key: str) -> ev.Event:
            return ev.ReviewAction(actor, lang, key, triage_id=triage_id, action=verb)

        self.tasks.spawn(self._run_review(body, key, event_of, triage_id, shown), "review")

    async def _open_review_modal(
        self, body: Body, action_id: str, triage_id: str, shown: tuple[Any, Any]
    ) -> None:
        user = user_of(body)
        lang = await self.out.lang(user)
        channel, ts = shown
        if action_id == AGENT_REPLY:
            view = reply_modal(triage_id, lang)
        elif action_id == REVIEW_ASK:
            view = ask_modal(triage_id, channel, ts, lang)
        else:
            proposed = await self.in_pool(proposed_outcome, self.app, triage_id)
            view = override_modal(triage_id, proposed, channel, ts, lang)
        await self.out.open_view(str(body.get("trigger_id")), view, triage_id)

    async def submitted(self, ack: AsyncAck, body: Body, view: Body) -> None:
        user = user_of(body)
        try:
            metadata, comment, outcome = read_form(view)
        except (ValueError, AttributeError):
            log.warning("Slack modal ignored: its metadata is not ours")
            await ack()
            return
        error = comment_error(comment, self.out.known_lang(user))
        key = await acked(ack, self.recent, user, view, error)
        if key is None:
            return
        triage_id = str(metadata["t"])
        callback = view.get("callback_id")
        text = comment.strip()

        def event_of(actor: ev.Actor, lang: str, key: str) -> ev.Event:
            if callback == REPLY_VIEW:
                return ev.AgentReply(actor, lang, key, triage_id=triage_id, text=text)
            if callback == ASK_VIEW:
                return ev.ReviewAction(
                    actor, lang, key, triage_id=triage_id, action="ask", comment=text
                )
            return ev.ReviewAction(
                actor,
                lang,
                key,
                triage_id=triage_id,
                action="override",
                outcome=outcome,
                comment=text,
            )

        shown = (metadata.get("c"), metadata.get("ts"))
        self.tasks.spawn(self._run_review(body, key, event_of, triage_id, shown), "review")

    async def _run_review(
        self, body: Body, key: str, event_of: EventOf, triage_id: str, shown: tuple[Any, Any]
    ) -> None:
        user = user_of(body)
        lang = await self.out.lang(user)
        dm = await self.out.dm_channel(user)
        if dm is None:
            return
        channel, ts = shown
        in_dm = channel == dm
        response_url = body.get("response_url") if channel and not in_dm else None
        where = Where(user=user, channel=dm, response_url=response_url)
        event = event_of(ev.Actor(PLATFORM, user), lang, key)
        effects = await self.turns.run(event, where)
        if in_dm and ts and fx.codes(effects) & CLOSED_CODES:
            await self._show_decision(triage_id, str(channel), str(ts), lang)

    async def _show_decision(self, triage_id: str, channel: str, ts: str, lang: str) -> None:
        """Once the review is decided, the notice clicked shows the decision, not buttons."""
        try:
            drawn = await self.in_pool(self._decided_notice, triage_id, lang)
        except LookupError:
            return
        if drawn is not None:
            await self.out.update(channel, ts, drawn, triage_id)

    def _decided_notice(self, triage_id: str, lang: str) -> Any:
        current = decided_notice(self.app, triage_id, lang)
        if current is None:
            return None
        return review_message(current.notice, lang, current.decided)
