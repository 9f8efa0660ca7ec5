import { QUANTITY_EPSILON, round8 } from "../shared/decimal.js";

export type OrderSide = "buy" | "sell";
export type OrderType = "market" | "limit";
export type OrderStatus =
  | "pending"
  | "submitted"
  | "accepted"
  | "partially_filled"
  | "filled"
  | "cancelled"
  | "rejected"
  | "expired";
export type Liquidity = "maker" | "taker";

/** Statuses from which an order can still trade or be cancelled. */
export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = Object.freeze([
  "pending",
  "submitted",
  "accepted",
  "partially_filled",
]);

/**
 * The legal transitions of the order lifecycle (docs/architecture.md#the-route-of-an-order);
 * anything else is refused.
 */
const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ["submitted", "rejected", "cancelled"],
  submitted: ["accepted", "rejected", "cancelled"],
  accepted: ["partially_filled", "filled", "cancelled", "expired"],
  partially_filled: ["partially_filled", "filled", "cancelled", "expired"],
  filled: [],
  cancelled: [],
  rejected: [],
  expired: [],
};

/** One execution of (part of) an order. */
export interface Fill {
  readonly id: string;
  readonly orderId: string;
  readonly strategyId: string | undefined;
  readonly instrument: string;
  readonly side: OrderSide;
  /** Execution price, slippage included. */
  readonly price: number;
  /** Executed quantity, base units, > 0. */
  readonly quantity: number;
  /** Fee in quote currency, ≥ 0. */
  readonly fee: number;
  readonly liquidity: Liquidity;
  /** Epoch ms. */
  readonly timestamp: number;
}

/** What a new order is made of. */
export interface OrderSpec {
  readonly id: string;
  readonly clientOrderId: string;
  readonly strategyId: string | undefined;
  readonly instrument: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: number;
  /** Required (> 0) for limit orders, absent for market orders. */
  readonly limitPrice?: number;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms after which a working order expires. */
  readonly expiresAt: number;
  /** Why the order was placed, when it is not a strategy's decision (e.g. a force close). */
  readonly reason?: string;
}

/** Every field of an order at one moment (what is stored and reported). */
export interface OrderSnapshot extends OrderSpec {
  readonly filledQuantity: number;
  readonly averageFillPrice: number;
  readonly fees: number;
  readonly status: OrderStatus;
  readonly statusReason: string;
  readonly submittedAt?: number;
  readonly acceptedAt?: number;
  readonly partiallyFilledAt?: number;
  readonly filledAt?: number;
  readonly cancelledAt?: number;
  readonly rejectedAt?: number;
  readonly expiredAt?: number;
  readonly updatedAt: number;
  readonly fills: readonly Fill[];
}

/** A transition the lifecycle forbids, or a fill that does not fit the order. */
export class IllegalOrderTransitionError extends Error {
  override readonly name = "IllegalOrderTransitionError";
}

type Timestamps = Pick<
  OrderSnapshot,
  | "submittedAt"
  | "acceptedAt"
  | "partiallyFilledAt"
  | "filledAt"
  | "cancelledAt"
  | "rejectedAt"
  | "expiredAt"
>;

const TIMESTAMP_OF: Partial<Record<OrderStatus, keyof Timestamps>> = {
  submitted: "submittedAt",
  accepted: "acceptedAt",
  partially_filled: "partiallyFilledAt",
  filled: "filledAt",
  cancelled: "cancelledAt",
  rejected: "rejectedAt",
  expired: "expiredAt",
};

/**
 * An order and its lifecycle: PENDING → SUBMITTED → ACCEPTED → PARTIALLY_FILLED → FILLED, or
 * CANCELLED / REJECTED / EXPIRED (terminal). Each transition records its time (the first
 * partial fill's time is kept); an illegal transition throws {@link IllegalOrderTransitionError}
 * and changes nothing. Fills keep `filledQuantity`, the quantity-weighted `averageFillPrice` and
 * `fees` exact to 8 decimals.
 */
export class Order {
  #state: OrderSnapshot;

