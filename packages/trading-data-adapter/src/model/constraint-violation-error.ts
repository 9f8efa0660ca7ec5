/**
 * The names of the constraints a valid record can still break, because they depend on what
 * is stored: both stores report them under these names.
 */
export const TRADING_CONSTRAINTS = Object.freeze({
  /** Two orders of one strategy with one client order id. */
  strategyClientOrderId: "orders_strategy_client_order_id_key",
  /** Two orders without a strategy with one client order id. */
  manualClientOrderId: "orders_manual_client_order_id_key",
  /** An order whose strategy is neither stored nor in the commit. */
  orderStrategy: "orders_strategy_id_fkey",
  /** A trade whose order is neither stored nor in the commit. */
  tradeOrder: "trades_order_id_fkey",
} as const);

/**
 * A commit refused because its records, valid one by one, contradict what is stored (or each
 * other): a duplicate client order id within a strategy, an order of an unknown strategy, a
 * trade of an unknown order. Nothing of the commit was written.
 *
 * Contract: `constraint` is the constraint's name (see {@link TRADING_CONSTRAINTS} for those
 * both stores check; Postgres may name another one); `cause` holds the driver's error when it
 * came from Postgres. Retrying the same commit fails the same way.
 */
export class ConstraintViolationError extends Error {
  override readonly name = "ConstraintViolationError";

  /** The violated constraint, e.g. `orders_strategy_client_order_id_key`. */
  readonly constraint: string;

  constructor(constraint: string, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.constraint = constraint;
  }
}
