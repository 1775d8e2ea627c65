#!/usr/bin/env bash
# The Teams checks that need Node 20 (run by .ci/run after the Python test suite):
#   1. every card the adapter can produce, parsed and validated by the real Adaptive Cards
#      library (npm `adaptivecards`) for version 1.5: any parse event or validation failure
#      fails the run;
#   2. a whole triage driven through Microsoft 365 Agents Playground (npm
#      `@microsoft/m365agentsplayground`), headless, against `boussole serve` with
#      BOUSSOLE_TEAMS_AUTH=off and BOUSSOLE_ENV=development.
# npm packages are installed into a temporary folder (never committed); Python is the one
# on PATH (the project's venv), or $PYTHON.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${PYTHON:-python}"
ADAPTIVECARDS_VERSION="3.0.6"
PLAYGROUND_VERSION="0.2.28"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/boussole-teams-checks.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

node --version >/dev/null || { echo "Node.js is required for the Teams checks" >&2; exit 1; }

echo "== npm: adaptivecards@${ADAPTIVECARDS_VERSION}, @microsoft/m365agentsplayground@${PLAYGROUND_VERSION}"
npm install --prefix "$WORK" --no-audit --no-fund --no-save --loglevel=error \
  "adaptivecards@${ADAPTIVECARDS_VERSION}" \
  "@microsoft/m365agentsplayground@${PLAYGROUND_VERSION}" >/dev/null

cd "$ROOT"
status=0

echo "== Adaptive Cards 1.5: every card, with the adaptivecards library"
"$PYTHON" -m tests.node.dump_cards "$WORK/cards"
NODE_PATH="$WORK/node_modules" node tests/node/validate-cards.js "$WORK/cards" || status=1

echo "== Microsoft 365 Agents Playground: a whole triage, headless"
"$PYTHON" -m tests.node.playground_e2e \
  "$WORK/node_modules/@microsoft/m365agentsplayground/cli.js" || status=1

if [ "$status" -ne 0 ]; then
  echo "Teams checks: FAILED" >&2
fi
exit "$status"
