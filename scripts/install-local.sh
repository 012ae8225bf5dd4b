#!/usr/bin/env bash
# Installs pulumi-hns from this clone into a Pulumi project, until the package is on a public
# registry: packs the clone (`npm pack`) into the project directory and runs `npm install` there
# with the tarball and what a TypeScript program needs beside it (@pulumi/pulumi at the version
# the package is built against, typescript, @types/node). Without typescript in the project,
# Pulumi falls back to its bundled TypeScript 3.8, which does not understand the package's types.
#
#   bash path/to/pulumi-hns/scripts/install-local.sh [project-dir]   (default: the current directory)
#
# The tarball stays in the project (package.json names it as "file:pulumi-hns-<version>.tgz"),
# so `npm ci` there works later without the clone. Builds the clone first when dist/ is missing
# or older than a source file.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
project=$(cd "${1:-.}" && pwd)
log() { printf '[install-local] %s\n' "$*" >&2; }

if [ ! -d "$repo/node_modules/typescript" ]; then
  log "installing the clone's own dependencies (npm ci in $repo; builds dist/)"
  (cd "$repo" && npm ci --no-audit --no-fund >&2)
elif [ ! -f "$repo/dist/sdk/index.js" ] || [ -n "$(find "$repo/provider" "$repo/sdk" -name '*.ts' -newer "$repo/dist/sdk/index.js" -print -quit)" ]; then
  log "building $repo (dist/ is missing or older than the source)"
  (cd "$repo" && npm run build >&2)
fi

pin() { node -p "const p = require('$repo/package.json'); p.dependencies['$1'] || p.devDependencies['$1']"; }
# --ignore-scripts: prepack would delete dist/ and rebuild it; it is built above.
tarball=$(cd "$repo" && npm pack --ignore-scripts --json --pack-destination "$project" | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s)[0].filename))')
log "packed $tarball into $project"
cd "$project"
npm install --no-audit --no-fund --save-exact "./$tarball" "@pulumi/pulumi@$(pin @pulumi/pulumi)" >&2
npm install --no-audit --no-fund --save-exact --save-dev "typescript@$(pin typescript)" "@types/node@$(pin @types/node)" >&2
log "installed pulumi-hns ($tarball), @pulumi/pulumi, typescript and @types/node in $project"
