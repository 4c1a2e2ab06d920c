#!/usr/bin/env bash
# Checks what can be checked without a Docker engine: docker-compose.yml against the Compose
# schema, and that every file a Dockerfile COPYs from the build context (the repository root)
# exists. Run from the repository root; test.sh runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

docker-compose -f docker-compose.yml config -q

status=0
for dockerfile in docker/*.Dockerfile; do
  while read -r -a words; do
    [ "${words[0]:-}" = COPY ] || continue
    [[ "${words[1]}" == --from=* ]] && continue # from another stage, not the context
    for source in "${words[@]:1:${#words[@]}-2}"; do
      # shellcheck disable=SC2206 # expanding the glob is the point
      matches=($source)
      if [ ! -e "${matches[0]}" ]; then
        echo "$dockerfile: COPY source '$source' does not exist" >&2
        status=1
      fi
    done
  done < "$dockerfile"
done
exit "$status"
