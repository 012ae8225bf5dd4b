#!/usr/bin/env bash
# Makes a Pulumi CLI that matches @pulumi/pulumi available, without downloading a binary.
#
# Order: a `pulumi` already on PATH at or above the SDK's version (with a pulumi-language-nodejs);
# else a cached build; else build `pulumi` from the Go module proxy (module
# github.com/pulumi/pulumi/pkg/v3, package cmd/pulumi; its go.mod has replace directives, which
# make `go install pkg@version` refuse, so it is built from a throwaway main module) plus our own minimal Node.js language host
# (tools/language-host/main.go; the upstream one is not on the proxy) and cache both outside
# the repo. The language host is rebuilt when its source changes (a hash of tools/language-host/*.go
# and the version sits beside it), so a changed host (RunPlugin for policy packs, say) reaches
# every cache at its next run.
# Runs sharing a cache take turns (flock on the cache directory, where flock exists): two test
# runs started at once would otherwise copy the host's source over each other's build.
# The Pulumi YAML language host (pulumi-language-yaml, for `runtime: yaml` stacks and the native
# plugin's YAML examples) is `go install`ed from the proxy at a pinned version into the same
# cache directory, unless one is already on PATH.
# `--nodejs-only` leaves the YAML language host out: a Node.js stack (the README's quickstart)
# does not use it, and building it adds minutes to a first run.
# Prints the directory holding the binaries on its last line (stdout); progress goes to stderr,
# with a line every PULUMI_HNS_PROGRESS_EVERY seconds (default 30) while a Go build runs.
set -euo pipefail

want_yaml=true
for arg in "$@"; do
  case $arg in
    --nodejs-only) want_yaml=false ;;
    *) echo "[setup-pulumi] unknown argument $arg (known: --nodejs-only)" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")/.." && pwd)
version=${PULUMI_VERSION:-$(node -p "require('$here/node_modules/@pulumi/pulumi/package.json').version" 2>/dev/null || echo 3.248.0)}
cache_root=${PULUMI_HNS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-hns}
bin_dir="$cache_root/pulumi-v$version/bin"
work="$cache_root/build-v$version"
langhost_src="$here/tools/language-host"
langhost_marker="$bin_dir/.pulumi-language-nodejs.srchash"
yaml_version=${PULUMI_YAML_VERSION:-v1.25.0}
yaml_marker="$bin_dir/.pulumi-language-yaml.version"

log() { printf '[setup-pulumi] %s\n' "$*" >&2; }

every=${PULUMI_HNS_PROGRESS_EVERY:-30}
ticking() { # $1 = what is being done; the rest = the command. Says every $every s that it still runs.
  local what=$1 s rc=0 ticker
  shift
  s=$(date +%s)
  # The ticker's sleep is killed with it, so nothing holds the caller's pipes open afterwards.
  ( trap 'kill "$z" 2>/dev/null; exit 0' TERM
    while :; do sleep "$every" & z=$!; wait "$z"; log "still $what: $(( $(date +%s) - s ))s so far"; done ) >/dev/null &
  ticker=$!
  "$@" || rc=$?
  kill "$ticker" 2>/dev/null || true
  wait "$ticker" 2>/dev/null || true
  return "$rc"
}

fits() { # $1 = pulumi binary; true when it prints our version
  local v
  v=$("$1" version 2>/dev/null || true)
  [ "$v" = "v$version" ]
}

