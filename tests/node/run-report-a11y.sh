#!/usr/bin/env bash
# The HTML report in a real browser: reports of several shapes, in French and English, opened in
# Debian's headless Chromium and checked by axe-core at WCAG 2.1 AA (the RGAA's basis); any
# violation fails, and so does a broken page that passes (axe-core did not run). Installs what it
# needs: Chromium (apt, as root, when missing) and axe-core with puppeteer-core (npm, pinned, into
# a temporary folder; never a browser download).
set -euo pipefail
cd "$(dirname "$0")/../.."
here=tests/node/report_a11y
AXE_CORE_VERSION="4.14.1"
PUPPETEER_CORE_VERSION="24.9.0"

export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
python="${PYTHON:-python}"
if ! "$python" -c 'import bot.report_html' 2>/dev/null; then
  python=.venv/bin/python
fi

browser="${BOUSSOLE_CHROMIUM:-$(command -v chromium || true)}"
if [ -z "$browser" ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "report accessibility: Chromium is missing; install Debian's chromium package" >&2
    exit 1
  fi
  echo "== installing Chromium (Debian package)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  browser="$(command -v chromium)"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/boussole-report-a11y.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "== installing axe-core $AXE_CORE_VERSION and puppeteer-core $PUPPETEER_CORE_VERSION"
mkdir -p "$work/npm" "$work/reports"
cp "$here/check.js" "$work/npm/"
(cd "$work/npm" && echo '{"private": true}' >package.json \
  && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error \
    "axe-core@$AXE_CORE_VERSION" "puppeteer-core@$PUPPETEER_CORE_VERSION")

"$python" "$here/write_reports.py" "$work/reports"
BOUSSOLE_CHROMIUM="$browser" node "$work/npm/check.js" "$work/chromium-profile" \
  "$work"/reports/*.html
