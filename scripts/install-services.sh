#!/usr/bin/env bash
# The servers of `make prod` and of the tests' throwaway instances, from Debian's packages where
# apt works and they are missing: PostgreSQL (pg_ctl), Redis and Caddy. Nothing is left running
# for them: `make prod` and the tests start their own.
set -euo pipefail
mancanti=()
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || mancanti+=(postgresql)
command -v redis-server >/dev/null 2>&1 || mancanti+=(redis-server)
command -v caddy >/dev/null 2>&1 || mancanti+=(caddy)
if [ ${#mancanti[@]} -eq 0 ]; then exit 0; fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${mancanti[@]}" >/dev/null
  # Packages may start their service where an init system runs: none is wanted here.
  for servizio in postgresql redis-server caddy; do
    service "$servizio" stop >/dev/null 2>&1 || true
  done
else
  echo "Missing: ${mancanti[*]}. Install Debian's packages (make prod and the tests need them)." >&2
  exit 1
fi
