#!/usr/bin/env bash
# Makes actionlint (https://github.com/rhysd/actionlint, the GitHub Actions workflow checker)
# available without downloading a binary: one on PATH at the pinned version, else a cached
# build, else `go install` from the Go module proxy into the cache beside the Pulumi CLI
# (scripts/setup-pulumi.sh). Prints the path of the binary on its last line (stdout).
set -euo pipefail

version=${ACTIONLINT_VERSION:-v1.7.12}
cache_root=${PULUMI_HNS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-hns}
bin_dir="$cache_root/actionlint-$version/bin"

log() { printf '[setup-actionlint] %s\n' "$*" >&2; }

# `actionlint -version` prints the version on its first line ("v1.7.12" or "1.7.12").
fits() { [ "$("$1" -version 2>/dev/null | head -n1 | sed 's/^v//')" = "${version#v}" ]; }

if command -v actionlint >/dev/null 2>&1 && fits "$(command -v actionlint)"; then
  command -v actionlint
  exit 0
fi
if [ -x "$bin_dir/actionlint" ] && fits "$bin_dir/actionlint"; then
  echo "$bin_dir/actionlint"
  exit 0
fi
command -v go >/dev/null 2>&1 || { log "error: go is not installed; cannot build actionlint $version"; exit 2; }
log "compiling actionlint $version from the Go module proxy (first run only; about a minute)"
tmp=$(mkdir -p "$cache_root" && mktemp -d "$cache_root/actionlint-build.XXXXXX")
# The proxy reachable here does not serve the checksum database (as in setup-pulumi.sh).
# -ldflags sets the version `actionlint -version` prints (a module build has none otherwise).
GOBIN="$tmp" GOFLAGS=-mod=mod CGO_ENABLED=0 GOSUMDB=off \
  go install -trimpath -ldflags "-s -w -X github.com/rhysd/actionlint.version=$version" \
  "github.com/rhysd/actionlint/cmd/actionlint@$version" >&2
mkdir -p "$bin_dir"
mv "$tmp/actionlint" "$bin_dir/actionlint"
rm -rf "$tmp"
fits "$bin_dir/actionlint" || { log "error: the built actionlint does not report $version"; exit 2; }
echo "$bin_dir/actionlint"
