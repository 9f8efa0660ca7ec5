import type { EngineStateRecord } from "../model/engine-state.js";
import type { OrderRecord } from "../model/order.js";
import type { PositionRecord } from "../model/position.js";
import type { StrategyRecord } from "../model/strategy.js";
import type { TradeRecord } from "../model/trade.js";

/** A fixed instant the samples are stamped from. */
export const T0 = Date.UTC(2025, 0, 1, 12);

/** `T0 + seconds`, as a Date. */
export function at(seconds: number): Date {
  return new Date(T0 + seconds * 1_000);
}

/** A deterministic version-4-shaped UUID for `n` (`prefix` separates kinds), lower case. */
export function uuid(n: number, prefix = 0): string {
  return `${String(prefix).padStart(8, "0")}-0000-4000-8000-${String(n).padStart(12, "0")}`;
}

/** A valid strategy with every optional field unset (and no metadata). */
export function sampleStrategy(
  strategyId = "mm-btc",
  overrides: Partial<StrategyRecord> = {},
): StrategyRecord {
  return {
    strategyId,
    name: `strategy ${strategyId}`,
    type: "market_making",
    instruments: ["BTC-USD"],
    parameters: { spreadBps: 12.5, levels: 3, skew: { enabled: true } },
    limits: { maxPosition: 2 },
    status: "inactive",
    statusReason: "",
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

/**
 * A valid open market order (the `n`th) of `strategyId` (`null`: a manual order without one),
 * with every optional time unset.
 */
export function sampleOrder(
  n: number,
  strategyId: string | null = "mm-btc",
  overrides: Partial<OrderRecord> = {},
): OrderRecord {
  return {
    orderId: uuid(n, 1),
    clientOrderId: `client-${n}`,
    ...(strategyId === null ? {} : { strategyId }),
    instrument: "BTC-USD",
    side: "buy",
    type: "market",
    quantity: 0.5,
    filledQuantity: 0,
    averageFillPrice: 0,
    fees: 0,
    status: "pending",
    statusReason: "",
    createdAt: at(n),
    expiresAt: at(n + 300),
    updatedAt: at(n),
    ...overrides,
  };
}

/** A valid fill (the `n`th) of `order`. */
export function sampleTrade(
  n: number,
  order: OrderRecord,
  overrides: Partial<TradeRecord> = {},
): TradeRecord {
  return {
    tradeId: uuid(n, 2),
    orderId: order.orderId,
    ...(order.strategyId === undefined ? {} : { strategyId: order.strategyId }),
    instrument: order.instrument,
    side: order.side,
    price: 50_000.25,
    quantity: 0.1,
    fee: 0.5,
    liquidity: "taker",
    timestamp: at(n + 1),
    ...overrides,
  };
}

/** A valid position of `strategyId` in `instrument`, flat-opened unset. */
export function samplePosition(
  strategyId = "mm-btc",
  instrument = "BTC-USD",
  overrides: Partial<PositionRecord> = {},
): PositionRecord {
  return {
    strategyId,
    instrument,
    quantity: 0.25,
    averageEntryPrice: 50_000,
    realizedPnl: 12.5,
    feesPaid: 1.25,
    updatedAt: at(10),
    ...overrides,
  };
}

/** A valid engine state record of `key`: an engaged circuit breaker by default. */
export function sampleEngineState(
  key = "circuit_breaker",
  overrides: Partial<EngineStateRecord> = {},
): EngineStateRecord {
  return {
    key,
    value: { engaged: true, reason: "drawdown 5.2% > 5%", engagedAt: T0 + 20_000 },
    updatedAt: at(20),
    ...overrides,
  };
}
