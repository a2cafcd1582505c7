#!/usr/bin/env bash
# The whole test command (`npm test`): type-check, lint, build, then every test.
# System packages that later suites need are installed here when missing and running as root.
set -euo pipefail
cd "$(dirname "$0")/.."

echo '== typecheck'
npx tsc -p tsconfig.json --noEmit
echo '== typecheck:ui'
npx tsc -p ui/tsconfig.json --noEmit
echo '== lint'
npx biome check .
echo '== build'
# The CLI tests run the real `switchyard` command, which loads the compiled dist/.
npm run --silent build
echo '== system packages'
# Debian packages the tests need: Chromium for the UI tests (test/ui, driven by playwright-core; no
# browser is downloaded), redis-server and PostgreSQL for the throwaway servers every run starts
# (test/support/services.ts). Installed when missing and running as root; otherwise the exact
# command is printed. PostgreSQL's initdb and pg_ctl live off PATH, in /usr/lib/postgresql/*/bin.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if ! command -v initdb >/dev/null 2>&1 && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  missing+=(postgresql)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  else
    echo "The tests need these Debian packages: ${missing[*]}. Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
echo '== tests'
mkdir -p test-results
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@" || status=$?
# One plain closing line for CI: "tests: N passed, N failed".
node -e '
  const r = require("./test-results/vitest.json");
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
' || true
exit "$status"
