#!/usr/bin/env bash
# Makes Debian's `docker-compose` (which parses and validates compose files without an engine)
# available, installing the package when it is missing.
set -euo pipefail
if command -v docker-compose >/dev/null 2>&1; then exit 0; fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
docker-compose version | head -1
