#!/usr/bin/env bash
# Checks the observability config of the compose stack against promtool and the live services:
#   1. promtool: `check config` (rule files resolved relative to the config file), `check rules`
#      on docker/prometheus/rules/*.yml, `test rules` on docker/prometheus/tests/*.test.yml;
#   2. the PromQL extractor's self-test (tools/scripts/promql-metric-names.mjs);
#   3. the Grafana provisioning and dashboards: valid JSON, structure (uids, ids, gridPos,
#      datasource uid = the provisioned one, variables defined), and every query is valid
#      PromQL (`promtool check rules` on the queries written out as recording rules);
#   4. the built services (apps/*/dist) on free ports, in memory: the engine trades the
#      simulator (a market maker, plus a strategy whose limit rejects every order), a slow
#      price stream, some REST traffic and errors; then every metric name used by a rule or a
#      dashboard must be in their /metrics (recording rules, `up` and other series Prometheus
#      writes itself excepted; the few series only a Postgres outage produces must at least
#      be declared in the built code). Lazily created series get up to OBS_WAIT_SECONDS (90).
# Prints each problem and exits 1 if there is any. Run from anywhere; needs the apps built
# (`npx nx run-many -t build`) and promtool on PATH or at .tools/bin/promtool
# (tools/scripts/ensure-promtool.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."

if command -v promtool >/dev/null 2>&1; then
  PROMTOOL=$(command -v promtool)
elif [[ -x .tools/bin/promtool ]]; then
  PROMTOOL=${PWD}/.tools/bin/promtool
else
  echo "promtool not found on PATH or at .tools/bin/promtool (run tools/scripts/ensure-promtool.sh)"
  exit 1
fi
HELPER=tools/scripts/promql-metric-names.mjs
PROM_DIR=docker/prometheus
GRAFANA_DIR=docker/grafana
WAIT_SECONDS=${OBS_WAIT_SECONDS:-90}

# Series that only appear after a rare event; they may be absent from a healthy scrape, but
# their name must be declared in the built code (so a typo still fails).
EVENT_ONLY=(
  market_data_persistence_rows_dropped_total # the write-behind buffer overflowed (Postgres down)
  market_data_persistence_write_errors_total # a batch write failed (Postgres down)
  trading_persistence_commit_errors_total    # a commit failed (Postgres down)
  market_data_tick_errors_total              # a simulation step threw (a bug)
)

work=$(mktemp -d)
pids=()
failures=()

stop_services() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "process ${pid} still running 15 s after SIGTERM, killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}
cleanup() {
  stop_services
  rm -rf "$work"
}
trap cleanup EXIT

step() {
  local name=$1
  shift
  echo "--- ${name}"
  if "$@"; then
    echo "    ok"
  else
    echo "    FAILED: ${name}"
    failures+=("${name}")
  fi
}

# ---------------------------------------------------------------------------------- static
step "promtool check config ${PROM_DIR}/prometheus.yml" \
  "$PROMTOOL" check config "${PROM_DIR}/prometheus.yml"
