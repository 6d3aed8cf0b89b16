#!/usr/bin/env bash
# The one test command (README, .ci/run): set-up, type check, lint and format check, production
# builds for Chromium and Firefox, AMO's linter on the Firefox build, then every test (unit +
# end-to-end in Chromium and Firefox ESR) in one vitest run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx wxt prepare >/dev/null
npx tsc --noEmit -p tsconfig.json
# Lint + format check (biome.jsonc); warnings fail too. `npm run format` / `npm run lint:fix` fix most.
npx biome check --error-on-warnings .
npx wxt build >/dev/null
npx wxt build -b firefox >/dev/null
mkdir -p artifacts
bash scripts/lint-firefox.sh
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=artifacts/vitest.json "$@" || status=$?
# Vitest's counts once more as a plain closing line, for readers that only look at the last line.
node -e '
  const r = JSON.parse(require("fs").readFileSync("artifacts/vitest.json", "utf8"));
  const per = {};
  for (const file of r.testResults) for (const t of file.assertionResults) {
    const key = file.name.includes("/tests/e2e/") ? `e2e ${t.ancestorTitles[0]}` : "unit";
    per[key] ??= { passed: 0, failed: 0, other: 0 };
    per[key][t.status === "passed" ? "passed" : t.status === "failed" ? "failed" : "other"]++;
  }
  for (const [k, v] of Object.entries(per)) console.log(`  ${k}: ${v.passed} passed, ${v.failed} failed${v.other ? `, ${v.other} skipped` : ""}`);
  // A file that fails before its tests run (an import that does not resolve) has no tests to count.
  const broken = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).map((f) => f.name);
  for (const name of broken) console.log(`  did not run: ${name}`);
  console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed${broken.length ? `, ${broken.length} test files did not run` : ""}`);
' || true
exit $status
