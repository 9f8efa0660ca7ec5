import {
  checkDate,
  checkEnum,
  checkFreeText,
  checkObject,
  checkOptionalDate,
  checkText,
  checkUuid,
  ValidationError,
} from "@tse/field-checks";
import { checkAmount, MAX_REASON_LENGTH, optional } from "./field-checks.js";
import { validateInstrument, validateStrategyId } from "./strategy.js";

/** Buy or sell (the `order_side` enum). */
export const ORDER_SIDES = Object.freeze(["buy", "sell"] as const);

/** One of {@link ORDER_SIDES}. */
export type OrderSide = (typeof ORDER_SIDES)[number];

/** Market or limit (the `order_type` enum). */
export const ORDER_TYPES = Object.freeze(["market", "limit"] as const);

/** One of {@link ORDER_TYPES}. */
export type OrderType = (typeof ORDER_TYPES)[number];

/** The order life cycle (the `order_status` enum). */
export const ORDER_STATUSES = Object.freeze([
  "pending",
  "submitted",
  "accepted",
  "partially_filled",
  "filled",
  "cancelled",
  "rejected",
  "expired",
] as const);

/** One of {@link ORDER_STATUSES}. */
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The statuses of an order that may still trade: what a restarting engine must restore. */
export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = Object.freeze([
  "pending",
  "submitted",
  "accepted",
  "partially_filled",
]);

/** Whether an order in `status` may still trade (see {@link OPEN_ORDER_STATUSES}). */
export function isOpenOrderStatus(status: OrderStatus): boolean {
  return OPEN_ORDER_STATUSES.includes(status);
}

/** The longest client order id accepted. */
export const MAX_CLIENT_ORDER_ID_LENGTH = 128;

/**
 * An order as stored in `orders`, keyed by `orderId`. Writing it again replaces every field.
 * `clientOrderId` is unique per strategy (orders without a strategy count as one strategy).
 */
export interface OrderRecord {
  /** A UUID, stored and returned in lower case. */
  readonly orderId: string;
  /** Non-empty, at most 128 characters. */
  readonly clientOrderId: string;
  /** The strategy that placed it (stored already, or in the same commit); absent for manual orders. */
  readonly strategyId?: string;
  /** A symbol like `BTC-USD`. */
  readonly instrument: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  /** > 0. */
  readonly quantity: number;
  /** > 0 for a limit order; absent for a market order. */
  readonly limitPrice?: number;
  /** ≥ 0 and ≤ `quantity`. */
  readonly filledQuantity: number;
  /** ≥ 0. */
  readonly averageFillPrice: number;
  /** ≥ 0. */
  readonly fees: number;
  readonly status: OrderStatus;
  /** Why it is in its status (may be empty). */
  readonly statusReason: string;
  readonly createdAt: Date;
  readonly submittedAt?: Date;
  readonly acceptedAt?: Date;
  readonly partiallyFilledAt?: Date;
  readonly filledAt?: Date;
  readonly cancelledAt?: Date;
  readonly rejectedAt?: Date;
  readonly expiredAt?: Date;
  /** When the order expires if still open. */
  readonly expiresAt: Date;
  readonly updatedAt: Date;
}

/** The optional timestamps of an order, in life-cycle order. */
export const ORDER_EVENT_TIMES = Object.freeze([
  "submittedAt",
  "acceptedAt",
  "partiallyFilledAt",
  "filledAt",
  "cancelledAt",
  "rejectedAt",
  "expiredAt",
] as const);

const validated = new WeakSet<object>();

/**
 * Validates an order and returns the record to store: a frozen copy with its amounts rounded
 * to 8 decimals (as `numeric(20,8)` stores them) and its id in lower case.
 *
 * Contract: throws a `ValidationError` naming the field for an order id that is not a UUID; an
 * empty or too long client order id; a strategy id that is present but invalid; an instrument
 * that is not a symbol; a side, type or status outside the enums; a quantity that is not a
 * finite number > 0 (at 8 decimals) or is ≥ 10^12; a limit order without a limit price > 0, or a
 * market order with one; a filled quantity < 0 or above the quantity; an average fill price or
 * fees < 0; a status reason that is not a string; `createdAt`, `expiresAt` or `updatedAt` that
 * is not a valid `Date`; an event time (`submittedAt`, …) present but not a valid `Date`.
 * Given a record it returned, it returns that record at once.
 */
export function validateOrder(input: OrderRecord): OrderRecord {
  if (validated.has(input)) return input;
  const o = checkObject("order", input);
  const type = checkEnum("type", o.type, ORDER_TYPES);
  const quantity = checkAmount("quantity", o.quantity, "positive");
  let limitPrice: number | undefined;
  if (type === "limit") {
    if (o.limitPrice === undefined) {
      throw new ValidationError("limitPrice", "is required for a limit order", o.limitPrice);
    }
    limitPrice = checkAmount("limitPrice", o.limitPrice, "positive");
  } else if (o.limitPrice !== undefined) {
    throw new ValidationError("limitPrice", "must be absent for a market order", o.limitPrice);
  }
  const filledQuantity = checkAmount("filledQuantity", o.filledQuantity, "non-negative");
  if (filledQuantity > quantity) {
    throw new ValidationError(
      "filledQuantity",
      `must not exceed quantity (${quantity})`,
      o.filledQuantity,
    );
  }
  const events: Partial<Record<(typeof ORDER_EVENT_TIMES)[number], Date>> = {};
  for (const field of ORDER_EVENT_TIMES) {
    const time = checkOptionalDate(field, o[field]);
    if (time !== undefined) events[field] = time;
  }
  const record: OrderRecord = Object.freeze({
    orderId: checkUuid("orderId", o.orderId),
    clientOrderId: checkText("clientOrderId", o.clientOrderId, MAX_CLIENT_ORDER_ID_LENGTH),
    ...optional(
      "strategyId",
      o.strategyId === undefined ? undefined : validateStrategyId(o.strategyId),
    ),
    instrument: validateInstrument(o.instrument),
    side: checkEnum("side", o.side, ORDER_SIDES),
    type,
    quantity,
    ...optional("limitPrice", limitPrice),
    filledQuantity,
    averageFillPrice: checkAmount("averageFillPrice", o.averageFillPrice, "non-negative"),
    fees: checkAmount("fees", o.fees, "non-negative"),
    status: checkEnum("status", o.status, ORDER_STATUSES),
    statusReason: checkFreeText("statusReason", o.statusReason, MAX_REASON_LENGTH),
    createdAt: checkDate("createdAt", o.createdAt),
    ...events,
    expiresAt: checkDate("expiresAt", o.expiresAt),
    updatedAt: checkDate("updatedAt", o.updatedAt),
  });
  validated.add(record);
  return record;
}
