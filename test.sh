#!/usr/bin/env bash
# Runs every test of WebConsole: unit and integration tests (tests/) and, when present,
# browser end-to-end tests (e2e/). Installs what the tests need and the machine lacks.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v gcc >/dev/null 2>&1 || need+=(gcc libc6-dev)
if ((${#need[@]})); then
  echo "test.sh: installing ${need[*]}" >&2
  if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi
  "${SUDO[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${need[@]}"
fi

dotnet build WebConsole.sln -c Release -warnaserror -nologo -v q
dotnet test WebConsole.sln -c Release --no-build -nologo --logger "console;verbosity=minimal" "$@"
