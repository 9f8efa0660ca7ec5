#!/usr/bin/env bash
# Makes Debian's `chromium` available at /usr/bin/chromium for the browser tests
# (*.browser.e2e.test.ts, driven by playwright-core), installing the package when it is missing.
# Never a browser downloaded by playwright: this machine and CI reach only the package registries.
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then exit 0; fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version | head -1
