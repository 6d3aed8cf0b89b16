#!/usr/bin/env bash
# npm run bench [-- --check]: production builds (Chromium, Firefox), a second Chromium build with
# hidden source maps (only to say which modules the bytes come from), then the measurements in
# headless Chromium and Firefox ESR against the sandbox. Results: the printed table and
# artifacts/bench.json; docs/performance.md explains them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The build's own warnings (zod comments Rollup drops) are noise here; shown only if it fails.
if ! npx wxt build >"$work/build.log" 2>&1; then
  cat "$work/build.log" >&2
  exit 1
fi
# Measure a private copy: another build in this checkout (npm test) wipes .output while it runs.
cp -r .output/chrome-mv3 "$work/ext"
if ! npx wxt build -b firefox >"$work/build-firefox.log" 2>&1; then
  cat "$work/build-firefox.log" >&2
  exit 1
fi
cp -r .output/firefox-mv2 "$work/ext-firefox"
if ! npx tsx scripts/bench/build-with-maps.ts "$work/maps" >/dev/null 2>&1; then
  echo "bench: the source-map build failed; no per-module breakdown" >&2
fi
npx tsx scripts/bench/main.ts --build "$work/ext" --firefox-build "$work/ext-firefox" --maps "$work/maps/chrome-mv3" "$@"
