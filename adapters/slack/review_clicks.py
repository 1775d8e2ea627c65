"""A reviewer's buttons and forms in Slack (claim, confirm, ask the agent, override) and the
agent's reply: Slack opens the modals and reads them; the decision is the chat kit's
(`ChatBot.click`), run in the person's DM, and once the review is decided the notice clicked
shows the decision instead of its buttons (`SlackBot.settle`)."""

from __future__ import annotations

from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from adapters.chat.clicks import OUTCOME_INPUT, Submit
from adapters.chat.forms import text_of
from adapters.slack import refs
from adapters.slack.feature import Feature
from adapters.slack.payloads import Body, acked, click_key, not_ours, user_of
from adapters.slack.reviews import ACTIONS, VIEWS, comment_of, review_modal
from adapters.slack.reviews import submitted as read_form
from adapters.slack.turns import Where
from bot.review_notices import proposed_outcome


class ReviewClicks(Feature):
    def click(self, body: Body, action: Body, action_id: str) -> None:
        key = click_key(body, action)
        triage_id = str(action.get("value") or "")
        if not triage_id:
            return
        container = body.get("container") or {}
        shown = (container.get("channel_id"), container.get("message_ts"))
        if action_id in VIEWS:
            self.once(key, self._open_review_modal(body, action_id, triage_id, shown), "modal")
        else:
            submit = Submit(action_id, triage_id=triage_id)
            self.once(key, self._run_review(body, key, submit, shown), "review")

    async def _open_review_modal(
        self, body: Body, action_id: str, triage_id: str, shown: tuple[Any, Any]
    ) -> None:
        user = user_of(body)
        lang = await self.out.lang(user)
        proposed = ""
        if action_id == refs.REVIEW_OVERRIDE:
            proposed = await self.in_pool(proposed_outcome, self.app, triage_id)
        view = review_modal(action_id, triage_id, proposed, *shown, lang)
        await self.out.open_view(str(body.get("trigger_id")), view, triage_id)

    async def submitted(self, ack: AsyncAck, body: Body, view: Body) -> None:
        user = user_of(body)
        callback_id = str(view.get("callback_id"))
        try:
            metadata, found, errors = read_form(view, self.out.known_lang(user))
        except (ValueError, AttributeError):
            await not_ours(ack)
            return
        key = await acked(ack, self.recent, user, view, errors)
        if key is None:
            return
        submit = Submit(
            ACTIONS.get(callback_id, refs.REVIEW_OVERRIDE),
            triage_id=str(metadata["t"]),
            text=comment_of(found, callback_id),
            outcome=text_of(found, OUTCOME_INPUT),
        )
        shown = (metadata.get("c"), metadata.get("ts"))
        self.tasks.spawn(self._run_review(body, key, submit, shown), "review")

    async def _run_review(
        self, body: Body, key: str, submit: Submit, shown: tuple[Any, Any]
    ) -> None:
        """The kit runs the decision (`ChatBot.click`); the notice clicked in the DM is the
        message it settles."""
        user = user_of(body)
        lang = await self.out.lang(user)
        dm = await self.out.dm_channel(user)
        if dm is None:
            return
        channel, ts = shown
        in_dm = channel == dm
        response_url = body.get("response_url") if channel and not in_dm else None
        message_ts = str(ts) if in_dm and ts else None
        where = Where(user=user, channel=dm, message_ts=message_ts, response_url=response_url)
        await self.bot.click(self.bot.turn(user, lang, key, where), submit)
