#!/usr/bin/env bash
# Chromium for the end-to-end tests and the benchmark: Debian's package where apt works,
# Playwright's own download only where no system Chromium can be had.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  "$(dirname "$0")/../.venv/bin/playwright" install chromium
fi
