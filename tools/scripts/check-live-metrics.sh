#!/usr/bin/env bash
# Starts each built service on free ports, sends it some traffic, and runs
# `promtool check metrics` on its real /metrics output; then stops it with SIGTERM and requires
# a clean exit (code 0).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="${PWD}/.tools/bin:${PATH}"
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
status=0
for app in market-data-simulator trading-engine; do
  http_port=$(free_port)
  grpc_port=$(free_port)
  log=$(mktemp)
  # Unprotected whatever the caller's environment says: a private instance on loopback.
  env -u AUTH_TOKENS -u AUTH_TOKENS_FILE -u AUTH_PROTECT_READS \
    HOST=127.0.0.1 HTTP_PORT=$http_port GRPC_PORT=$grpc_port LOG_LEVEL=warn node "apps/${app}/dist/main.js" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:${http_port}/api/v1/health" >/dev/null && break; sleep 0.1; done
  curl -fs "http://127.0.0.1:${http_port}/api/v1/ready" >/dev/null || true
  curl -s "http://127.0.0.1:${http_port}/no/such/path" >/dev/null || true
  curl -s -X POST -H 'Content-Type: application/json' -d '{"service":""}' \
    "http://127.0.0.1:${http_port}/grpc.health.v1.Health/Check" >/dev/null || true
  metrics=$(mktemp)
  curl -fs "http://127.0.0.1:${http_port}/metrics" >"$metrics"
  if promtool check metrics <"$metrics"; then
    echo "${app}: promtool check metrics ok ($(grep -vc '^#' "$metrics") samples)"
  else
    echo "${app}: promtool check metrics FAILED"
    status=1
  fi
  kill -TERM "$pid"
  if wait "$pid"; then
    echo "${app}: clean exit on SIGTERM"
  else
    echo "${app}: exit code $? on SIGTERM"; cat "$log"; status=1
  fi
  rm -f "$log" "$metrics"
done
exit $status
