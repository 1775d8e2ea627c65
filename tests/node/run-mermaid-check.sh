#!/usr/bin/env bash
# Renders the bundled flow's Mermaid diagram (French and English) to SVG, and once to PNG through
# flows.diagram.render, with the real Mermaid CLI driving Debian's headless Chromium: any parse or
# render error fails the check. A broken diagram must fail too, so that a green run means the
# parser really ran. Installs what it needs: Chromium (apt, as root) and the CLI (npm ci, pinned
# in tests/node/mermaid/package-lock.json, never a browser download).
set -euo pipefail
cd "$(dirname "$0")/../.."
here=tests/node/mermaid

export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
python="${PYTHON:-python}"
if ! "$python" -c 'import flows.diagram' 2>/dev/null; then
  python=.venv/bin/python
fi

browser="${BOUSSOLE_CHROMIUM:-$(command -v chromium || true)}"
if [ -z "$browser" ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "mermaid check: Chromium is missing; install Debian's chromium package" >&2
    exit 1
  fi
  echo "== installing Chromium (Debian package)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  browser="$(command -v chromium)"
fi

echo "== installing the Mermaid CLI"
(cd "$here" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
mmdc="$PWD/$here/node_modules/.bin/mmdc"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" "$here/puppeteer_config.py" "$browser" "$work/chromium-profile" >"$work/puppeteer.json"

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok: $1"; }
fail() { failed=$((failed + 1)); echo "FAILED: $1" >&2; }

for lang in fr en; do
  "$python" "$here/write_diagram.py" "$lang" >"$work/flow-$lang.mmd"
  if "$mmdc" --quiet -p "$work/puppeteer.json" -i "$work/flow-$lang.mmd" \
      -o "$work/flow-$lang.svg" >"$work/mmdc-$lang.log" 2>&1 \
    && grep -q "<svg" "$work/flow-$lang.svg" \
    && ! grep -qi "syntax error" "$work/flow-$lang.svg"; then
    pass "bundled flow diagram ($lang) renders to SVG"
  else
    cat "$work/mmdc-$lang.log" >&2
    fail "bundled flow diagram ($lang) does not render"
  fi
done

printf 'flowchart TD\n  a["unclosed --> b\n' >"$work/broken.mmd"
if "$mmdc" --quiet -p "$work/puppeteer.json" -i "$work/broken.mmd" -o "$work/broken.svg" \
    >"$work/broken.log" 2>&1; then
  fail "a broken diagram was accepted: the parser did not run"
else
  pass "a broken diagram is refused"
fi

if BOUSSOLE_MMDC="$mmdc" BOUSSOLE_MMDC_PUPPETEER_CONFIG="$work/puppeteer.json" \
    "$python" "$here/write_diagram.py" fr --png "$work/flow-fr.png" 2>"$work/render.log" \
  && [ "$(head -c 4 "$work/flow-fr.png" | od -An -c | tr -d ' ')" = "211PNG" ]; then
  pass "flows.diagram.render writes a PNG"
else
  cat "$work/render.log" >&2
  fail "flows.diagram.render did not write a PNG"
fi

echo "mermaid: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
