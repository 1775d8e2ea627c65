"""The Slack and Teams harnesses' fixtures, for the attacks replayed here against the real
server: a Slack Web API stub and signed requests; the real CloudAdapter with a connector stub
and locally served signing keys."""

from tests.adapters.slack.conftest import slack, slack_env, stub  # noqa: F401
from tests.adapters.teams.conftest import (  # noqa: F401
    connector,
    openid,
    platform,
    session,
    teams,
    teams_app,
    teams_env,
)
