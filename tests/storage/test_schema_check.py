"""The start-up schema check reads `alembic_version` and compares it with a head known without
importing Alembic (storage.database.SCHEMA_HEAD): it must agree with Alembic's own head, and
an outdated or foreign schema must still be upgraded or refused as before."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

from bot.app import open_app
from bot.settings import Settings
from storage.database import SCHEMA_HEAD, current_revision, make_engine
from tests.e2e.helpers import REPO


def alembic_config() -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("storage").joinpath("migrations"))
    )
    return config


def test_the_head_known_without_alembic_is_alembic_s_own_head() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == SCHEMA_HEAD


def test_an_outdated_schema_is_upgraded_to_the_head(settings: Settings) -> None:
    script = ScriptDirectory.from_config(alembic_config())
    previous = script.get_revision(SCHEMA_HEAD).down_revision
    assert isinstance(previous, str)
    engine = make_engine(settings.resolved_database_url())
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, previous)
    assert current_revision(engine) == previous
    open_app(settings).close()
    assert current_revision(engine) == SCHEMA_HEAD
    engine.dispose()


def test_a_foreign_revision_is_refused_as_before(cli_env: dict[str, str]) -> None:
    def boussole_list() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "adapters.console", "list"],
            env=cli_env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert boussole_list().returncode == 0
    engine = make_engine(cli_env["BOUSSOLE_DATABASE_URL"])
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    refused = boussole_list()
    assert refused.returncode == 1
    assert "CommandError: Can't locate revision identified by '9999'" in refused.stderr
