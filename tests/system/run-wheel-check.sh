#!/usr/bin/env bash
# The install path of docs/deploy.md, from the wheel as an operator gets it:
#   1. `pip wheel` builds it, and it holds every file read at run time through the package
#      (the JSON schemas of bot/, the bundled flows, the migrations);
#   2. installed without extras in a fresh venv, `boussole serve` with Slack configured stops
#      with exit 2 and the install line of the slack extra;
#   3. once that very line is typed (pip keeps the installed wheel and adds the extra's
#      packages), the same `serve` starts and answers /healthz, then stops on SIGTERM.
# Packages come from PyPI, as in .ci/run; the server talks to nothing outside 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
python="${PYTHON:-python3}"

work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== building the wheel"
mkdir "$work/src"
cp -r pyproject.toml README.md LICENSE bot flows adapters storage "$work/src/"
find "$work/src" -name __pycache__ -prune -exec rm -rf {} +
"$python" -m pip wheel --quiet --no-deps -w "$work/dist" "$work/src"
wheel="$(ls "$work"/dist/boussole_ia-*.whl)"

"$python" - "$wheel" <<'PY'
import sys
import zipfile
from pathlib import Path

names = set(zipfile.ZipFile(sys.argv[1]).namelist())
expected = [p.as_posix() for p in Path("bot").glob("*.schema.json")]
expected += [p.as_posix() for p in Path("flows").glob("*.yaml")]
expected += [p.as_posix() for p in Path("storage/migrations/versions").glob("*.py")]
expected += ["storage/migrations/env.py", "bot/triage-result.schema.json"]
missing = sorted(set(expected) - names)
if missing:
    sys.exit("the wheel lacks: " + ", ".join(missing))
entry = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
if "boussole = adapters.console.cli:main" not in zipfile.ZipFile(sys.argv[1]).read(entry).decode():
    sys.exit("the wheel has no boussole command")
print(f"ok: the wheel holds the {len(set(expected))} files read through the package")
PY

echo "== a fresh venv, without extras"
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$wheel"
export BOUSSOLE_DATA_DIR="$work/data" SLACK_BOT_TOKEN=xoxb-1 SLACK_SIGNING_SECRET=s
export BOUSSOLE_SLACK_API_URL=http://127.0.0.1:9/api/ NO_PROXY=127.0.0.1
unset BOUSSOLE_DATABASE_URL MicrosoftAppId || true
code=0
said="$("$work/venv/bin/boussole" serve --lang en 2>&1)" || code=$?
if [ "$code" -ne 2 ] || ! grep -qF "pip install 'boussole-ia[slack]'" <<<"$said"; then
  echo "FAILED: serve without the slack extra said (exit $code): $said" >&2
  exit 1
fi
echo "ok: without the extra, exit 2 and the install line"

echo "== the same venv, after the install line"
"$work/venv/bin/python" -m pip install --quiet 'boussole-ia[slack]'
"$work/venv/bin/python" -c 'import slack_bolt'  # the extra came with the line
port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$work/venv/bin/boussole" serve --port "$port" 2>"$work/serve.log" &
server=$!
for _ in $(seq 1 100); do
  if "$python" -c "import urllib.request, sys; urllib.request.urlopen('http://127.0.0.1:$port/healthz', timeout=1)" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$server" 2>/dev/null; then
    echo "FAILED: serve stopped:" >&2
    cat "$work/serve.log" >&2
    exit 1
  fi
  sleep 0.3
done
"$python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/healthz', timeout=1)"
kill -TERM "$server"
wait "$server" || true
server=""
echo "ok: serve from the wheel with the slack extra answers /healthz and stops on SIGTERM"
