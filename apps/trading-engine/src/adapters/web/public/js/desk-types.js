// The JSON shapes of the engine's REST reads (apps/trading-engine/src/adapters/http), as far as
// the page uses them. Types only.

/**
 * @typedef {object} StrategyBody
 * @property {string} id
 * @property {string} name
 * @property {"market_making" | "mean_reversion"} type
 * @property {string[]} instruments
 * @property {"inactive" | "active" | "paused" | "stopped" | "error"} status
 * @property {string} status_reason
 * @property {{ realized_pnl: number, unrealized_pnl: number, total_pnl: number, order_count: number, fill_count: number, open_order_count: number }} performance
 */

/**
 * @typedef {object} PositionBody
 * @property {string} strategy_id
 * @property {string} instrument
 * @property {number} quantity
 * @property {number} average_entry_price
 * @property {number} mark_price
 * @property {number} realized_pnl
 * @property {number} unrealized_pnl
 * @property {number} exposure
 */

/**
 * @typedef {object} FillBody
 * @property {string} id
 * @property {number} price
 * @property {number} quantity
 * @property {number} fee
 * @property {"maker" | "taker"} liquidity
 * @property {string} timestamp ISO 8601
 */

/**
 * @typedef {object} OrderBody
 * @property {string} id
 * @property {string | null} strategy_id
 * @property {string} instrument
 * @property {"buy" | "sell"} side
 * @property {"market" | "limit"} type
 * @property {number} quantity
 * @property {number | null} limit_price
 * @property {number} filled_quantity
 * @property {string} status
 * @property {FillBody[]} fills
 */

/**
 * @typedef {object} PortfolioBody
 * @property {number} initial_capital
 * @property {number} cash
 * @property {number} total_value
 * @property {number} realized_pnl
 * @property {number} unrealized_pnl
 * @property {number} total_pnl
 * @property {number} fees_paid
 * @property {number} gross_exposure
 * @property {number} drawdown in [0, 1]
 * @property {string} timestamp ISO 8601
 */

/**
 * @typedef {object} RiskBody
 * @property {{ max_position_size: number, max_total_notional: number, max_gross_leverage: number, max_orders_per_second: number, max_drawdown: number }} limits
 * @property {{ state: "engaged" | "disengaged", trigger: string | null, reason: string }} circuit_breaker
 * @property {{ instruments: { instrument: string, net_position: number, max_position_size: number, utilization: number }[], total_notional: number, total_notional_utilization: number, gross_leverage: number | null, gross_leverage_utilization: number | null, orders_last_second: number, order_rate_utilization: number, drawdown: number, drawdown_utilization: number, rejected_orders: number }} utilization
 * @property {{ stale: boolean }} market_data
 */

export {};
