"""Where each person can be reached first (a platform's conversation reference), and the
once-only keys of platform events that are not engine turns (an installation's welcome):
what a channel stores besides triages, kept behind the core like the rest."""

from __future__ import annotations

from typing import Any

from bot.app import App
from storage.repository import DuplicateEvent


def remember_conversation(app: App, platform: str, user_id: str, reference: dict[str, Any]) -> None:
    with app.store.transaction() as tx:
        tx.save_conversation(platform, user_id, reference)


def conversation_of(app: App, platform: str, user_id: str) -> dict[str, Any] | None:
    """The person's active reference; None before they ever wrote, or after they left."""
    with app.store.reading() as tx:
        return tx.conversation(platform, user_id)


def forget_conversation(app: App, platform: str, user_id: str) -> None:
    """The person removed or blocked the bot: stop trying until they come back."""
    with app.store.transaction() as tx:
        tx.deactivate_conversation(platform, user_id)


def first_time(app: App, platform: str, key: str) -> bool:
    """Claims `key` for good: True the first time, False for every delivery after it."""
    try:
        with app.store.transaction() as tx:
            tx.claim_event(platform, key)
    except DuplicateEvent:
        return False
    return True
