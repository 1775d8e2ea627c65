"""Matrix messages in, engine events out; engine effects in, Matrix messages out.

Matrix has no buttons that every client draws, so everything is typed: the question asked
last in a room is what the next message there answers (by number, label, "1, 3", `?`, `<`,
`annuler`), and the answered question is edited (`m.replace`) to show the answer. In a room
with others, the bot reads only messages that begin with `!boussole`, and answers to the
question it asked there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from mautrix.crypto.attachments import decrypt_attachment
from mautrix.errors import DecryptionError
from mautrix.types import (
    EncryptedFile,
    EventType,
    Format,
    MessageEvent,
    MessageType,
    StateEvent,
    TextMessageEventContent,
)

from adapters.chat import commands, placement
from adapters.chat.clicks import Submit
from adapters.chat.dispatch import ChatBot, Turn, blocking, failed_turn
from adapters.chat.domains import within
from adapters.chat.placement import Notice
from adapters.chat.uploads import Offered, Unreachable
from adapters.console.prompts import parse_line
from adapters.matrix import render
from adapters.matrix.client import TrackingClient, media
from adapters.matrix.messages import m
from bot import effects as fx
from bot import events as ev
from bot.admin import AdminReply
from bot.app import App
from bot.i18n import t
from bot.listings import TriageRow
from bot.matrix_state import MatrixState, Room
from bot.views import QuestionView

log = logging.getLogger(__name__)

PLATFORM = "matrix"
PREFIX = "!boussole"
ENDED = frozenset({"cancelled", "triage_completed", "triage_cancelled"})
REVIEW_WORDS = {
    "prendre": "review_claim",
    "claim": "review_claim",
    "confirmer": "review_confirm",
    "confirm": "review_confirm",
    "demander": "review_ask",
    "ask": "review_ask",
    "modifier": "review_override",
    "override": "review_override",
}
REPLY_WORDS = ("répondre", "repondre", "reply")
PUBLISH_WORDS = ("publier", "publish")
CANCEL_WORDS = ("annuler", "cancel")


@dataclass(frozen=True)
class MatrixTurn(Turn):
    room: Room


class MatrixBot(ChatBot[MatrixTurn]):
    """What is Matrix's own: the sync's events, rooms, the numbered-choice reading of a
    reply, typed decisions, HTML with a plain body, edits. The rules of a turn are the
    kit's (`adapters.chat.dispatch`)."""

    words = staticmethod(m)

    def __init__(
        self, app: App, client: TrackingClient, state: MatrixState, served: tuple[str, ...]
    ) -> None:
        super().__init__(app)
        self.client = client
        self.state = state
        self.served = served
        self.asked: dict[str, QuestionView] = {}
        """Room id -> the question last asked there (read again from the engine after a
        restart, through the triage id kept in `matrix_rooms`)."""
        self.initial = True
        """The first sync after an empty position brings old history: it is not answered."""
        client.add_event_handler(EventType.ROOM_MESSAGE, self.on_message)
        client.add_event_handler(EventType.ROOM_MEMBER, self.on_member)

    async def on_member(self, evt: StateEvent) -> None:
        """Invitations from the servers served are accepted, others declined; a direct
        invitation makes the room the person's direct room, where their notices will go."""
        if evt.state_key != self.client.mxid or evt.content.membership.value != "invite":
            return
        self.client.track()
        if not self._serves(evt.sender):
            log.info("matrix: invitation from %s declined (BOUSSOLE_MATRIX_SERVERS)", evt.sender)
            await self.client.leave_room(evt.room_id)
            return
        if await blocking(self.state.room, evt.room_id) is not None:
            return  # the invitation again, in the timeline of the room joined since
        await self.client.join_room(evt.room_id)
        direct = evt.sender if getattr(evt.content, "is_direct", False) else None
        room = Room(evt.room_id, direct, self.app.settings.lang, None, None, None)
        await blocking(self.state.save_room, room)

    def _serves(self, sender: str) -> bool:
        return within(sender.partition(":")[2], self.served)

    async def on_message(self, evt: MessageEvent) -> None:
        if evt.sender == self.client.mxid or self.initial or not self._serves(evt.sender):
            return
        self.client.track()
        if not await blocking(self.state.claim, evt.event_id):
            return
        room = await self._room(evt)
        try:
            await self._handle(evt, room)
        except Exception:
            await self.send(room.room_id, render.text(failed_turn(PLATFORM, room.lang)))

    async def _room(self, evt: MessageEvent) -> Room:
        room = await blocking(self.state.room, evt.room_id)
        if room is None:
            members = await self.client.get_joined_members(evt.room_id)
            direct = evt.sender if len(members) == 2 else None
            room = Room(evt.room_id, direct, self.app.settings.lang, None, None, None)
            await blocking(self.state.save_room, room)
        return room

    async def _handle(self, evt: MessageEvent, room: Room) -> None:
        actor = ev.Actor(PLATFORM, evt.sender)
        if evt.content.msgtype == MessageType.FILE:
            await self._upload(evt, MatrixTurn(actor, room.lang, evt.event_id, _shared(room), room))
            return
        body = (evt.content.body or "").strip()
        if room.direct_user is None:
            if body.lower().startswith(PREFIX):
                body = body[len(PREFIX) :].strip() or "boussole"
            elif room.triage_id is None:
                return
        lang = commands.language(body) or room.lang
        if lang != room.lang:
            room = replace(room, lang=lang)
            await blocking(self.state.save_room, room)
        turn = MatrixTurn(actor, lang, evt.event_id, _shared(room), room)
        asked = await self._asked(room, actor, lang)
        if asked is not None:
            event = _answer(asked, body, actor, lang, turn.key)
            if event is not None:
                await self.event(turn, event)
                return
        command = commands.parse(body)
        if command.name != commands.UNKNOWN:
            await self.command(turn, command)
        elif not await self._decision(turn, body):
            if asked is None:
                await self.command(turn, command)
            else:
                hint = f"{m('unreadable', lang)}\n{render.hint_for(asked, lang)}"
                await self.say(turn, hint)

    async def _asked(self, room: Room, actor: ev.Actor, lang: str) -> QuestionView | None:
        if room.triage_id is None:
            return None
        known = self.asked.get(room.room_id)
        if known is not None and known.triage_id == room.triage_id:
            return known
        resumed = await blocking(
            self.app.engine.handle, ev.Resume(actor, lang, None, room.triage_id)
        )
        asks = [e.question for e in resumed if isinstance(e, fx.Ask)]
        if asks:
            self.asked[room.room_id] = asks[0]
            return asks[0]
        return None

    async def command(self, turn: MatrixTurn, command: commands.Command) -> None:
        """The kit's, but for what Matrix types instead of clicking: `admin publier SHA`
        stands for the Publish button."""
        words = command.argument.split()
        if command.name == commands.ADMIN and len(words) == 2 and words[0].lower() in PUBLISH_WORDS:
            await self.publish(turn, words[1])
        else:
            await super().command(turn, command)

    async def _decision(self, turn: MatrixTurn, body: str) -> bool:
        """`confirmer ID`, `prendre ID`, `demander ID texte`, `modifier ID orientation texte`
        and the agent's `répondre ID texte`, the buttons of the other platforms; False when
        the message is none of these."""
        head, _, rest = body.partition(" ")
        verb = head.lower()
        triage_id, _, text = rest.strip().partition(" ")
        if verb in REPLY_WORDS and triage_id:
            await self.agent_reply(turn, Submit("agent_reply", triage_id, text=text.strip()))
        elif verb in REVIEW_WORDS and triage_id:
            action, outcome = REVIEW_WORDS[verb], ""
            if action == "review_override":
                outcome, text = commands.typed_outcome(text)
            submit = Submit(action, triage_id, text=text.strip(), outcome=outcome)
            await self.review_action(turn, submit)
        elif verb in REVIEW_WORDS or verb in REPLY_WORDS:
            await self.say(turn, m("review_usage", turn.lang, command=head))
        else:
            return False
        return True

    async def _upload(self, evt: MessageEvent, turn: MatrixTurn) -> None:
        """A flow file, decrypted in an encrypted room."""
        content = evt.content
        size = getattr(content.info, "size", None) if content.info else None
        file = content.file
        url = file.url if file is not None else content.url
        offered = Offered(content.body or "", size)
        await self.upload(turn, offered, lambda: media(self.client, url), _decrypter(file))

    # The kit's checklist

    async def run(self, turn: MatrixTurn, event: ev.Event) -> list[fx.Effect]:
        return await blocking(self.app.engine.handle, event)

    async def say(self, turn: MatrixTurn, text: str) -> None:
        await self.send(turn.room.room_id, render.text(text))

    async def show_help(self, turn: MatrixTurn, notices: Sequence[Notice] = ()) -> None:
        await self.say(turn, "\n\n".join([*(n.text for n in notices), render.help_text(turn.lang)]))

    async def show_list(self, turn: MatrixTurn, rows: Sequence[TriageRow], limit: int) -> None:
        lang = turn.lang
        lines = [
            m("list_row", lang, id=r.id, project=r.project, status=t(f"status_{r.status}", lang))
            for r in rows
        ]
        await self.say(turn, "\n".join(lines) or m("no_triage", lang))

    async def show_upload(self, turn: MatrixTurn, reply: AdminReply) -> None:
        said = reply.text
        if reply.confirm_sha256:
            said += "\n\n" + m("publish_hint", turn.lang, sha=reply.confirm_sha256)
        await self.say(turn, said)

    async def render(
        self,
        turn: MatrixTurn,
        effects: Sequence[fx.Effect],
        clicked: Submit | None = None,
        authored: bool = True,
    ) -> None:
        """The kit's placement (`adapters.chat.placement.place`): notices sent just before
        the question or result that follows them; the answered question edited to show its
        answer, or the answer said where it is not the room's last question. The room
        remembers the question it asks; a result shown to someone else than its author
        leaves the room's triage as it is."""
        room, lang = turn.room, turn.lang
        asked = self.asked.get(room.room_id)
        frozen = next((e for e in effects if isinstance(e, fx.Freeze)), None)
        editable = frozen is not None and room.question_id == frozen.question_id
        placed = placement.place(effects, None, lang, editable and room.question_event is not None)
        if placed.closed is not None and frozen is not None:
            summary = placed.closed.text
            shown = render.text(f"✓ {summary}")
            if asked is not None and asked.question_id == frozen.question_id:
                shown = render.answered(asked, summary)
            await self.send(room.room_id, shown, replaces=room.question_event)
        for item in placed.messages:
            if isinstance(item, str):
                await self.send(room.room_id, render.text(item))
                continue
            if item.notices:
                said = "\n\n".join(n.text for n in item.notices)
                await self.send(room.room_id, render.text(said))
            if isinstance(item.effect, fx.Ask):
                question = item.effect.question
                sent = await self.send(room.room_id, render.question(question, lang))
                self.asked[room.room_id] = question
                room = replace(
                    room,
                    triage_id=question.triage_id,
                    question_id=question.question_id,
                    question_event=sent,
                )
            else:
                await self.send(room.room_id, render.result(item.effect.result, lang, authored))
                if authored:
                    room = _idle(room)
                    self.asked.pop(room.room_id, None)
        if fx.codes(effects) & ENDED:
            room = _idle(room)
            self.asked.pop(room.room_id, None)
        await blocking(self.state.save_room, room)

    async def send(self, room_id: str, message: render.Message, replaces: str | None = None) -> str:
        content = TextMessageEventContent(
            msgtype=MessageType.TEXT,
            body=message.plain,
            format=Format.HTML,
            formatted_body=message.html,
        )
        if replaces is not None:
            content.set_edit(replaces)
        return str(await self.client.send_message_event(room_id, EventType.ROOM_MESSAGE, content))