  constructor(spec: OrderSpec) {
    if (!(Number.isFinite(spec.quantity) && spec.quantity > 0)) {
      throw new RangeError(`quantity must be a finite number > 0 (got ${spec.quantity})`);
    }
    if (spec.type === "limit") {
      if (
        spec.limitPrice === undefined ||
        !(Number.isFinite(spec.limitPrice) && spec.limitPrice > 0)
      ) {
        throw new RangeError("a limit order needs a limit price > 0");
      }
    } else if (spec.limitPrice !== undefined) {
      throw new RangeError("a market order has no limit price");
    }
    this.#state = {
      ...spec,
      quantity: round8(spec.quantity),
      ...(spec.limitPrice === undefined ? {} : { limitPrice: round8(spec.limitPrice) }),
      filledQuantity: 0,
      averageFillPrice: 0,
      fees: 0,
      status: "pending",
      statusReason: spec.reason ?? "",
      updatedAt: spec.createdAt,
      fills: [],
    };
  }

  /** Rebuilds an order from a stored snapshot (a restart); the snapshot is trusted. */
  static restore(snapshot: OrderSnapshot): Order {
    const order = new Order(snapshot);
    order.#state = { ...snapshot, fills: [...snapshot.fills] };
    return order;
  }

  get id(): string {
    return this.#state.id;
  }
  get status(): OrderStatus {
    return this.#state.status;
  }
  get side(): OrderSide {
    return this.#state.side;
  }
  get instrument(): string {
    return this.#state.instrument;
  }
  get strategyId(): string | undefined {
    return this.#state.strategyId;
  }
  /** Quantity still to fill. */
  get remaining(): number {
    return round8(this.#state.quantity - this.#state.filledQuantity);
  }
  /** Whether the order can still trade or be cancelled. */
  get isOpen(): boolean {
    return OPEN_ORDER_STATUSES.includes(this.#state.status);
  }

  /** The order now, as an immutable value. */
  snapshot(): OrderSnapshot {
    return this.#state;
  }

  submit(now: number): void {
    this.#move("submitted", now);
  }

  accept(now: number): void {
    this.#move("accepted", now);
  }

  reject(now: number, reason: string): void {
    this.#move("rejected", now, reason);
  }

  cancel(now: number, reason: string): void {
    this.#move("cancelled", now, reason);
  }

  /** Expires a working order whose `expiresAt` has passed; throws before that time. */
  expire(now: number): void {
    if (now < this.#state.expiresAt) {
      throw new IllegalOrderTransitionError(
        `order ${this.id} does not expire before ${this.#state.expiresAt}`,
      );
    }
    this.#move("expired", now, "not filled within the order timeout");
  }

  /**
   * Applies a fill of this order: PARTIALLY_FILLED, or FILLED when nothing remains. Throws for a
   * fill of another order or side, a non-positive quantity or price, or more than remains.
   */
  fill(fill: Fill): void {
    const state = this.#state;
    if (
      fill.orderId !== state.id ||
      fill.side !== state.side ||
      fill.instrument !== state.instrument
    ) {
      throw new IllegalOrderTransitionError(`fill ${fill.id} does not belong to order ${state.id}`);
    }
    if (!(fill.quantity > 0) || !(fill.price > 0) || !(fill.fee >= 0)) {
      throw new IllegalOrderTransitionError(
        `fill ${fill.id} must have quantity and price > 0, fee ≥ 0`,
      );
    }
    if (fill.quantity > this.remaining + QUANTITY_EPSILON) {
      throw new IllegalOrderTransitionError(
        `fill ${fill.id} of ${fill.quantity} exceeds the ${this.remaining} remaining on order ${state.id}`,
      );
    }
    const filledQuantity = round8(state.filledQuantity + fill.quantity);
    const next: OrderStatus =
      filledQuantity >= state.quantity - QUANTITY_EPSILON ? "filled" : "partially_filled";
    this.#move(next, fill.timestamp);
    this.#state = {
      ...this.#state,
      filledQuantity: next === "filled" ? state.quantity : filledQuantity,
      averageFillPrice: round8(
        (state.averageFillPrice * state.filledQuantity + fill.price * fill.quantity) /
          filledQuantity,
      ),
      fees: round8(state.fees + fill.fee),
      fills: [...state.fills, fill],
    };
  }

  #move(status: OrderStatus, now: number, reason?: string): void {
    const from = this.#state.status;
    if (!TRANSITIONS[from].includes(status)) {
      throw new IllegalOrderTransitionError(`order ${this.id} cannot go from ${from} to ${status}`);
    }
    const field = TIMESTAMP_OF[status];
    const keepFirst = status === "partially_filled" && this.#state.partiallyFilledAt !== undefined;
    this.#state = {
      ...this.#state,
      status,
      ...(reason === undefined ? {} : { statusReason: reason }),
      ...(field === undefined || keepFirst ? {} : { [field]: now }),
      updatedAt: now,
    };
  }
}