step "promtool check rules ${PROM_DIR}/rules/*.yml" \
  "$PROMTOOL" check rules "${PROM_DIR}"/rules/*.yml
step "promtool test rules ${PROM_DIR}/tests/*.test.yml" \
  "$PROMTOOL" test rules "${PROM_DIR}"/tests/*.test.yml
step "PromQL metric-name extractor self-test" node "$HELPER" self-test

dashboards=("${GRAFANA_DIR}"/dashboards/*.json)
step "Grafana provisioning and dashboards: structure" \
  node "$HELPER" dashboards \
  --datasources "${GRAFANA_DIR}/provisioning/datasources/prometheus.yml" \
  --providers "${GRAFANA_DIR}/provisioning/dashboards/dashboards.yml" \
  --emit-rules "${work}/dashboard-queries.yml" \
  "${dashboards[@]}"
if [[ -f "${work}/dashboard-queries.yml" ]]; then
  step "dashboard queries are valid PromQL (promtool check rules)" \
    "$PROMTOOL" check rules "${work}/dashboard-queries.yml"
fi

# ---------------------------------------------------------------------------------- live
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

wait_healthy() {
  local name=$1 port=$2 pid=$3
  for _ in $(seq 1 300); do
    if curl -fs "http://127.0.0.1:${port}/api/v1/health" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "${name} did not become healthy on port ${port}; its log:"
  cat "${work}/${name}.log"
  return 1
}

# A Connect unary call with a JSON body; prints the response, fails on a non-2xx status.
connect_call() {
  curl -fsS -X POST -H 'Content-Type: application/json' -d "$2" "http://127.0.0.1:$1"
}

live_check() {
  local app
  for app in market-data-simulator trading-engine; do
    if [[ ! -f "apps/${app}/dist/main.js" ]]; then
      echo "apps/${app}/dist/main.js is missing: build first (npx nx run-many -t build)"
      return 1
    fi
  done
  local sim_http sim_grpc eng_http eng_grpc
  sim_http=$(free_port)
  sim_grpc=$(free_port)
  eng_http=$(free_port)
  eng_grpc=$(free_port)
  : >"${work}/empty.env"
  local no_auth=(-u AUTH_TOKENS -u AUTH_TOKENS_FILE -u AUTH_PROTECT_READS -u MARKET_DATA_AUTH_TOKEN)
  # Both in memory and unprotected (this script's own instances on loopback; it makes writes
  # without a token) whatever the caller's environment says. The engine starts first, as it may
  # in the compose stack: its first connections to the simulator fail and are retried
  # (trading_market_data_reconnects_total, trading_market_data_stale 1 then 0). The simulated
  # clock runs 30x so that candles and snapshots close within seconds.
  env -u POSTGRES_URL -u REDIS_URL -u MARKET_DATA_INSTANCE -u BOOT_STRATEGIES "${no_auth[@]}" \
    ENV_FILE="${work}/empty.env" HOST=127.0.0.1 LOG_LEVEL=error \
    HTTP_PORT="$eng_http" GRPC_PORT="$eng_grpc" SERVICE_INSTANCE_NAME=trading-engine-check \
    MARKET_DATA_URL="http://127.0.0.1:${sim_grpc}" \
    node apps/trading-engine/dist/main.js >"${work}/trading-engine.log" 2>&1 &
  pids+=($!)
  wait_healthy trading-engine "$eng_http" "${pids[-1]}" || return 1
  env -u POSTGRES_URL -u REDIS_URL "${no_auth[@]}" \
    ENV_FILE="${work}/empty.env" HOST=127.0.0.1 LOG_LEVEL=warn \
    HTTP_PORT="$sim_http" GRPC_PORT="$sim_grpc" SERVICE_INSTANCE_NAME=market-data-sim-check \
    SIMULATION_SPEED=30 HISTORY_BACKFILL_HOURS=1 \
    node apps/market-data-simulator/dist/main.js >"${work}/market-data-simulator.log" 2>&1 &
  pids+=($!)
  wait_healthy market-data-simulator "$sim_http" "${pids[-1]}" || return 1
  echo "simulator http ${sim_http} grpc ${sim_grpc}, engine http ${eng_http} grpc ${eng_grpc}"

  # A market maker that trades, and a strategy whose own position limit rejects every order
  # (trading_risk_rejections_total). Retried until the engine has reached the simulator.
  local started=""
  for _ in $(seq 1 100); do
    if connect_call "$eng_http/trading.v1.TradingService/StartStrategy" \
      '{"strategyId":"obs-check-mm","type":"STRATEGY_TYPE_MARKET_MAKING","instruments":["BTC-USD"],"marketMaking":{"orderQuantity":0.01,"spreadBps":4}}' \
      >/dev/null 2>&1 &&
      connect_call "$eng_http/trading.v1.TradingService/StartStrategy" \
        '{"strategyId":"obs-check-limit","type":"STRATEGY_TYPE_MARKET_MAKING","instruments":["ETH-USD"],"marketMaking":{"orderQuantity":0.01,"spreadBps":4},"limits":{"maxPosition":0.001}}' \
        >/dev/null 2>&1; then
      started=yes
      break
    fi
    sleep 0.2
  done
  if [[ -z "$started" ]]; then
    echo "StartStrategy failed:"
    connect_call "$eng_http/trading.v1.TradingService/StartStrategy" \
      '{"strategyId":"obs-check-mm","type":"STRATEGY_TYPE_MARKET_MAKING","instruments":["BTC-USD"],"marketMaking":{"orderQuantity":0.01,"spreadBps":4}}' || true
    return 1
  fi

  # A price stream throttled to one message a second: the hub conflates the updates in
  # between (market_data_subscriber_updates_dropped_total). Connect server stream, HTTP/1.1.
  node -e 'const b=Buffer.from(JSON.stringify({symbols:["BTC-USD","ETH-USD"],minIntervalMs:1000}));const h=Buffer.alloc(5);h.writeUInt32BE(b.length,1);process.stdout.write(Buffer.concat([h,b]))' \
    >"${work}/stream-request.bin"
  curl -sN --max-time $((WAIT_SECONDS + 30)) -H 'Content-Type: application/connect+json' \
    --data-binary "@${work}/stream-request.bin" \
    "http://127.0.0.1:${sim_http}/marketdata.v1.MarketDataService/StreamPrices" >/dev/null 2>&1 &
  pids+=($!)

  # REST traffic, a 404 and RPCs over Connect on both services.
  local port
  for port in "$sim_http" "$eng_http"; do
    curl -s "http://127.0.0.1:${port}/api/v1/ready" >/dev/null || true
    curl -s "http://127.0.0.1:${port}/no/such/path" >/dev/null || true
    connect_call "$port/grpc.health.v1.Health/Check" '{"service":""}' >/dev/null || true
  done
  curl -s "http://127.0.0.1:${sim_http}/api/v1/symbols" >/dev/null || true
  curl -s "http://127.0.0.1:${sim_http}/api/v1/market/price/BTC" >/dev/null || true
  curl -s "http://127.0.0.1:${eng_http}/api/v1/portfolio" >/dev/null || true
  curl -s "http://127.0.0.1:${eng_http}/api/v1/risk" >/dev/null || true

  local check=(node "$HELPER" check
    --rules "${PROM_DIR}"/rules/*.yml
    --dashboards "${dashboards[@]}"
    --scrape "${work}/simulator.prom" "${work}/engine.prom"
    --event-only "${EVENT_ONLY[@]}"
    --dist apps/market-data-simulator/dist apps/trading-engine/dist packages/*/dist)
  # Series are created on first use: scrape until every name is there or the deadline passes.
  local deadline=$((SECONDS + WAIT_SECONDS)) rc last=""
  while :; do
    curl -fs "http://127.0.0.1:${sim_http}/metrics" >"${work}/simulator.prom" || true
    curl -fs "http://127.0.0.1:${eng_http}/metrics" >"${work}/engine.prom" || true
    if ((SECONDS >= deadline)); then
      "${check[@]}"
      return
    fi
    rc=0
    "${check[@]}" --quiet >"${work}/check.out" 2>&1 || rc=$?
    if ((rc != 1)); then
      cat "${work}/check.out"
      return "$rc"
    fi
    if [[ "$(cat "${work}/check.out")" != "$last" ]]; then
      last=$(cat "${work}/check.out")
      echo "$last (waiting up to $((deadline - SECONDS)) s)"
    fi
    sleep 3
  done
}

step "every metric name used by the rules and dashboards is in the live /metrics" live_check
stop_services

echo
if ((${#failures[@]} > 0)); then
  echo "check-observability: ${#failures[@]} failed: ${failures[*]}"
  exit 1
fi
echo "check-observability: all passed"
