import type { OrderSide } from "../orders/order.js";
import { QUANTITY_EPSILON, round8 } from "../shared/decimal.js";

/** One strategy's holding of one instrument, with average-cost accounting. */
export interface PositionSnapshot {
  readonly strategyId: string;
  readonly instrument: string;
  /** Signed base units: > 0 long, < 0 short. */
  readonly quantity: number;
  /** Quantity-weighted entry price of the open quantity; 0 when flat. */
  readonly averageEntryPrice: number;
  /** PnL locked in by reducing trades, after every fee. */
  readonly realizedPnl: number;
  /** Fees paid on this position's fills (already deducted from `realizedPnl`). */
  readonly feesPaid: number;
  /** Epoch ms the position was opened from flat; absent when flat. */
  readonly openedAt?: number;
  /** Epoch ms of the last fill. */
  readonly updatedAt: number;
}

/**
 * The key of one strategy's position in one instrument: distinct for every pair, as neither an
 * id nor a symbol holds the NUL that separates them. `undefined` (an order of no strategy) is
 * the key of the empty strategy id.
 */
export function positionKey(strategyId: string | undefined, instrument: string): string {
  return `${strategyId ?? ""}\u0000${instrument}`;
}

/** A flat position. */
export function flatPosition(
  strategyId: string,
  instrument: string,
  now: number,
): PositionSnapshot {
  return {
    strategyId,
    instrument,
    quantity: 0,
    averageEntryPrice: 0,
    realizedPnl: 0,
    feesPaid: 0,
    updatedAt: now,
  };
}

/**
 * The position after a fill of `quantity` at `price` on `side` with `fee`, by average cost:
 * a fill in the direction of the position moves the average entry price; a fill against it
 * realizes (price − entry) × closed quantity (sign by direction) at the unchanged entry price,
 * and any excess opens the other way at `price`. Every fee is deducted from realized PnL at
 * once. Amounts are rounded to 8 decimals.
 */
export function applyFill(
  position: PositionSnapshot,
  fill: {
    readonly side: OrderSide;
    readonly price: number;
    readonly quantity: number;
    readonly fee: number;
    readonly timestamp: number;
  },
): PositionSnapshot {
  const signed = fill.side === "buy" ? fill.quantity : -fill.quantity;
  const held = position.quantity;
  let quantity = held;
  let entry = position.averageEntryPrice;
  let realized = position.realizedPnl - fill.fee;
  if (held === 0 || Math.sign(held) === Math.sign(signed)) {
    quantity = round8(held + signed);
    entry = round8((Math.abs(held) * entry + Math.abs(signed) * fill.price) / Math.abs(quantity));
  } else {
    const closing = Math.min(Math.abs(signed), Math.abs(held));
    realized += (fill.price - entry) * closing * Math.sign(held);
    quantity = round8(held + signed);
    if (Math.abs(quantity) <= QUANTITY_EPSILON) {
      quantity = 0;
      entry = 0;
    } else if (Math.sign(quantity) !== Math.sign(held)) {
      entry = fill.price;
    }
  }
  const opened = held === 0 && quantity !== 0;
  const flipped = held !== 0 && quantity !== 0 && Math.sign(quantity) !== Math.sign(held);
  const { openedAt: _previous, ...rest } = position;
  return {
    ...rest,
    quantity,
    averageEntryPrice: round8(entry),
    realizedPnl: round8(realized),
    feesPaid: round8(position.feesPaid + fill.fee),
    ...(quantity === 0
      ? {}
      : { openedAt: opened || flipped ? fill.timestamp : (position.openedAt ?? fill.timestamp) }),
    updatedAt: fill.timestamp,
  };
}

/** (mark − entry) × quantity. */
export function unrealizedPnl(position: PositionSnapshot, mark: number): number {
  return position.quantity === 0
    ? 0
    : round8((mark - position.averageEntryPrice) * position.quantity);
}