def _answer(
    asked: QuestionView, body: str, actor: ev.Actor, lang: str, key: str
) -> ev.Event | None:
    """The event a message makes of the question asked, or None when it is not an answer."""
    triage_id = asked.triage_id
    if body.strip().lower() in CANCEL_WORDS:
        return ev.Cancel(actor, lang, key, triage_id)
    reply = parse_line(asked, body)
    if reply is None:
        return None
    if reply.action == "why":
        return ev.Why(actor, lang, key, triage_id, asked.question_id)
    if reply.action == "back":
        return ev.Back(actor, lang, key, triage_id, asked.question_id)
    return ev.Answer(
        actor, lang, key, triage_id, asked.question_id, reply.value, asked.flow_version
    )


def _decrypter(file: EncryptedFile | None) -> Callable[[bytes], bytes] | None:
    """How an encrypted room's attachment becomes the file (None: it was sent in clear)."""
    if file is None:
        return None

    def decrypt(data: bytes) -> bytes:
        try:
            return decrypt_attachment(data, file.key.key, file.hashes["sha256"], file.iv)
        except DecryptionError as error:
            log.warning("matrix: could not decrypt %s: %s", file.url, error)
            raise Unreachable(str(error)) from error

    return decrypt


def _shared(room: Room) -> bool:
    """A room with others than the person and the bot: the kit's "channel"."""
    return room.direct_user is None


def _idle(room: Room) -> Room:
    return replace(room, triage_id=None, question_id=None, question_event=None)
