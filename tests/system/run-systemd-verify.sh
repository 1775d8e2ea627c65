#!/usr/bin/env bash
# Checks the example systemd unit (extras/systemd/boussole.service) with `systemd-analyze
# verify`: unknown directives, bad values and a missing executable fail. The unit's ExecStart
# names /opt/boussole/venv, which CI has not, so a copy is verified with this checkout's own
# `boussole` instead. A deliberately broken copy must fail too, so that a green run means the
# verifier really ran. Installs Debian's systemd package when systemd-analyze is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
unit=extras/systemd/boussole.service
installed=/opt/boussole/venv/bin/boussole

if ! command -v systemd-analyze >/dev/null; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "systemd check: systemd-analyze is missing; install Debian's systemd package" >&2
    exit 1
  fi
  echo "== installing systemd-analyze (Debian package systemd)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd >/dev/null
fi

boussole="$(command -v boussole || true)"
[ -n "$boussole" ] || boussole="$PWD/.venv/bin/boussole"
if [ ! -x "$boussole" ]; then
  echo "systemd check: no boussole command to stand for $installed" >&2
  exit 1
fi
grep -q "^ExecStart=$installed " "$unit" || {
  echo "systemd check: $unit no longer starts $installed; update this script and docs/deploy.md" >&2
  exit 1
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

verify() {
  # systemd-analyze exits 0 on some warnings: any line naming the unit is a failure too.
  local copy="$1" said code=0
  said="$(cd "$work" && systemd-analyze verify "$copy" 2>&1)" || code=$?
  printf '%s\n' "$said" | grep -F "$(basename "$copy")" >&2 && return 1
  return "$code"
}

mkdir "$work/good" "$work/bad"
sed "s#$installed#$boussole#" "$unit" >"$work/good/boussole.service"
sed -e "s#$installed#$boussole#" -e 's/^Restart=on-failure$/Restart=sometimes/' "$unit" \
  >"$work/bad/boussole.service"

if ! verify "$work/good/boussole.service"; then
  echo "FAILED: systemd-analyze verify $unit" >&2
  exit 1
fi
echo "ok: systemd-analyze verify $unit"
if verify "$work/bad/boussole.service" 2>/dev/null; then
  echo "FAILED: a unit with Restart=sometimes passed systemd-analyze verify" >&2
  exit 1
fi
echo "ok: a broken copy is refused"
