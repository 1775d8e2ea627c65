"""The chat kit's Publish button (`ChatBot.publish`), the same on every platform: the
publication is Admin's; the form is settled once published, the outcome said either way, and
a replayed click is silent where the platform redelivers what it sent (Slack)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from adapters.chat.clicks import Submit
from adapters.chat.dispatch import ChatBot, Settled, Turn
from adapters.chat.messages import lookup
from adapters.chat.placement import Notice
from bot import effects as fx
from bot import events as ev
from bot.admin import AdminReply
from bot.app import App
from bot.listings import TriageRow

pytestmark = pytest.mark.asyncio

ADMIN = ev.Actor("test", "UADMIN")
FLOW = Path(__file__).resolve().parents[2] / "flows" / "boussole-nantes.yaml"


class Recorder(ChatBot[Turn]):
    """A platform that only records what the kit asks it to say and settle."""

    def __init__(self, app: App, redelivers: bool) -> None:
        super().__init__(app)
        self.silent_duplicates = redelivers
        self.settled: list[tuple[str, Settled | None]] = []

    def words(self, key: str, lang: str, **params: Any) -> str:
        return lookup({}, key, lang, **params)

    async def run(self, turn: Turn, event: ev.Event) -> list[fx.Effect]:
        return self.app.engine.handle(event)

    async def heard(self, turn: Turn) -> None: ...

    async def render(
        self,
        turn: Turn,
        effects: Sequence[fx.Effect],
        clicked: Submit | None = None,
        authored: bool = True,
    ) -> None: ...

    async def say(self, turn: Turn, text: str) -> None: ...

    async def settle(self, turn: Turn, text: str, settled: Settled | None) -> None:
        self.settled.append((text, settled))

    async def show_help(self, turn: Turn, notices: Sequence[Notice] = ()) -> None: ...

    async def show_list(self, turn: Turn, rows: Sequence[TriageRow], limit: int) -> None: ...

    async def show_upload(self, turn: Turn, reply: AdminReply) -> None: ...

    async def show_register(
        self,
        turn: Turn,
        triage_id: str,
        project: str,
        details: dict[str, Any] | None,
        errors: tuple[dict[str, str], tuple[str, ...]] | None = None,
    ) -> None: ...


def checked_upload(app: App) -> str:
    with app.store.transaction() as tx:
        tx.add_admin("test:UADMIN")
    source = FLOW.read_text(encoding="utf-8")
    changed = source.replace("label: {fr: Nom du projet,", "label: {fr: Nom du projet d'IA,", 1)
    reply = Recorder(app, False).admin.check_upload(
        ADMIN, "flow.yaml", changed.encode(), "fr", "upload-1"
    )
    assert reply.confirm_sha256
    return reply.confirm_sha256


@pytest.mark.parametrize("redelivers", [False, True])
async def test_a_published_flow_settles_the_form_and_a_replay_is_silent_where_redelivered(
    app: App, redelivers: bool
) -> None:
    sha256 = checked_upload(app)
    bot = Recorder(app, redelivers)
    turn = Turn(ADMIN, "fr", "click-1", False)
    await bot.click(turn, Submit("admin_publish", sha256=sha256))
    ((text, settled),) = bot.settled
    assert settled == Settled("published", text) and text
    await bot.click(turn, Submit("admin_publish", sha256=sha256))
    assert len(bot.settled) == (1 if redelivers else 2)
    with app.store.reading() as tx:
        assert [v.version for v in tx.versions_of()] == [1, 2]


async def test_a_refused_publication_is_said_and_settles_nothing(app: App) -> None:
    sha256 = checked_upload(app)
    with app.store.transaction() as tx:
        tx.remove_admin("test:UADMIN")
    bot = Recorder(app, True)
    await bot.click(Turn(ADMIN, "fr", "click-2", False), Submit("admin_publish", sha256=sha256))
    ((text, settled),) = bot.settled
    assert text and settled is None
