#!/usr/bin/env bash
# The one test command (README, .ci/run): set-up, type check, production build, then every test
# (unit + end-to-end in real browsers) in one vitest run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx wxt prepare >/dev/null
npx tsc --noEmit -p tsconfig.json
npx wxt build >/dev/null
mkdir -p artifacts
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=artifacts/vitest.json "$@" || status=$?
# Vitest's counts once more as a plain closing line, for readers that only look at the last line.
node -e '
  const r = JSON.parse(require("fs").readFileSync("artifacts/vitest.json", "utf8"));
  console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
' || true
exit $status
