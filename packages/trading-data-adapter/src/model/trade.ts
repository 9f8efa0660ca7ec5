import { checkDate, checkEnum, checkObject, checkUuid } from "@tse/field-checks";
import { checkAmount, optional } from "./field-checks.js";
import { ORDER_SIDES, type OrderSide } from "./order.js";
import { validateInstrument, validateStrategyId } from "./strategy.js";

/** Buy or sell (the `trade_side` enum): the side of the order filled. */
export type TradeSide = OrderSide;

/** The values of {@link TradeSide}. */
export const TRADE_SIDES: readonly TradeSide[] = ORDER_SIDES;

/** Whether a fill added liquidity (a resting order) or took it. */
export const LIQUIDITIES = Object.freeze(["maker", "taker"] as const);

/** One of {@link LIQUIDITIES}. */
export type Liquidity = (typeof LIQUIDITIES)[number];

/**
 * One fill of an order, as stored in `trades`. Immutable: committing a trade whose id is
 * stored already changes nothing, so a retried batch is harmless.
 */
export interface TradeRecord {
  /** A UUID, stored and returned in lower case. */
  readonly tradeId: string;
  /** The order filled (stored already, or in the same commit); a UUID, lower case. */
  readonly orderId: string;
  readonly strategyId?: string;
  /** A symbol like `BTC-USD`. */
  readonly instrument: string;
  readonly side: TradeSide;
  /** > 0. */
  readonly price: number;
  /** > 0. */
  readonly quantity: number;
  /** ≥ 0. */
  readonly fee: number;
  readonly liquidity: Liquidity;
  readonly timestamp: Date;
}

const validated = new WeakSet<object>();

/**
 * Validates a trade and returns the record to store: a frozen copy with amounts rounded to 8
 * decimals and ids in lower case.
 *
 * Contract: throws a `ValidationError` naming the field for a trade or order id that is not a
 * UUID; a strategy id present but invalid; an instrument that is not a symbol; a side outside
 * buy/sell; a price or quantity that is not a finite number > 0 (at 8 decimals) or is ≥ 10^12;
 * a fee < 0; a liquidity other than maker/taker; a timestamp that is not a valid `Date`. Given
 * a record it returned, it returns that record at once.
 */
export function validateTrade(input: TradeRecord): TradeRecord {
  if (validated.has(input)) return input;
  const t = checkObject("trade", input);
  const record: TradeRecord = Object.freeze({
    tradeId: checkUuid("tradeId", t.tradeId),
    orderId: checkUuid("orderId", t.orderId),
    ...optional(
      "strategyId",
      t.strategyId === undefined ? undefined : validateStrategyId(t.strategyId),
    ),
    instrument: validateInstrument(t.instrument),
    side: checkEnum("side", t.side, TRADE_SIDES),
    price: checkAmount("price", t.price, "positive"),
    quantity: checkAmount("quantity", t.quantity, "positive"),
    fee: checkAmount("fee", t.fee, "non-negative"),
    liquidity: checkEnum("liquidity", t.liquidity, LIQUIDITIES),
    timestamp: checkDate("timestamp", t.timestamp),
  });
  validated.add(record);
  return record;
}