at_least() { # $1 = pulumi binary; true when it is a 3.x release at or above our version
  # A newer CLI speaks the same engine protocol to an older SDK (Pulumi keeps 3.x CLIs
  # compatible with older 3.x language SDKs), so anyone with a current install reuses it.
  local v
  v=$("$1" version 2>/dev/null || true)
  v=${v#v}
  [[ "$v" =~ ^3\.[0-9]+\.[0-9]+$ ]] || return 1
  [ "$(printf '%s\n%s\n' "$version" "$v" | sort -V | head -n1)" = "$version" ]
}

plugin_script() { # the dynamic-provider plugin ships at the npm package root
  local src="$here/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  if [ -f "$src" ]; then
    cmp -s "$src" "$1/pulumi-resource-pulumi-nodejs" 2>/dev/null \
      || install -m 0755 "$src" "$1/pulumi-resource-pulumi-nodejs"
  else
    log "warning: $src not found; run npm ci first"
  fi
}

have_yaml() { # a cached pulumi-language-yaml of the pinned version
  [ -x "$bin_dir/pulumi-language-yaml" ] && [ "$(cat "$yaml_marker" 2>/dev/null)" = "$yaml_version" ]
}

yaml_host() { # builds pulumi-language-yaml into the cache unless it is there (or not wanted)
  $want_yaml || return 0
  have_yaml && return 0
  command -v go >/dev/null 2>&1 || { log "error: go is not installed; cannot build pulumi-language-yaml"; exit 2; }
  log "compiling pulumi-language-yaml $yaml_version (first run only; about 3 minutes)"
  local s tmp
  s=$(date +%s)
  tmp=$(mktemp -d "$cache_root/yaml-build.XXXXXX")
  # Same proxy settings as the CLI build below (no checksum database reachable here).
  GOBIN="$tmp" GOFLAGS=-mod=mod CGO_ENABLED=0 GOSUMDB=off \
    ticking "compiling pulumi-language-yaml" go install -trimpath "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@$yaml_version" >&2
  mkdir -p "$bin_dir"
  mv "$tmp/pulumi-language-yaml" "$bin_dir/pulumi-language-yaml"
  rm -rf "$tmp"
  echo "$yaml_version" > "$yaml_marker"
  log "pulumi-language-yaml built in $(( $(date +%s) - s ))s"
}

lock_cache() { # one run at a time per cache; the lock goes with the process
  command -v flock >/dev/null 2>&1 || return 0
  mkdir -p "$cache_root"
  exec 9>"$cache_root/.setup.lock"
  flock -n 9 || { log "waiting for another setup-pulumi.sh run on $cache_root to finish"; flock 9; }
}

langhost_hash() { # identifies the language-host source and the version it is built for
  [ -d "$langhost_src" ] || { echo missing; return; }
  { echo "v$version"; cat "$langhost_src"/*.go; } | sha256sum | cut -d' ' -f1
}

lock_cache

# 1. A CLI at or above our version already on PATH, with its own Node.js language host
#    (not our own cache dir, which is checked below).
if command -v pulumi >/dev/null 2>&1 && command -v pulumi-language-nodejs >/dev/null 2>&1; then
  dir=$(cd "$(dirname "$(command -v pulumi)")" && pwd -P)
  if [ "$dir" != "$(cd "$bin_dir" 2>/dev/null && pwd -P || echo -)" ] && at_least "$(command -v pulumi)"; then
    log "using $(pulumi version) already on PATH ($dir; needs v$version or newer)"
    no_plugin=false no_yaml=false
    [ ! -x "$dir/pulumi-resource-pulumi-nodejs" ] && ! command -v pulumi-resource-pulumi-nodejs >/dev/null 2>&1 && no_plugin=true
    $want_yaml && ! command -v pulumi-language-yaml >/dev/null 2>&1 && no_yaml=true
    if $no_plugin || $no_yaml; then
      # The dynamic-provider plugin ships in the npm package, not with the CLI, and a CLI install
      # may lack the YAML host: put them in a directory of our own beside links to that CLI, so
      # callers get one directory with everything.
      shim="$cache_root/path-pulumi/bin"
      mkdir -p "$shim"
      ln -sfn "$dir/pulumi" "$shim/pulumi"
      ln -sfn "$(cd "$(dirname "$(command -v pulumi-language-nodejs)")" && pwd -P)/pulumi-language-nodejs" "$shim/pulumi-language-nodejs"
      $no_plugin && plugin_script "$shim"
      if $no_yaml; then yaml_host; ln -sfn "$bin_dir/pulumi-language-yaml" "$shim/pulumi-language-yaml"; fi
      dir="$shim"
    fi
    echo "$dir"
    exit 0
  fi
fi

want_hash=$(langhost_hash)
have_cli=false have_langhost=false
[ -x "$bin_dir/pulumi" ] && fits "$bin_dir/pulumi" && have_cli=true
[ -x "$bin_dir/pulumi-language-nodejs" ] && [ "$(cat "$langhost_marker" 2>/dev/null)" = "$want_hash" ] \
  && have_langhost=true

# 2. The cache.
if $have_cli && $have_langhost; then
  log "using cached pulumi v$version ($bin_dir)"
  plugin_script "$bin_dir"
  yaml_host
  echo "$bin_dir"
  exit 0
fi

# 3. Build what is missing.
command -v go >/dev/null 2>&1 || { log "error: go is not installed; cannot build the Pulumi CLI"; exit 2; }
[ "$want_hash" != missing ] || { log "error: $langhost_src not found (it holds the language host source)"; exit 2; }

start=$(date +%s)
log "no pulumi v$version at or above the SDK's on PATH, none cached: building it from the Go module proxy into $bin_dir (first run only)"
mkdir -p "$work" "$bin_dir"
cd "$work"
# The proxy reachable here does not serve the checksum database, so checksums cannot be
# verified against it: GOSUMDB=off, and go.sum still pins what was fetched.
export GOFLAGS=-mod=mod CGO_ENABLED=0 GOSUMDB=off
# A throwaway main module: replace directives inside pkg/ are ignored here, which is exactly
# what lets us build it at a release version. The language host is compiled in it too, so it
# uses the same sdk/v3 as the CLI.
if [ ! -f go.mod ]; then
  go mod init pulumi-hns.local/pulumi-build >/dev/null 2>&1
  cat > tools.go <<'GO'
//go:build tools

package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
GO
fi
rm -rf langhost && mkdir langhost && cp "$langhost_src"/*.go langhost/
if [ "$(cat .resolved 2>/dev/null)" != "v$version" ]; then
  log "resolving pulumi v$version modules from the Go module proxy"
  ticking "downloading modules" go get "github.com/pulumi/pulumi/pkg/v3@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version" >&2
  # Keep the CVE floor pin from sdk/go.mod.
  go mod edit -replace golang.org/x/text=golang.org/x/text@v0.39.0
  ticking "resolving modules" go mod tidy >&2
  echo "v$version" > .resolved
fi
flags=(-trimpath -tags osusergo,grpcnotrace)
if ! $have_cli; then
  log "compiling pulumi v$version (first run only; about 6 minutes on 2 idle cores, up to 13 on a loaded machine)"
  ticking "compiling pulumi v$version" go build "${flags[@]}" -ldflags "-w -s -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
    -o "$bin_dir/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
  mv "$bin_dir/pulumi.tmp" "$bin_dir/pulumi"
  fits "$bin_dir/pulumi" || { log "error: built pulumi does not report v$version"; exit 2; }
fi
if ! $have_langhost; then
  log "compiling pulumi-language-nodejs (tools/language-host)"
  ticking "compiling pulumi-language-nodejs" go build "${flags[@]}" -ldflags "-w -s -X main.version=$version" \
    -o "$bin_dir/pulumi-language-nodejs.tmp" ./langhost >&2
  mv "$bin_dir/pulumi-language-nodejs.tmp" "$bin_dir/pulumi-language-nodejs"
  echo "$want_hash" > "$langhost_marker"
fi
plugin_script "$bin_dir"
yaml_host
log "built in $(( $(date +%s) - start ))s -> $bin_dir"
echo "$bin_dir"
