import { ValidationError, validateObjectBatch } from "@tse/field-checks";
import { type EngineStateRecord, validateEngineState } from "./engine-state.js";
import { type OrderRecord, validateOrder } from "./order.js";
import { type PositionRecord, positionKey, validatePosition } from "./position.js";
import { type StrategyRecord, validateStrategy } from "./strategy.js";
import { type TradeRecord, validateTrade } from "./trade.js";

/**
 * One atomic set of changes to the trading tables: what `TradingStore.commit` writes in one
 * transaction. Every list may be absent or empty.
 */
export interface TradingChanges {
  /** Upserted by `strategyId`. */
  readonly strategies?: readonly StrategyRecord[];
  /** Upserted by `orderId`. */
  readonly orders?: readonly OrderRecord[];
  /** Inserted; a trade whose `tradeId` is stored already is ignored. */
  readonly trades?: readonly TradeRecord[];
  /** Upserted by `(strategyId, instrument)`. */
  readonly positions?: readonly PositionRecord[];
  /** Upserted by `key` (value and `updatedAt` replaced). */
  readonly engineState?: readonly EngineStateRecord[];
}

/**
 * Changes after {@link validateTradingChanges}: every list present, every record validated
 * (frozen, rounded), at most one record per key.
 */
export interface ValidTradingChanges {
  readonly strategies: readonly StrategyRecord[];
  readonly orders: readonly OrderRecord[];
  readonly trades: readonly TradeRecord[];
  readonly positions: readonly PositionRecord[];
  readonly engineState: readonly EngineStateRecord[];
}

/** The change lists, in the order a commit writes them (foreign keys point backwards). */
export const CHANGE_KINDS = Object.freeze([
  "strategies",
  "orders",
  "trades",
  "positions",
  "engineState",
] as const);

/**
 * Validates a whole batch before anything is written and returns it normalised.
 *
 * Contract:
 * - The first bad record throws a `ValidationError` whose field names the list, the position
 *   and the field (`orders[3].quantity`); a list that is present but not an array throws too.
 * - Within the batch, the last strategy / order / position / engine state record of a key wins (an order updated
 *   twice in one batch is written once, with its latest fields); of trades sharing an id the
 *   first is kept (trades are immutable; a later copy would be ignored by the store anyway).
 * - The number of changes is {@link countChanges} of the result.
 */
export function validateTradingChanges(changes: TradingChanges): ValidTradingChanges {
  if (typeof changes !== "object" || changes === null || Array.isArray(changes)) {
    throw new ValidationError("changes", "must be an object", changes);
  }
  const list = (name: (typeof CHANGE_KINDS)[number]) => changes[name] ?? [];
  return {
    strategies: lastPerKey(
      validateObjectBatch("strategies", list("strategies"), (s) =>
        validateStrategy(s as StrategyRecord),
      ),
      (s) => s.strategyId,
    ),
    orders: lastPerKey(
      validateObjectBatch("orders", list("orders"), (o) => validateOrder(o as OrderRecord)),
      (o) => o.orderId,
    ),
    trades: firstPerKey(
      validateObjectBatch("trades", list("trades"), (t) => validateTrade(t as TradeRecord)),
      (t) => t.tradeId,
    ),
    positions: lastPerKey(
      validateObjectBatch("positions", list("positions"), (p) =>
        validatePosition(p as PositionRecord),
      ),
      positionKey,
    ),
    engineState: lastPerKey(
      validateObjectBatch("engineState", list("engineState"), (e) =>
        validateEngineState(e as EngineStateRecord),
      ),
      (e) => e.key,
    ),
  };
}

/** How many records `changes` holds across its lists. */
export function countChanges(changes: TradingChanges): number {
  return CHANGE_KINDS.reduce((sum, kind) => sum + (changes[kind]?.length ?? 0), 0);
}

/** Keeps the last record of each key, in the order of those last occurrences. */
export function lastPerKey<T>(records: readonly T[], key: (record: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const record of records) {
    const k = key(record);
    byKey.delete(k);
    byKey.set(k, record);
  }
  return byKey.size === records.length ? [...records] : [...byKey.values()];
}

/** Keeps the first record of each key, in order. */
export function firstPerKey<T>(records: readonly T[], key: (record: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const record of records) {
    const k = key(record);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(record);
  }
  return out;
}
