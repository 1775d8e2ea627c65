"""What every Slack feature behind a button or a form needs from the adapter (re-triage,
the register's form, a reviewer's clicks): held once, so that a feature adds only its own
steps. What a feature runs through the kit is the bot's (`SlackBot`, its `ChatBot`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any

from adapters.slack.client import SlackOut
from adapters.slack.tasks import RecentKeys, Tasks

if TYPE_CHECKING:
    from adapters.slack.chat_bot import SlackBot


class Feature:
    def __init__(
        self, bot: SlackBot, out: SlackOut, tasks: Tasks, recent: RecentKeys, pool: Executor
    ) -> None:
        self.bot = bot
        self.app = bot.app
        self.out = out
        self.tasks = tasks
        self.recent = recent
        self.pool = pool

    def once(self, key: str, work: Coroutine[Any, Any, None], name: str) -> None:
        """Spawn `work` for a click seen for the first time; Slack redelivers slow acks."""
        if self.recent.first_time(f"action:{key}"):
            self.tasks.spawn(work, name)
        else:
            work.close()

    async def in_pool(self, work: Callable[..., Any], *args: Any) -> Any:
        return await in_pool(self.pool, work, *args)


async def in_pool(pool: Executor, work: Callable[..., Any], *args: Any) -> Any:
    """Blocking work (the database) in the bounded pool, like engine turns, never on the
    event loop."""
    return await asyncio.get_running_loop().run_in_executor(pool, work, *args)
