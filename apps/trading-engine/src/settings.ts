import { validateInstanceName } from "@tse/instance-naming";
import {
  bearerTokenSchema,
  dependencySettings,
  integerSchema,
  numberSchema,
  setting,
  stringSchema,
  urlSchema,
} from "@tse/service-kit";

/**
 * The trading engine's own settings (docs/operations.md#engine-settings), on top of the kit's
 * common ones.
 */
export const engineSettings = {
  postgresUrl: setting({
    env: "POSTGRES_URL",
    description: "Postgres for strategies, orders, trades and positions; in memory when unset",
    schema: urlSchema(["postgres:", "postgresql:"]),
    secret: true,
  }),
  maxConnections: setting({
    env: "MAX_CONNECTIONS",
    description: "Postgres pool size",
    default: "10",
    schema: integerSchema(1, 200),
  }),
  redisUrl: setting({
    env: "REDIS_URL",
    description: "Redis for service discovery (finding the simulator, registering this engine)",
    schema: urlSchema(["redis:", "rediss:"]),
    secret: true,
  }),
  ...dependencySettings(),
  marketDataUrl: setting({
    env: "MARKET_DATA_URL",
    description:
      "the simulator's gRPC URL; unset: discovered through Redis when REDIS_URL is set, else http://localhost:50051",
    schema: urlSchema(["http:", "https:"]),
  }),
  marketDataInstance: setting({
    env: "MARKET_DATA_INSTANCE",
    description:
      "with discovery, the simulator instance to trade (default: the first by instance name)",
    schema: stringSchema.refine((name) => name === "" || validateInstanceName(name).ok, {
      message: "must be empty or an instance name (lower-case letters, digits, inner '-', ≤ 63)",
    }),
  }),
  marketDataAuthToken: setting({
    env: "MARKET_DATA_AUTH_TOKEN",
    description:
      "bearer token sent to the simulator, for one started with AUTH_PROTECT_READS (the engine only reads from it)",
    schema: bearerTokenSchema,
    secret: true,
  }),
  marketDataStaleMs: setting({
    env: "MARKET_DATA_STALE_MS",
    description:
      "no quote for this long makes the feed stale: trading pauses, readiness fails, and no order fills on a quote older than this",
    default: "5000",
    schema: integerSchema(100, 600_000),
  }),
  initialCapital: setting({
    env: "INITIAL_CAPITAL",
    description: "starting cash of the portfolio, quote currency",
    default: "1000000",
    schema: numberSchema(1, 1e12),
  }),
  maxPositionSize: setting({
    env: "MAX_POSITION_SIZE",
    description: "largest absolute net position per instrument, base units (0: no limit)",
    default: "10",
    schema: numberSchema(0, 1e12),
  }),
  riskLimitThreshold: setting({
    env: "RISK_LIMIT_THRESHOLD",
    description:
      "largest total notional: worst-case exposure of positions with open orders, quote currency (0: no limit)",
    default: "1000000",
    schema: numberSchema(0, 1e15),
  }),
  maxGrossLeverage: setting({
    env: "MAX_GROSS_LEVERAGE",
    description:
      "buying power: largest total notional as a multiple of the portfolio's value (0: no limit)",
    default: "1",
    schema: numberSchema(0, 1_000),
  }),
  maxOrdersPerSecond: setting({
    env: "MAX_ORDERS_PER_SECOND",
    description: "most orders placed in any one second (0: no limit)",
    default: "50",
    schema: integerSchema(0, 100_000),
  }),
  maxDrawdown: setting({
    env: "MAX_DRAWDOWN",
    description: "drawdown from the peak (0..1) that engages the circuit breaker (0: off)",
    default: "0.2",
    schema: numberSchema(0, 1),
  }),
  orderTimeoutSeconds: setting({
    env: "ORDER_TIMEOUT_SECONDS",
    description: "a working order expires this long after it was placed",
    default: "300",
    schema: integerSchema(1, 86_400 * 30),
  }),
  strategyCooldownSeconds: setting({
    env: "STRATEGY_COOLDOWN_SECONDS",
    description: "no new strategy on an instrument this soon after a strategy on it stopped",
    default: "30",
    schema: integerSchema(0, 86_400),
  }),
  takerFeeBps: setting({
    env: "TAKER_FEE_BPS",
    description: "paper venue fee of fills that take liquidity, basis points",
    default: "10",
    schema: numberSchema(0, 1_000),
  }),
  makerFeeBps: setting({
    env: "MAKER_FEE_BPS",
    description: "paper venue fee of resting limit orders' fills, basis points",
    default: "2",
    schema: numberSchema(0, 1_000),
  }),
  slippageBps: setting({
    env: "SLIPPAGE_BPS",
    description: "paper venue price concession of taker fills, basis points",
    default: "5",
    schema: numberSchema(0, 1_000),
  }),
  bootStrategies: setting({
    env: "BOOT_STRATEGIES",
    description:
      'strategies to start at boot: a JSON array of trading.v1 StartStrategyRequest, e.g. [{"strategyId":"mm-btc","type":"STRATEGY_TYPE_MARKET_MAKING","instruments":["BTC-USD"],"marketMaking":{"orderQuantity":0.01}}]',
    schema: stringSchema,
  }),
  maxStreams: setting({
    env: "MAX_STREAMS",
    description: "order and portfolio update streams served at once (each kind)",
    default: "100",
    schema: integerSchema(1, 10_000),
  }),
  healthCheckIntervalSeconds: setting({
    env: "HEALTH_CHECK_INTERVAL",
    description: "seconds between service-discovery heartbeats (the entry lives 3 × this)",
    default: "30",
    schema: integerSchema(1, 3_600),
  }),
} as const;
