"""A valid Bot Framework token says only that the Bot Framework sent the activity. Anyone who
knows the bot's app id (it is in every activity the bot sends) can put the app in a tenant of
their own, and Teams then delivers that tenant's messages here, signed: the bot answered them,
ran their triages into the authority's database. It now serves its own tenant
(MicrosoftAppTenantId), or those BOUSSOLE_TEAMS_TENANTS lists; any other gets 403, and nothing
is written or sent."""

from __future__ import annotations

from typing import Any

import pytest

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
