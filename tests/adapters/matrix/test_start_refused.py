"""`boussole serve` with Matrix settings it cannot start with: one line naming the setting,
exit 2, and the process ends.

Before, a user id without its `@` or a homeserver without `https://` reached mautrix as an
"Erreur interne (ValueError: User IDs start with @)"; a homeserver that did not answer or a
refused token, the same; and in each case the databases the Matrix client had opened kept
`serve` alive after it said so, answering nobody (a supervisor saw it running).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from adapters.matrix.client import connect
from adapters.matrix.settings import missing_setting
from bot.settings import SettingsError
from tests.adapters.matrix.conftest import Accounts
from tests.adapters.matrix.synapse import Synapse
from tests.net import free_port

BOUSSOLE = Path(sys.executable).parent / "boussole"
GOOD = {
    "BOUSSOLE_MATRIX_HOMESERVER": "https://matrix.example.org",
    "BOUSSOLE_MATRIX_USER_ID": "@boussole:example.org",
    "BOUSSOLE_MATRIX_DEVICE_ID": "BOUSSOLE",
    "BOUSSOLE_MATRIX_ACCESS_TOKEN": "syt_x",
}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BOUSSOLE_MATRIX_HOMESERVER", "matrix.example.org"),
        ("BOUSSOLE_MATRIX_HOMESERVER", "https://"),
        ("BOUSSOLE_MATRIX_HOMESERVER", "ftp://matrix.example.org"),
        ("BOUSSOLE_MATRIX_USER_ID", "boussole"),
        ("BOUSSOLE_MATRIX_USER_ID", "@boussole"),
        ("BOUSSOLE_MATRIX_USER_ID", "boussole:example.org"),
        ("BOUSSOLE_MATRIX_USER_ID", "@bous sole:example.org"),
    ],
)
def test_a_malformed_address_or_user_id_is_named_before_anything_starts(
    name: str, value: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        missing_setting({**GOOD, name: value})
    assert raised.value.name == name
    assert "par exemple" in raised.value.explained("fr")


def test_complete_and_well_formed_settings_start_matrix() -> None:
    assert missing_setting(GOOD) is None


class Refusing(BaseHTTPRequestHandler):
    """A homeserver that knows neither the token nor the password."""

    def _refuse(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        login = self.path.endswith("/login")
        body = {
            "errcode": "M_FORBIDDEN" if login else "M_UNKNOWN_TOKEN",
            "error": "Invalid password" if login else "Invalid access token passed.",
        }
        data = json.dumps(body).encode()
        self.send_response(403 if login else 401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = _refuse

    def log_message(self, *_args: object) -> None:
        """Quiet: the test reads what `serve` says, not the stub."""


@pytest.fixture
def refusing_homeserver() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Refusing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def serve(cli_env: dict[str, str], lang: str, **matrix: str) -> subprocess.CompletedProcess[str]:
    """`boussole serve`, which must end by itself: the timeout only stops a hang."""
    env = {k: v for k, v in cli_env.items() if not k.startswith(("SLACK_", "Microsoft"))}
    env |= {"BOUSSOLE_LANG": lang, "BOUSSOLE_MATRIX_DEVICE_ID": "BOUSSOLE", **matrix}
    return subprocess.run(
        [str(BOUSSOLE), "serve", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(("lang", "said"), [("fr", "ne répond pas"), ("en", "does not answer")])
def test_a_homeserver_that_does_not_answer_stops_serve_naming_it(
    cli_env: dict[str, str], lang: str, said: str
) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    done = serve(
        cli_env,
        lang,
        BOUSSOLE_MATRIX_HOMESERVER=nowhere,
        BOUSSOLE_MATRIX_USER_ID="@boussole:localhost",
        BOUSSOLE_MATRIX_ACCESS_TOKEN="syt_x",
    )
    assert done.returncode == 2, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert "BOUSSOLE_MATRIX_HOMESERVER" in last and nowhere in last and said in last


@pytest.mark.parametrize(
    ("credential", "named", "code"),
    [
        ({"BOUSSOLE_MATRIX_ACCESS_TOKEN": "syt_wrong"}, "ACCESS_TOKEN", "M_UNKNOWN_TOKEN"),
        ({"BOUSSOLE_MATRIX_PASSWORD": "wrong"}, "PASSWORD", "M_FORBIDDEN"),
    ],
)
def test_a_refused_token_or_password_stops_serve_naming_it(
    cli_env: dict[str, str],
    refusing_homeserver: str,
    credential: dict[str, str],
    named: str,
    code: str,
) -> None:
    done = serve(
        cli_env,
        "fr",
        BOUSSOLE_MATRIX_HOMESERVER=refusing_homeserver,
        BOUSSOLE_MATRIX_USER_ID="@boussole:localhost",
        **credential,
    )
    assert done.returncode == 2, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert f"Réglage BOUSSOLE_MATRIX_{named} invalide" in last, last
    assert "le serveur Matrix l'a refusé" in last and code in last
    assert "Erreur interne" not in done.stderr


@pytest.mark.asyncio
async def test_a_database_holding_another_device_s_keys_names_the_device_setting(
    synapse: Synapse, accounts: Accounts, tmp_path: Path
) -> None:
    """Before: "Erreur interne (RuntimeError: the crypto store holds keys of device …)"."""
    bot, store = accounts.bot, f"sqlite:///{tmp_path / 'keys.db'}"
    first = await connect(synapse.url, bot.user_id, bot.access_token, bot.device_id, store, "k")
    await first.close()
    with pytest.raises(SettingsError) as raised:
        await connect(synapse.url, bot.user_id, bot.access_token, "ANOTHER", store, "k")
    assert raised.value.name == "BOUSSOLE_MATRIX_DEVICE_ID"
    said = raised.value.explained("fr")
    assert f"les clés de l'appareil {bot.device_id}, pas de ANOTHER" in said
