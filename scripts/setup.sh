#!/usr/bin/env bash
# Installs what the test suites need besides Node.js and Go, when it is missing: Mono's C#
# compiler and runtime and a C compiler with nm. The tests compile the agent's C# and call it
# through a native stand-in for computenetwork.dll (test/native-hcn); they fail, not skip,
# without these. The README's test command and .ci/run both start with this script, so a
# fresh machine and CI set up the same way.
set -euo pipefail
echo "== node $(node --version 2>/dev/null || echo missing), npm $(npm --version 2>/dev/null || echo missing), $(go version 2>/dev/null || echo 'go: missing')"
missing=()
command -v mcs >/dev/null 2>&1 || missing+=(mono-mcs)
command -v mono >/dev/null 2>&1 || missing+=(mono-runtime)
{ command -v cc && command -v nm; } >/dev/null 2>&1 || missing+=(gcc libc6-dev binutils)
[ ${#missing[@]} -eq 0 ] && exit 0
install="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
# apt-get needs root: as root run it, with passwordless sudo run it through sudo, otherwise
# say exactly what to run instead of failing on apt's lock-file permission error.
# (sudo resets the environment, so DEBIAN_FRONTEND goes through env.)
if [ "$(id -u)" -eq 0 ]; then
  as_root=(env DEBIAN_FRONTEND=noninteractive)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n env DEBIAN_FRONTEND=noninteractive)
else
  echo "== missing ${missing[*]}, and installing them needs root (not root, no passwordless sudo). Run as root:" >&2
  echo "   $install" >&2
  exit 1
fi
echo "== installing ${missing[*]} (apt-get)"
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
