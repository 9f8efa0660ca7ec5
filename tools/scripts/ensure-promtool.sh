#!/usr/bin/env bash
# Makes `promtool` available at .tools/bin/promtool: the machine's own when installed, else the
# binary from Debian's `prometheus` package, unpacked without installing (or starting) the server.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .tools/bin
if command -v promtool >/dev/null 2>&1; then
  ln -sf "$(command -v promtool)" .tools/bin/promtool
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get update -qq && apt-get download prometheus >/dev/null)
dpkg -x "$work"/prometheus_*.deb "$work/pkg"
cp "$work/pkg/usr/bin/promtool" .tools/bin/promtool
.tools/bin/promtool --version | head -1
