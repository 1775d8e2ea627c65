"""Matrix messages in, engine events out; engine effects in, Matrix messages out.

Matrix has no buttons that every client draws, so everything is typed: the question asked
last in a room is what the next message there answers (by number, label, "1, 3", `?`, `<`,
`annuler`), and the answered question is edited (`m.replace`) to show the answer. In a room
with others, the bot reads only messages that begin with `!boussole`, and answers to the
question it asked there.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

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

from adapters.chat import commands
from adapters.chat.admin import run_admin
from adapters.chat.uploads import Admission, Offered, Unreachable
from adapters.console.prompts import parse_line
from adapters.matrix import render
from adapters.matrix.client import TrackingClient, media
from adapters.matrix.messages import m
from bot import effects as fx
from bot import events as ev
from bot.admin import Admin, AdminReply
from bot.app import App
from bot.i18n import t
from bot.listings import my_triages
from bot.matrix_state import MatrixState, Room
from bot.upload_checks import UploadChecks
from bot.views import QuestionView
from bot.visibility import result_for_another

log = logging.getLogger(__name__)

PLATFORM = "matrix"
PREFIX = "!boussole"
LIST_LIMIT = 10
ENDED = frozenset({"cancelled", "triage_completed", "triage_cancelled"})
REVIEW_WORDS = {
    "prendre": "claim",
    "claim": "claim",
    "confirmer": "confirm",
    "confirm": "confirm",
    "demander": "ask",
    "ask": "ask",
    "modifier": "override",
    "override": "override",
}
REPLY_WORDS = ("répondre", "repondre", "reply")
PUBLISH_WORDS = ("publier", "publish")
CANCEL_WORDS = ("annuler", "cancel")
T = TypeVar("T")


class MatrixBot:
    def __init__(self, app: App, client: TrackingClient, state: MatrixState) -> None:
        self.app = app
        self.client = client
        self.state = state
        self.admin = Admin(app)
        self.checks = UploadChecks()
        self.asked: dict[str, QuestionView] = {}
        """Room id -> the question last asked there (read again from the engine after a
        restart, through the triage id kept in `matrix_rooms`)."""
        self.initial = True
        """The first sync after an empty position brings old history: it is not answered."""
        client.add_event_handler(EventType.ROOM_MESSAGE, self.on_message)
        client.add_event_handler(EventType.ROOM_MEMBER, self.on_member)

    async def on_member(self, evt: StateEvent) -> None:
        """Invitations are accepted; a direct invitation makes the room the person's
        direct room, where their notices will go."""
        if evt.state_key != self.client.mxid or evt.content.membership.value != "invite":
            return
        self.client.track()
        if await self._blocking(self.state.room, evt.room_id) is not None:
            return  # the invitation again, in the timeline of the room joined since
        await self.client.join_room(evt.room_id)
        direct = evt.sender if getattr(evt.content, "is_direct", False) else None
        room = Room(evt.room_id, direct, self.app.settings.lang, None, None, None)
        await self._blocking(self.state.save_room, room)

    async def on_message(self, evt: MessageEvent) -> None:
        if evt.sender == self.client.mxid or self.initial:
            return
        self.client.track()
        if not await self._blocking(self.state.claim, evt.event_id):
            return
        room = await self._room(evt)
        try:
            await self._handle(evt, room)
        except Exception:
            reference = secrets.token_hex(4)
            log.exception("matrix: turn failed (reference %s)", reference)
            said = m("internal_error", room.lang, ref=reference)
            await self.send(room.room_id, render.text(said))

    async def _room(self, evt: MessageEvent) -> Room:
        room = await self._blocking(self.state.room, evt.room_id)
        if room is None:
            members = await self.client.get_joined_members(evt.room_id)
            direct = evt.sender if len(members) == 2 else None
            room = Room(evt.room_id, direct, self.app.settings.lang, None, None, None)
            await self._blocking(self.state.save_room, room)
        return room

    async def _handle(self, evt: MessageEvent, room: Room) -> None:
        actor = ev.Actor(PLATFORM, evt.sender)
        if evt.content.msgtype == MessageType.FILE:
            await self._upload(evt, room, actor)
            return
        body = (evt.content.body or "").strip()
        if room.direct_user is None:
            if body.lower().startswith(PREFIX):
                body = body[len(PREFIX) :].strip() or "boussole"
            elif room.triage_id is None:
                return
        lang = commands.language(body) or room.lang
        if lang != room.lang:
            room = _with(room, lang=lang)
            await self._blocking(self.state.save_room, room)
        key = evt.event_id
        asked = await self._asked(room, actor, lang)
        if asked is not None:
            event = _answer(asked, body, actor, lang, key)
            if event is not None:
                await self._turn(room, event)
                return
        command = commands.parse(body)
        if command.name != commands.UNKNOWN:
            await self._command(room, actor, lang, key, command)
        elif not await self._review_command(room, actor, lang, key, body):
            if asked is not None:
                hint = f"{m('unreadable', lang)}\n{render.hint_for(asked, lang)}"
                await self.send(room.room_id, render.text(hint))
            else:
                shown = body[:80]
                said = f"{m('not_understood', lang, text=shown)}\n\n{m('help', lang)}"
                await self.send(room.room_id, render.text(said))

    async def _asked(self, room: Room, actor: ev.Actor, lang: str) -> QuestionView | None:
        if room.triage_id is None:
            return None
        known = self.asked.get(room.room_id)
        if known is not None and known.triage_id == room.triage_id:
            return known
        resumed = await self._blocking(
            self.app.engine.handle, ev.Resume(actor, lang, None, room.triage_id)
        )
        asks = [e.question for e in resumed if isinstance(e, fx.Ask)]
        if asks:
            self.asked[room.room_id] = asks[0]
            return asks[0]
        return None

    async def _command(
        self, room: Room, actor: ev.Actor, lang: str, key: str, command: commands.Command
    ) -> None:
        name, argument = command.name, command.argument
        if name == commands.START:
            await self._turn(room, ev.StartTriage(actor, lang, key))
        elif name in (commands.RESUME, commands.CANCEL) and not argument:
            word = argument or ("annuler" if name == commands.CANCEL else "reprendre")
            await self.send(room.room_id, render.text(m("missing_id", lang, command=word)))
        elif name == commands.RESUME:
            shown = await self._blocking(result_for_another, self.app, actor, argument, lang)
            if shown is not None:
                await self.send(room.room_id, render.result(shown, lang))
            else:
                await self._turn(room, ev.Resume(actor, lang, key, argument))
        elif name == commands.CANCEL:
            await self._turn(room, ev.Cancel(actor, lang, key, argument))
        elif name == commands.LIST:
            rows = await self._blocking(self._rows, actor, lang)
            await self.send(room.room_id, render.text("\n".join(rows) or m("no_triage", lang)))
        elif name == commands.WHOAMI:
            said = t("your_id", lang, id=f"{PLATFORM}:{actor.user_id}")
            await self.send(room.room_id, render.text(said))
        elif name == commands.ADMIN:
            reply = await self._admin(actor, lang, key, argument)
            await self.send(room.room_id, render.text(reply.text))
        else:
            await self.send(room.room_id, render.text(m("help", lang)))

    async def _review_command(
        self, room: Room, actor: ev.Actor, lang: str, key: str, body: str
    ) -> bool:
        """`confirmer ID`, `prendre ID`, `demander ID texte`, `modifier ID orientation texte`
        and the agent's `répondre ID texte`; False when the message is none of these."""
        head, _, rest = body.partition(" ")
        verb = head.lower()
        triage_id, _, text = rest.strip().partition(" ")
        if verb in REPLY_WORDS and triage_id:
            event: ev.Event = ev.AgentReply(actor, lang, key, triage_id, text.strip())
        elif verb in REVIEW_WORDS and triage_id:
            action = REVIEW_WORDS[verb]
            outcome = None
            if action == "override":
                outcome, _, text = text.strip().partition(" ")
            event = ev.ReviewAction(actor, lang, key, triage_id, action, outcome, text.strip())
        elif verb in REVIEW_WORDS or verb in REPLY_WORDS:
            await self.send(room.room_id, render.text(m("review_usage", lang, command=head)))
            return True
        else:
            return False
        effects = await self._blocking(self.app.engine.handle, event)
        said = "\n\n".join(e.text for e in effects if isinstance(e, fx.Info | fx.Error))
        if said:
            await self.send(room.room_id, render.text(said))
        return True

    async def _admin(self, actor: ev.Actor, lang: str, key: str, argument: str) -> AdminReply:
        words = argument.split()
        if len(words) == 2 and words[0].lower() in PUBLISH_WORDS:
            return await self.checks.run(
                lang, self.admin.publish_upload, actor, words[1], lang, key
            )
        reply = await self._blocking(run_admin, self.admin, actor, argument, lang, key)
        if reply is not None:
            return reply
        return AdminReply(m("admin_usage", lang))

    async def _upload(self, evt: MessageEvent, room: Room, actor: ev.Actor) -> None:
        """A flow file: admitted by the kit (refused for non-admins before any download, and
        audited), decrypted in an encrypted room, checked and reported."""
        lang, content = room.lang, evt.content
        name = content.body or ""

        async def say(text: str) -> None:
            await self.send(room.room_id, render.text(text))

        size = getattr(content.info, "size", None) if content.info else None
        file = content.file
        url = file.url if file is not None else content.url
        data = await Admission(self.admin, _words, say).admit(
            actor,
            lang,
            evt.event_id,
            Offered(name, size),
            lambda: media(self.client, url),
            _decrypter(file),
        )
        if data is None:
            return
        reply = await self.checks.run(
            lang, self.admin.check_upload, actor, name, data, lang, evt.event_id
        )
        said = reply.text
        if reply.confirm_sha256:
            said += "\n\n" + m("publish_hint", lang, sha=reply.confirm_sha256)
        await say(said)

    async def _turn(self, room: Room, event: ev.Event) -> None:
        effects = await self._blocking(self.app.engine.handle, event)
        await self.render(room, effects, event.lang)

    async def render(self, room: Room, effects: Sequence[fx.Effect], lang: str) -> None:
        """Notices go before the question or result that follows them; the answered
        question is edited to show its answer; the room remembers the question it asks."""
        notices: list[str] = []
        asked = self.asked.get(room.room_id)
        for effect in effects:
            if isinstance(effect, fx.Info | fx.Error):
                notices.append(effect.text)
            elif isinstance(effect, fx.Freeze):
                await self._freeze(room, effect, asked, lang)
            elif isinstance(effect, fx.Ask | fx.Show):
                if notices:
                    await self.send(room.room_id, render.text("\n\n".join(notices)))
                    notices = []
                if isinstance(effect, fx.Ask):
                    sent = await self.send(room.room_id, render.question(effect.question, lang))
                    self.asked[room.room_id] = effect.question
                    room = _with(
                        room,
                        triage_id=effect.question.triage_id,
                        question_id=effect.question.question_id,
                        question_event=sent,
                    )
                else:
                    await self.send(room.room_id, render.result(effect.result, lang))
                    room = _with(room, triage_id=None, question_id=None, question_event=None)
                    self.asked.pop(room.room_id, None)
        if notices:
            await self.send(room.room_id, render.text("\n\n".join(notices)))
        if fx.codes(effects) & ENDED:
            room = _with(room, triage_id=None, question_id=None, question_event=None)
            self.asked.pop(room.room_id, None)
        await self._blocking(self.state.save_room, room)

    async def _freeze(
        self, room: Room, frozen: fx.Freeze, asked: QuestionView | None, lang: str
    ) -> None:
        if room.question_event is None or room.question_id != frozen.question_id:
            await self.send(room.room_id, render.text(f"✓ {frozen.summary}"))
            return
        if asked is not None and asked.question_id == frozen.question_id:
            shown = render.answered(asked, frozen.summary)
        else:
            shown = render.text(f"✓ {frozen.summary}")
        await self.send(room.room_id, shown, replaces=room.question_event)

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

    def _rows(self, actor: ev.Actor, lang: str) -> list[str]:
        rows = my_triages(self.app, actor, lang, LIST_LIMIT)
        return [
            m("list_row", lang, id=r.id, project=r.project, status=_status(r.status, lang))
            for r in rows
        ]

    async def _blocking(self, function: Callable[..., T], *args: Any) -> T:
        return await asyncio.to_thread(function, *args)


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


def _words(key: str, lang: str, **params: Any) -> str:
    """A file over the limit is refused in the words `Admin.check_upload` has for it."""
    return t("admin_upload_too_big", lang) if key == "upload_too_big" else m(key, lang, **params)


def _status(status: str, lang: str) -> str:
    return t(f"status_{status}", lang)


def _with(room: Room, **changes: Any) -> Room:
    return Room(**{**room.__dict__, **changes})
