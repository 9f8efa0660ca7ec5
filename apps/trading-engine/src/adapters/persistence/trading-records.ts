import type {
  EngineStateRecord,
  OrderRecord,
  PositionRecord,
  StrategyRecord,
  TradeRecord,
  TradingChanges,
} from "@tse/trading-data-adapter";
import type { EngineChanges, RiskState } from "../../domain/engine/change-set.js";
import type {
  StrategyActivity,
  StrategyLimits,
  StrategySnapshot,
} from "../../domain/engine/strategy-lifecycle.js";
import type { Fill, OrderSnapshot } from "../../domain/orders/order.js";
import type { PositionSnapshot } from "../../domain/portfolio/position.js";
import type { RiskLimits } from "../../domain/risk/risk-limits.js";
import type { CircuitBreakerState } from "../../domain/risk/risk-manager.js";

const date = (ms: number) => new Date(ms);
const optionalDate = <K extends string>(key: K, ms: number | undefined) =>
  (ms === undefined ? {} : { [key]: new Date(ms) }) as Partial<Record<K, Date>>;
const optionalMs = <K extends string>(key: K, value: Date | undefined) =>
  (value === undefined ? {} : { [key]: value.getTime() }) as Partial<Record<K, number>>;

/** The `engine_state` key of the risk state. */
export const RISK_STATE_KEY = "risk";

/** An engine's changes as one store commit (every row of one operation, atomically). */
export function toTradingChanges(changes: EngineChanges, now: number): TradingChanges {
  return {
    strategies: changes.strategies.map(toStrategyRecord),
    orders: changes.orders.map(toOrderRecord),
    trades: changes.fills.map(toTradeRecord),
    positions: changes.positions.map(toPositionRecord),
    ...(changes.risk === undefined
      ? {}
      : {
          engineState: [
            {
              key: RISK_STATE_KEY,
              value: {
                limits: {
                  ...changes.risk.limits,
                  instrumentMaxPositionSizes: { ...changes.risk.limits.instrumentMaxPositionSizes },
                },
                breaker: { ...changes.risk.breaker },
                peakValue: changes.risk.peakValue,
              },
              updatedAt: date(now),
            },
          ],
        }),
  };
}

/** The stored risk state, when there is a well-formed one. */
export function fromRiskStateRecords(records: readonly EngineStateRecord[]): RiskState | undefined {
  const value = records.find((r) => r.key === RISK_STATE_KEY)?.value as
    | { limits?: RiskLimits; breaker?: CircuitBreakerState; peakValue?: number }
    | undefined;
  if (value?.limits === undefined || value.breaker === undefined) return undefined;
  return { limits: value.limits, breaker: value.breaker, peakValue: value.peakValue ?? 0 };
}

export function toStrategyRecord(s: StrategySnapshot): StrategyRecord {
  return {
    strategyId: s.id,
    name: s.name,
    type: s.type,
    instruments: s.instruments,
    parameters: { ...s.parameters },
    limits: { ...s.limits },
    status: s.status,
    statusReason: s.statusReason,
    createdAt: date(s.createdAt),
    ...optionalDate("startedAt", s.startedAt),
    updatedAt: date(s.updatedAt),
    ...optionalDate("stoppedAt", s.stoppedAt),
    // The strategy's memory rides in the record's metadata, stored with every change of it.
    metadata: { activity: { ...s.activity }, ...(s.state === undefined ? {} : { state: s.state }) },
  };
}

export function fromStrategyRecord(r: StrategyRecord): StrategySnapshot {
  const limits = r.limits as Partial<StrategyLimits>;
  return {
    id: r.strategyId,
    name: r.name,
    type: r.type,
    instruments: [...r.instruments],
    parameters: { ...r.parameters },
    limits: {
      maxPosition: limits.maxPosition ?? 0,
      maxNotional: limits.maxNotional ?? 0,
      maxOpenOrders: limits.maxOpenOrders ?? 50,
      maxLoss: limits.maxLoss ?? 0,
    },
    status: r.status,
    statusReason: r.statusReason,
    createdAt: r.createdAt.getTime(),
    ...optionalMs("startedAt", r.startedAt),
    updatedAt: r.updatedAt.getTime(),
    ...optionalMs("stoppedAt", r.stoppedAt),
    activity: activityOf(r.metadata?.activity),
    ...(isObject(r.metadata?.state) ? { state: r.metadata.state } : {}),
  };
}

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The stored activity counts (absent or malformed: none). */
function activityOf(stored: unknown): StrategyActivity {
  const a = (stored ?? {}) as Partial<Record<keyof StrategyActivity, unknown>>;
  const count = (value: unknown) =>
    typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : 0;
  return {
    orderCount: count(a.orderCount),
    fillCount: count(a.fillCount),
    tradedNotional: count(a.tradedNotional),
  };
}

