#!/usr/bin/env bash
# AMO's linter on the Firefox build (.output/firefox-mv2, from `npx wxt build -b firefox`): any error,
# warning or notice fails. Usage: scripts/lint-firefox.sh [dir]
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-.output/firefox-mv2}"
[ -f "$dir/manifest.json" ] || { echo "lint-firefox: no build in $dir (run: npx wxt build -b firefox)" >&2; exit 1; }
mkdir -p artifacts
# web-ext exits non-zero on errors; the JSON report decides either way.
npx web-ext lint --source-dir "$dir" --no-input --no-config-discovery --output json >artifacts/web-ext-lint.json 2>artifacts/web-ext-lint.stderr || true
node - artifacts/web-ext-lint.json <<'JS'
const fs = require('node:fs');
let report;
try {
  report = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
} catch {
  console.error('web-ext lint: no JSON report'); console.error(fs.readFileSync('artifacts/web-ext-lint.stderr', 'utf8'));
  process.exit(1);
}
const { errors, warnings, notices } = report.summary;
for (const kind of ['errors', 'warnings', 'notices']) {
  for (const m of report[kind] ?? []) console.log(`  ${kind.slice(0, -1)} ${m.code}: ${m.message} (${m.file ?? ''}${m.line ? `:${m.line}` : ''})`);
}
console.log(`web-ext lint: ${errors} errors, ${warnings} warnings, ${notices} notices`);
process.exit(errors + warnings + notices === 0 ? 0 : 1);
JS
