"""A valid Bot Framework token says only that the Bot Framework sent the activity. Anyone who
knows the bot's app id (it is in every activity the bot sends) can put the app in a tenant of
their own, and Teams then delivers that tenant's messages here, signed: the bot answered them,
ran their triages into the authority's database. It now serves its own tenant
(MicrosoftAppTenantId), or those BOUSSOLE_TEAMS_TENANTS lists; any other gets 403, and nothing
is written or sent."""

from __future__ import annotations

from typing import Any

import pytest
from botbuilder.schema import Activity
from hypothesis import given
from hypothesis import strategies as st

from adapters.teams.endpoint import tenant_of
from adapters.teams.settings import TeamsSettings
from bot.app import App
from tests.adapters.teams.client import TENANT, TeamsClient

ELSEWHERE = "0badc0de-0000-4000-8000-00000000beef"


def elsewhere(activity: dict[str, Any], tenant: str = ELSEWHERE) -> dict[str, Any]:
    activity["channelData"] = {"tenant": {"id": tenant}}
    activity["conversation"]["tenantId"] = tenant
    return activity


def written(app: App) -> bool:
    with app.store.reading() as tx:
        return tx.find_pseudonym("teams", "29:1agent-personal-id") is not None


@pytest.mark.asyncio
async def test_an_activity_from_another_tenant_is_refused_and_leaves_no_trace(
    teams: TeamsClient, teams_app: App
) -> None:
    reply = await teams.post(elsewhere(teams.activity(text="boussole")))
    assert reply.status == 403 and "tenant" in reply.body
    assert reply.calls == [] and not written(teams_app)
    only_in_conversation = teams.activity(text="boussole")
    only_in_conversation["conversation"]["tenantId"] = ELSEWHERE
    del only_in_conversation["channelData"]
    assert (await teams.post(only_in_conversation)).status == 403
    assert not written(teams_app)


@pytest.mark.asyncio
async def test_the_own_tenant_in_any_case_is_served(teams: TeamsClient, teams_app: App) -> None:
    reply = await teams.post(elsewhere(teams.activity(text="boussole"), TENANT.upper()))
    assert reply.status == 201 and written(teams_app)


def test_the_tenants_served_are_those_listed_else_the_app_s_own() -> None:
    own = TeamsSettings(app_id="a", app_tenant_id=" Tenant-A ")
    assert own.served_tenants == {"tenant-a"}
    listed = TeamsSettings(app_id="a", app_tenant_id="tenant-a", tenants="T-B, t-c ,")
    assert listed.served_tenants == {"t-b", "t-c"}
    assert TeamsSettings(app_id="a", app_type="MultiTenant").served_tenants == frozenset()


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(tenant=JSON, in_conversation=JSON)
def test_any_tenant_field_is_read_without_error_and_only_where_teams_writes_it(
    tenant: object, in_conversation: object
) -> None:
    body = {
        "type": "message",
        "channelData": {"tenant": tenant},
        "conversation": {"id": "c", "tenantId": in_conversation},
    }
    found = tenant_of(Activity().deserialize(body))
    named = tenant.get("id") if isinstance(tenant, dict) else None
    expected = named or (in_conversation if isinstance(in_conversation, str) else None)
    if expected:
        assert found == str(expected).lower()
    else:
        assert found is None or found == str(in_conversation).lower()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "channel_data",
    [
        {"tenant": {"id": ELSEWHERE.upper()}},
        {"tenant": {"id": f" {TENANT} "}},
        {"tenant": {"id": TENANT + "x"}},
        {"tenant": {"id": 7}},
        {"tenant": {"id": ELSEWHERE}, "other": {"tenant": {"id": TENANT}}},
    ],
)
async def test_a_tenant_that_is_not_exactly_the_own_one_is_refused(
    teams: TeamsClient, teams_app: App, channel_data: dict[str, Any]
) -> None:
    activity = teams.activity(text="boussole")
    activity["channelData"] = channel_data
    reply = await teams.post(activity)
    assert reply.status == 403 and reply.calls == [] and not written(teams_app)