export function toOrderRecord(o: OrderSnapshot): OrderRecord {
  return {
    orderId: o.id,
    clientOrderId: o.clientOrderId,
    ...(o.strategyId === undefined ? {} : { strategyId: o.strategyId }),
    instrument: o.instrument,
    side: o.side,
    type: o.type,
    quantity: o.quantity,
    ...(o.limitPrice === undefined ? {} : { limitPrice: o.limitPrice }),
    filledQuantity: o.filledQuantity,
    averageFillPrice: o.averageFillPrice,
    fees: o.fees,
    status: o.status,
    statusReason: o.statusReason,
    createdAt: date(o.createdAt),
    ...optionalDate("submittedAt", o.submittedAt),
    ...optionalDate("acceptedAt", o.acceptedAt),
    ...optionalDate("partiallyFilledAt", o.partiallyFilledAt),
    ...optionalDate("filledAt", o.filledAt),
    ...optionalDate("cancelledAt", o.cancelledAt),
    ...optionalDate("rejectedAt", o.rejectedAt),
    ...optionalDate("expiredAt", o.expiredAt),
    expiresAt: date(o.expiresAt),
    updatedAt: date(o.updatedAt),
  };
}

/** A stored order with its stored fills, as the engine's snapshot. */
export function fromOrderRecord(r: OrderRecord, trades: readonly TradeRecord[]): OrderSnapshot {
  return {
    id: r.orderId,
    clientOrderId: r.clientOrderId,
    strategyId: r.strategyId,
    instrument: r.instrument,
    side: r.side,
    type: r.type,
    quantity: r.quantity,
    ...(r.limitPrice === undefined ? {} : { limitPrice: r.limitPrice }),
    filledQuantity: r.filledQuantity,
    averageFillPrice: r.averageFillPrice,
    fees: r.fees,
    status: r.status,
    statusReason: r.statusReason,
    createdAt: r.createdAt.getTime(),
    ...optionalMs("submittedAt", r.submittedAt),
    ...optionalMs("acceptedAt", r.acceptedAt),
    ...optionalMs("partiallyFilledAt", r.partiallyFilledAt),
    ...optionalMs("filledAt", r.filledAt),
    ...optionalMs("cancelledAt", r.cancelledAt),
    ...optionalMs("rejectedAt", r.rejectedAt),
    ...optionalMs("expiredAt", r.expiredAt),
    expiresAt: r.expiresAt.getTime(),
    updatedAt: r.updatedAt.getTime(),
    fills: trades.map(fromTradeRecord),
  };
}

export function toTradeRecord(f: Fill): TradeRecord {
  return {
    tradeId: f.id,
    orderId: f.orderId,
    ...(f.strategyId === undefined ? {} : { strategyId: f.strategyId }),
    instrument: f.instrument,
    side: f.side,
    price: f.price,
    quantity: f.quantity,
    fee: f.fee,
    liquidity: f.liquidity,
    timestamp: date(f.timestamp),
  };
}

export function fromTradeRecord(r: TradeRecord): Fill {
  return {
    id: r.tradeId,
    orderId: r.orderId,
    strategyId: r.strategyId,
    instrument: r.instrument,
    side: r.side,
    price: r.price,
    quantity: r.quantity,
    fee: r.fee,
    liquidity: r.liquidity,
    timestamp: r.timestamp.getTime(),
  };
}

export function toPositionRecord(p: PositionSnapshot): PositionRecord {
  return {
    strategyId: p.strategyId,
    instrument: p.instrument,
    quantity: p.quantity,
    averageEntryPrice: p.averageEntryPrice,
    realizedPnl: p.realizedPnl,
    feesPaid: p.feesPaid,
    ...optionalDate("openedAt", p.openedAt),
    updatedAt: date(p.updatedAt),
  };
}

export function fromPositionRecord(r: PositionRecord): PositionSnapshot {
  return {
    strategyId: r.strategyId,
    instrument: r.instrument,
    quantity: r.quantity,
    averageEntryPrice: r.averageEntryPrice,
    realizedPnl: r.realizedPnl,
    feesPaid: r.feesPaid,
    ...optionalMs("openedAt", r.openedAt),
    updatedAt: r.updatedAt.getTime(),
  };
}
