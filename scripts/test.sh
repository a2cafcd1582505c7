#!/usr/bin/env bash
# The whole test command (`npm test`): type-check, lint, build, then every test.
# System packages that later suites need are installed here when missing and running as root.
set -euo pipefail
cd "$(dirname "$0")/.."

echo '== typecheck'
npx tsc -p tsconfig.json --noEmit
echo '== lint'
npx biome check .
echo '== build'
# The CLI tests run the real `switchyard` command, which loads the compiled dist/.
npm run --silent build
echo '== tests'
npx vitest run "$@"
