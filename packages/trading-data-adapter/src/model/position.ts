import { checkDate, checkObject, checkOptionalDate } from "@tse/field-checks";
import { checkAmount, optional } from "./field-checks.js";
import { validateInstrument, validateStrategyId } from "./strategy.js";

/**
 * A strategy's position in one instrument, as stored in `positions`, keyed by
 * `(strategyId, instrument)`. Writing it again replaces every field.
 */
export interface PositionRecord {
  /** Matches `STRATEGY_ID_PATTERN` (no foreign key: a position may outlive its strategy row). */
  readonly strategyId: string;
  /** A symbol like `BTC-USD` (the `instrument_id` column). */
  readonly instrument: string;
  /** Signed: negative is short. */
  readonly quantity: number;
  /** ≥ 0. */
  readonly averageEntryPrice: number;
  /** Signed. */
  readonly realizedPnl: number;
  /** ≥ 0. */
  readonly feesPaid: number;
  /** When the current position was opened; absent while flat. */
  readonly openedAt?: Date;
  readonly updatedAt: Date;
}

/** The key of a position in a store: strategy id and instrument. */
export function positionKey(position: Pick<PositionRecord, "strategyId" | "instrument">): string {
  return `${position.strategyId}\u0000${position.instrument}`;
}

const validated = new WeakSet<object>();

/**
 * Validates a position and returns the record to store: a frozen copy with amounts rounded to
 * 8 decimals.
 *
 * Contract: throws a `ValidationError` naming the field for an invalid strategy id; an
 * instrument that is not a symbol; a quantity or realized PnL that is not a finite number or
 * is ≥ 10^12 in absolute value (either sign is fine); an average entry price or fees paid < 0;
 * an `updatedAt` that is not a valid `Date`, or an `openedAt` present but not a valid `Date`.
 * Given a record it returned, it returns that record at once.
 */
export function validatePosition(input: PositionRecord): PositionRecord {
  if (validated.has(input)) return input;
  const p = checkObject("position", input);
  const record: PositionRecord = Object.freeze({
    strategyId: validateStrategyId(p.strategyId),
    instrument: validateInstrument(p.instrument),
    quantity: checkAmount("quantity", p.quantity, "any"),
    averageEntryPrice: checkAmount("averageEntryPrice", p.averageEntryPrice, "non-negative"),
    realizedPnl: checkAmount("realizedPnl", p.realizedPnl, "any"),
    feesPaid: checkAmount("feesPaid", p.feesPaid, "non-negative"),
    ...optional("openedAt", checkOptionalDate("openedAt", p.openedAt)),
    updatedAt: checkDate("updatedAt", p.updatedAt),
  });
  validated.add(record);
  return record;
}
