#!/usr/bin/env bash
# The lab's commands as a user gets them with `npm ci --omit=dev`: a copy of the tracked files,
# runtime dependencies only, then `lab --help` and `lab check --help` (which load the CLI and the
# check's modules). A command that imports a devDependency fails here.
set -euo pipefail
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
git ls-files -z | tar --null -T - -cf - | tar -x -C "$copy"
cd "$copy"
npm ci --omit=dev --no-audit --no-fund >/dev/null
npm run --silent lab -- --help >/dev/null
npm run --silent lab -- check --help
node --input-type=module -e "await import('./lab/commands/check.ts'); await import('./lab/chromium.ts')"
