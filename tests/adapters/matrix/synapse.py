"""A real Synapse homeserver for the tests: from PyPI, on a loopback port, with its own SQLite.

The test extra installs `matrix-synapse` beside Boussole (no conflict today); should it ever
be missing, a virtual environment of its own is made once under BOUSSOLE_SYNAPSE_VENV (a tmp
directory by default), so that the tests run rather than skip. Accounts are registered through
the admin API with the shared secret, as an operator would with `register_new_matrix_user`.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.net import free_port

VENV = Path(os.environ.get("BOUSSOLE_SYNAPSE_VENV", "/tmp/boussole-synapse-venv"))
REQUIREMENT = "matrix-synapse>=1.100"
SERVER_NAME = "boussole.test"
SECRET = "shared-secret-for-tests"
START_TIMEOUT = 120.0
"""Seconds Synapse may take to answer after start (first start applies its schema)."""

CONFIG = """
server_name: "{server_name}"
pid_file: "{root}/homeserver.pid"
public_baseurl: "http://127.0.0.1:{port}/"
listeners:
  - port: {port}
    bind_addresses: ["127.0.0.1"]
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: "{root}/homeserver.db"
log_config: "{root}/log.yaml"
media_store_path: "{root}/media"
signing_key_path: "{root}/signing.key"
registration_shared_secret: "{secret}"
report_stats: false
trusted_key_servers: []
suppress_key_server_warning: true
enable_registration: false
federation_domain_whitelist: []
presence:
  enabled: false
rc_message: {{per_second: 1000, burst_count: 1000}}
rc_joins: {{local: {{per_second: 1000, burst_count: 1000}}}}
rc_invites:
  per_room: {{per_second: 1000, burst_count: 1000}}
  per_user: {{per_second: 1000, burst_count: 1000}}
rc_login:
  address: {{per_second: 1000, burst_count: 1000}}
  account: {{per_second: 1000, burst_count: 1000}}
rc_key_requests: {{per_second: 1000, burst_count: 1000}}
"""
LOG_CONFIG = """
version: 1
formatters:
  plain: {format: "%(asctime)s %(levelname)s %(name)s %(message)s"}
handlers:
  file: {class: logging.FileHandler, filename: "ROOT/homeserver.log", formatter: plain}
root: {level: WARNING, handlers: [file]}
disable_existing_loggers: false
"""


def synapse_python() -> Path:
    """An interpreter that has Synapse: this one, else the cached venv (made on first use)."""
    if importlib.util.find_spec("synapse") is not None:
        return Path(sys.executable)
    python = VENV / "bin" / "python"
    probe = [str(python), "-c", "import synapse.app.homeserver"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", REQUIREMENT], check=True, timeout=900
    )
    return python


@dataclass(frozen=True)
class Account:
    user_id: str
    access_token: str
    device_id: str
    password: str


class Synapse:
    """One homeserver process for the whole session."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        python = synapse_python()
        self.root.mkdir(parents=True, exist_ok=True)
        config = self.root / "homeserver.yaml"
        config.write_text(
            CONFIG.format(server_name=SERVER_NAME, root=self.root, port=self.port, secret=SECRET)
        )
        (self.root / "log.yaml").write_text(LOG_CONFIG.replace("ROOT", str(self.root)))
        module = "synapse.app.homeserver"
        subprocess.run(
            [str(python), "-m", module, "-c", str(config), "--generate-keys"],
            check=True,
            capture_output=True,
        )
        self.process = subprocess.Popen(
            [str(python), "-m", module, "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=(self.root / "stderr.log").open("wb"),
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"Synapse exited: {(self.root / 'stderr.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("Synapse did not answer in time")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def register(self, localpart: str, admin: bool = False) -> Account:
        """An account and its first device, by the shared-secret admin API."""
        endpoint = f"{self.url}/_synapse/admin/v1/register"
        nonce = _json(endpoint)["nonce"]
        password = f"{localpart}-password"
        signed = "\x00".join((str(nonce), localpart, password, "admin" if admin else "notadmin"))
        mac = hmac.new(SECRET.encode(), signed.encode(), digestmod=hashlib.sha1)
        body = {
            "nonce": nonce,
            "username": localpart,
            "password": password,
            "admin": admin,
            "mac": mac.hexdigest(),
        }
        answer = _json(endpoint, body)
        return Account(answer["user_id"], answer["access_token"], answer["device_id"], password)


def _json(url: str, body: dict[str, object] | None = None) -> dict[str, object]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())
