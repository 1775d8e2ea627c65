"""Flow administration in Slack: `/boussole admin …`, and a flow file shared in the DM,
checked, then published with the "Publier" button. A non-admin's file and files too big to
read are attacks: tests/security/test_held_flow_uploads.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.slack.refs import PUBLISH_FLOW
from bot.app import App
from tests.adapters.slack.harness import Slack, action_ts, find_element

pytestmark = pytest.mark.asyncio

ADMIN = "UADMIN1"
FLOW = Path(__file__).resolve().parents[3] / "flows" / "boussole-nantes.yaml"


def make_admin(app: App, user: str = ADMIN) -> None:
    with app.store.transaction() as tx:
        tx.add_admin(f"slack:{user}")


async def share(slack: Slack, user: str, file_id: str, name: str, content: bytes) -> None:
    slack.stub.add_file(file_id, name, content)
    await slack.event(
        {
            "type": "message",
            "subtype": "file_share",
            "channel": f"D{user}",
            "channel_type": "im",
            "user": user,
            "text": "",
            "files": [{"id": file_id, "name": name}],
            "ts": action_ts(),
            "event_ts": action_ts(),
        }
    )
    # Slack also sends `file_shared` for the same file: one report, not two
    await slack.event(
        {
            "type": "file_shared",
            "file_id": file_id,
            "user_id": user,
            "channel_id": f"D{user}",
            "file": {"id": file_id},
            "event_ts": action_ts(),
        }
    )
    await slack.settled()


def changed_flow() -> bytes:
    source = FLOW.read_text(encoding="utf-8")
    changed = source.replace("label: {fr: Nom du projet,", "label: {fr: Nom du projet d'IA,", 1)
    assert changed != source
    return changed.encode("utf-8")


async def test_an_admin_publishes_a_shared_flow(slack: Slack, app: App) -> None:
    make_admin(app)
    await share(slack, ADMIN, "F0FLOW1", "boussole-nantes.yaml", changed_flow())
    (report,) = slack.posted(ADMIN)
    shown = json.dumps(report.params, ensure_ascii=False)
    assert "flowchart" in shown and "```" in shown
    _block, publish = find_element(report.blocks, PUBLISH_FLOW)
    assert publish["confirm"]["confirm"]["text"] == "Publier"
    assert slack.stub.downloads[-1]["Authorization"].startswith("Bearer xoxb-")

    await slack.click(report, PUBLISH_FLOW, user=ADMIN)
    await slack.settled()
    with app.store.reading() as tx:
        versions = tx.versions_of()
    assert [v.version for v in versions] == [1, 2]
    updated = slack.stub.to("chat.update")[-1]
    assert all(b.get("block_id") != "publish" for b in updated.blocks)
    assert any(b.get("block_id") == "published" for b in updated.blocks)
    (told,) = slack.ephemerals(ADMIN)
    assert "2" in told.params["text"]


async def test_a_publish_click_refused_leaves_the_report_and_says_why(
    slack: Slack, app: App
) -> None:
    """The kit's ChatBot.publish: Admin refuses (and audits) whoever is no longer an admin;
    the report keeps its button and the refusal is said to the person only."""
    make_admin(app)
    await share(slack, ADMIN, "F0FLOW2", "boussole-nantes.yaml", changed_flow())
    (report,) = slack.posted(ADMIN)
    with app.store.transaction() as tx:
        tx.remove_admin(f"slack:{ADMIN}")
    await slack.click(report, PUBLISH_FLOW, user=ADMIN)
    await slack.settled()
    with app.store.reading() as tx:
        assert [v.version for v in tx.versions_of()] == [1]
        assert tx.audit_trail("admin")[-1]["kind"] == "admin_refused"
    assert slack.stub.to("chat.update") == []
    (told,) = slack.ephemerals(ADMIN)
    assert told.params["text"]


async def test_a_file_that_is_not_yaml_is_refused_with_the_reason(slack: Slack, app: App) -> None:
    make_admin(app)
    await share(slack, ADMIN, "F0TEXT", "notes.txt", b"hello")
    (reply,) = slack.posted(ADMIN)
    assert "YAML" in reply.params["text"]
    assert slack.stub.downloads == []


async def test_admin_commands(slack: Slack, app: App) -> None:
    await slack.command("admin version", "UNOBODY")
    await slack.settled()
    with app.store.reading() as tx:
        assert tx.audit_trail("admin")[-1]["kind"] == "admin_refused"
    make_admin(app)
    await slack.command("admin version", ADMIN)
    await slack.direct_message("admin responsable ajouter autre slack:URVW9", ADMIN)
    await slack.direct_message("admin nimporte", ADMIN)
    await slack.settled()
    with app.store.reading() as tx:
        assert tx.audit_trail("admin")[-1]["kind"] == "reviewer_added"
    posted = [c.params["text"] for c in slack.posted(ADMIN)]
    assert any("admin version" in text for text in posted)  # the admin help
    refusal, version = [c.params["text"] for c in slack.stub.to("response_url")]
    assert "boussole-nantes" in version and "boussole-nantes" not in refusal


def find_publish(message) -> bool:  # type: ignore[no-untyped-def]
    try:
        find_element(message.blocks, PUBLISH_FLOW)
    except AssertionError:
        return False
    return True
