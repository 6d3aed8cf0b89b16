#!/usr/bin/env bash
# The main job on the local sandbox (README's first command).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx wxt build >/dev/null
npx tsx scripts/demo.ts
