#!/usr/bin/env bash
# PostgreSQL's server binaries, for the tests' throwaway databases (tests/support/postgres.py):
# Debian's package where apt works and they are missing. No server is left running for them.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then exit 0; fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
else
  echo "PostgreSQL is missing: install Debian's postgresql package (the tests need pg_ctl)." >&2
  exit 1
fi
