#!/usr/bin/env bash
# What an AMO reviewer does with the sources zip: unpack it in an empty folder, `npm ci`,
# `npm run build:firefox`, and compare the result with the Firefox package `npm run zip` made.
# Prints a file list with SHA-256 of both sides; exits 1 on any difference. Run `npm run zip` first.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
version=$(node -p 'require("./package.json").version')
name=$(node -p 'require("./package.json").name')
sources="$root/.output/$name-$version-sources.zip"
package="$root/.output/$name-$version-firefox.zip"
for f in "$sources" "$package"; do [ -f "$f" ] || { echo "verify-sources: missing $f (run: npm run zip)" >&2; exit 1; }; done

work=$(mktemp -d "${TMPDIR:-/tmp}/icado-sources-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$work/package"
(cd "$work/src" && unzip -q "$sources")
(cd "$work/package" && unzip -q "$package")

# Nothing in the sources that is not source: no certificates, keys, logs or build output.
bad=$(cd "$work/src" && find . -type f \( -name '*.pem' -o -name '*.key' -o -name '*.crt' -o -name '*.p12' -o -name '*.log' -o -name '*.zip' \) -o -path './.output/*' -o -path './node_modules/*' -o -path './artifacts/*' -o -path './.sandbox/*' | head)
if [ -n "$bad" ]; then echo "verify-sources: the sources zip holds files it must not:"; echo "$bad"; exit 1; fi

echo "verify-sources: building from $(basename "$sources") in $work/src"
(cd "$work/src" && PUPPETEER_SKIP_DOWNLOAD=true npm ci --no-audit --no-fund --prefer-offline >"$work/npm-ci.log" 2>&1) || { cat "$work/npm-ci.log"; exit 1; }
(cd "$work/src" && npm run build:firefox >"$work/build.log" 2>&1) || { cat "$work/build.log"; exit 1; }

list() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
list "$work/package" >"$work/package.sha256"
list "$work/src/.output/firefox-mv2" >"$work/rebuilt.sha256"
echo "Firefox package ($(basename "$package")) vs rebuilt from sources:"
if diff -u "$work/package.sha256" "$work/rebuilt.sha256"; then
  sed 's/^/  /' "$work/package.sha256"
  echo "verify-sources: identical ($(wc -l <"$work/package.sha256") files; combined $(sha256sum "$work/package.sha256" | cut -c1-16))"
else
  echo "verify-sources: DIFFERENT"
  exit 1
fi
