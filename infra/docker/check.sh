#!/usr/bin/env bash
# Checks the Docker files without a Docker engine (infra/docker/README.md, "What was validated"):
#  1. `config` of docker-compose.yml, with and without the "cli" profile, by Docker Compose v2
#     (`docker compose`) when present, else docker-compose v1 (Debian: apt-get install
#     docker-compose). Any output on stderr (a warning) counts as a failure.
#  2. Every source of a COPY in the Dockerfile (other than COPY --from) exists in the repository.
# Usage: bash infra/docker/check.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
else
  echo "check.sh: neither 'docker compose' nor 'docker-compose' found (Debian: apt-get install docker-compose)" >&2
  exit 1
fi
echo "compose: $("${compose[@]}" version 2>/dev/null | head -1)"

status=0
for profile in "" cli; do
  args=(-f docker-compose.yml)
  [[ -n "$profile" ]] && args+=(--profile "$profile")
  err="$(mktemp)"
  if "${compose[@]}" "${args[@]}" config -q 2>"$err" && [[ ! -s "$err" ]]; then
    echo "ok: ${compose[*]} ${args[*]} config"
  else
    echo "FAIL: ${compose[*]} ${args[*]} config" >&2
    cat "$err" >&2
    status=1
  fi
  rm -f "$err"
done

# COPY [--flag=...] SRC... DEST, one line each in this Dockerfile (no JSON form, no continuation).
while read -r -a words; do
  srcs=()
  for w in "${words[@]:1}"; do
    [[ "$w" == --from=* ]] && continue 2
    [[ "$w" == --* ]] || srcs+=("$w")
  done
  unset 'srcs[${#srcs[@]}-1]'   # the destination
  for s in "${srcs[@]}"; do
    if [[ -e "$s" ]]; then echo "ok: COPY source $s"; else echo "FAIL: COPY source $s does not exist" >&2; status=1; fi
  done
done < <(grep -E '^COPY[[:space:]]' Dockerfile)

exit "$status"
