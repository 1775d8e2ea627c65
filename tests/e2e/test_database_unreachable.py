"""A database that cannot be opened names the setting to look at: BOUSSOLE_DATABASE_URL when
the deployer gave one, else the data directory the SQLite file is made in (a newcomer who set
BOUSSOLE_DATA_DIR was sent to a URL they never set)."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.helpers import boussole


def test_an_unusable_data_directory_is_named(cli_env: dict[str, str], tmp_path: Path) -> None:
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x", "utf-8")
    env = {k: v for k, v in cli_env.items() if k != "BOUSSOLE_DATABASE_URL"}
    done = boussole("list", env={**env, "BOUSSOLE_DATA_DIR": str(a_file)})
    assert done.returncode == 2
    assert "Base de données inaccessible" in done.stderr
    assert "Vérifiez BOUSSOLE_DATA_DIR, le dossier où elle est créée" in done.stderr


def test_an_unusable_database_url_is_named(cli_env: dict[str, str], tmp_path: Path) -> None:
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x", "utf-8")
    url = f"sqlite:///{a_file / 'boussole.db'}"
    done = boussole("list", "--lang", "en", env={**cli_env, "BOUSSOLE_DATABASE_URL": url})
    assert done.returncode == 2
    assert "Database unreachable" in done.stderr and done.stderr.strip().endswith(
        "Check BOUSSOLE_DATABASE_URL."
    )
