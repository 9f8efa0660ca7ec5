import {
  dependencySettings,
  integerSchema,
  listSchema,
  numberSchema,
  setting,
  stringSchema,
  urlSchema,
} from "@tse/service-kit";

/**
 * The simulator's own settings (docs/operations.md#simulator-settings), on top of the kit's common
 * ones.
 */
export const simulatorSettings = {
  postgresUrl: setting({
    env: "POSTGRES_URL",
    description:
      "Postgres for history (symbols, candles, price feeds, snapshots); in memory when unset",
    schema: urlSchema(["postgres:", "postgresql:"]),
    secret: true,
  }),
  redisUrl: setting({
    env: "REDIS_URL",
    description:
      "Redis for latest quotes, price streams and service discovery; in memory when unset",
    schema: urlSchema(["redis:", "rediss:"]),
    secret: true,
  }),
  maxConnections: setting({
    env: "MAX_CONNECTIONS",
    description: "Postgres pool size",
    default: "10",
    schema: integerSchema(1, 200),
  }),
  ...dependencySettings(),
  redisCommandTimeoutMs: setting({
    env: "REDIS_COMMAND_TIMEOUT_MS",
    description: "deadline of each Redis command, ms",
    default: "1000",
    schema: integerSchema(50, 60_000),
  }),
  symbols: setting({
    env: "SYMBOLS",
    description: "simulated symbols, comma-separated (append new ones: order is part of the seed)",
    default: "BTC-USD,ETH-USD,SOL-USD",
    schema: listSchema.refine((list) => list.length > 0, "must name at least one symbol"),
  }),
  simulatorConfig: setting({
    env: "SIMULATOR_CONFIG",
    description:
      "JSON or YAML file of per-symbol parameters and a correlation matrix (see simulator-config.example.yaml)",
    schema: stringSchema,
  }),
  seed: setting({
    env: "SIMULATION_SEED",
    description: "seed of every random stream: the same seed gives the same market",
    default: "42",
    schema: integerSchema(-2_147_483_648, 2_147_483_647),
  }),
  tickIntervalMs: setting({
    env: "TICK_INTERVAL_MS",
    description: "real time between price updates, ms",
    default: "100",
    schema: integerSchema(10, 60_000),
  }),
  speed: setting({
    env: "SIMULATION_SPEED",
    description:
      "simulated seconds per real second (× TICK_INTERVAL_MS at most 5000000: a tick simulates at most 1000 steps of 5 s)",
    default: "1",
    schema: numberSchema(0.01, 10_000),
  }),
  backfillHours: setting({
    env: "HISTORY_BACKFILL_HOURS",
    description: "hours of history simulated at start (resumed from stored candles with Postgres)",
    default: "24",
    schema: integerSchema(0, 24 * 30),
  }),
  priceFeedPersistIntervalMs: setting({
    env: "PRICE_FEED_PERSIST_INTERVAL_MS",
    description: "simulated time between stored price feeds per symbol, ms",
    default: "1000",
    schema: integerSchema(100, 3_600_000),
  }),
  priceFeedRetentionHours: setting({
    env: "PRICE_FEED_RETENTION_HOURS",
    description: "hours stored price feeds are kept (0 keeps them forever)",
    default: "24",
    schema: integerSchema(0, 24 * 3_650),
  }),
  snapshotIntervalMs: setting({
    env: "SNAPSHOT_INTERVAL_MS",
    description: "simulated time between stored 24h snapshots per symbol, ms",
    default: "60000",
    schema: integerSchema(1_000, 86_400_000),
  }),
  maxSubscribers: setting({
    env: "MAX_SUBSCRIBERS",
    description: "price streams served at once",
    default: "1000",
    schema: integerSchema(1, 100_000),
  }),
  maxSymbolsPerStream: setting({
    env: "MAX_SYMBOLS_PER_STREAM",
    description: "symbols one price stream may name",
    default: "50",
    schema: integerSchema(1, 1_000),
  }),
  maxActiveScenarios: setting({
    env: "MAX_ACTIVE_SCENARIOS",
    description:
      "scenarios running on the live market at once (StartScenario beyond it: ResourceExhausted)",
    default: "100",
    schema: integerSchema(1, 1_000),
  }),
  maxSimulationPoints: setting({
    env: "MAX_SIMULATION_POINTS",
    description: "most candles per series one GenerateSimulation may return (or synthesize)",
    default: "10000",
    schema: integerSchema(3, 100_000),
  }),
  healthCheckIntervalSeconds: setting({
    env: "HEALTH_CHECK_INTERVAL",
    description: "seconds between service-discovery heartbeats (the entry lives 3 × this)",
    default: "30",
    schema: integerSchema(1, 3_600),
  }),
} as const;
