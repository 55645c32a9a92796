#!/usr/bin/env bash
# System packages for the browser tests (tests/web/test_browser.py), installed idempotently on Debian:
#   chromium + chromium-driver (driven headless by Playwright's Python package with
#   executable_path=/usr/bin/chromium; never `playwright install`, which downloads browsers),
#   node + npm, then axe-core from package-lock.json (node_modules/axe-core/axe.min.js);
# and for the PostgreSQL tests (tests/postgres.py starts a throwaway server from the binaries):
#   postgresql (initdb, pg_ctl, postgres under /usr/lib/postgresql/<version>/bin; the package's
#   own cluster is not used, and the tests run the server as the postgres user when run as root).
# Safe to run repeatedly: installs only what is missing.
set -euo pipefail

cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)

if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "ci_system_deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
else
  echo "ci_system_deps: chromium, chromium-driver, node, npm and postgresql already installed"
fi

if [ ! -f node_modules/axe-core/axe.min.js ]; then
  echo "ci_system_deps: installing axe-core (npm)"
  npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error
fi

/usr/bin/chromium --version 2>/dev/null | head -n1 || true
ls -d /usr/lib/postgresql/*/bin/postgres 2>/dev/null | head -n1 || true
echo "ci_system_deps: axe-core $(node -p 'require("./node_modules/axe-core/package.json").version')"
