#!/usr/bin/env bash
# The register site in a real browser: a register with projects of every shape, generated in
# French and English by the real generator (the rules' diagram drawn by the real Mermaid CLI),
# then every page opened in Debian's headless Chromium: axe-core at WCAG 2.1 AA (the RGAA's
# basis) with zero violations, every link resolving to a generated file, no horizontal scroll
# at 320 px nor at 200% zoom (screenshots in the artefacts folder: BOUSSOLE_ARTEFACTS, else a
# temporary folder named at the end); and the Nu HTML validator (vnu-jar, on the machine's
# Java) over every page, errors only.
# Installs what it needs: Chromium (apt, as root, when missing), axe-core, puppeteer-core and
# vnu-jar (npm, pinned, into a temporary folder) and the Mermaid CLI (npm ci in
# tests/node/mermaid); never a browser download.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=tests/node/register_site
AXE_CORE_VERSION="4.14.1"
PUPPETEER_CORE_VERSION="24.9.0"
VNU_JAR_VERSION="26.9.27"

export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
python="${PYTHON:-python}"
if ! "$python" -c 'import bot.register_site' 2>/dev/null; then
  python=.venv/bin/python
fi

browser="${BOUSSOLE_CHROMIUM:-$(command -v chromium || true)}"
if [ -z "$browser" ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "register site: Chromium is missing; install Debian's chromium package" >&2
    exit 1
  fi
  echo "== installing Chromium (Debian package)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  browser="$(command -v chromium)"
fi
if ! command -v java >/dev/null; then
  echo "register site: Java is missing (the Nu validator runs on it); install default-jre-headless" >&2
  exit 1
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/boussole-register-site.XXXXXX")"
trap 'rm -rf "$work"' EXIT
artefacts="${BOUSSOLE_ARTEFACTS:-$(mktemp -d "${TMPDIR:-/tmp}/boussole-artefacts.XXXXXX")}/register-site"
mkdir -p "$artefacts" "$work/npm" "$work/site" "$work/data"

echo "== installing axe-core $AXE_CORE_VERSION, puppeteer-core $PUPPETEER_CORE_VERSION, vnu-jar $VNU_JAR_VERSION"
cp "$here/check.js" "$work/npm/"
(cd "$work/npm" && echo '{"private": true}' >package.json \
  && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error \
    "axe-core@$AXE_CORE_VERSION" "puppeteer-core@$PUPPETEER_CORE_VERSION" \
    "vnu-jar@$VNU_JAR_VERSION")

echo "== installing the Mermaid CLI (pinned in tests/node/mermaid), for the rules' diagram"
(cd tests/node/mermaid && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
"$python" tests/node/mermaid/puppeteer_config.py "$browser" "$work/mermaid-profile" \
  >"$work/puppeteer.json"

BOUSSOLE_MMDC="$PWD/tests/node/mermaid/node_modules/.bin/mmdc" \
  BOUSSOLE_MMDC_PUPPETEER_CONFIG="$work/puppeteer.json" \
  "$python" "$here/write_site.py" "$work/site" "$work/data"
for lang in fr en; do
  if ! grep -q '<img src="rules-diagram.svg" alt="' "$work/site/$lang/rules.html" \
    || ! grep -q "<svg" "$work/site/$lang/rules-diagram.svg"; then
    echo "FAILED: $lang/rules.html has no diagram: the Mermaid CLI did not draw it" >&2
    exit 1
  fi
done
echo "ok: the rules pages show the diagram, drawn by the Mermaid CLI"

echo "== Nu HTML validator"
java -jar "$work/npm/node_modules/vnu-jar/build/dist/vnu.jar" --errors-only --skip-non-html \
  "$work/site"
echo "ok: every page is valid HTML"

echo "== axe-core, links, 320 px and 200% zoom"
BOUSSOLE_CHROMIUM="$browser" node "$work/npm/check.js" "$work/chromium-profile" "$work/site" \
  "$artefacts" "$work/data/broken.html"
echo "screenshots: $artefacts"
