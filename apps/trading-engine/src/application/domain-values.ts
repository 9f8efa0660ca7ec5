/**
 * The domain's values the adapters use — error classes they map to protocol codes, order
 * states, keys, grid checks — handed on by the application layer, the adapters' only door into
 * the domain (adapters import domain types only, `import type`).
 */
export { EngineRequestError } from "../domain/engine/engine-request-error.js";
export { usableRules } from "../domain/orders/instrument-rules.js";
export { OPEN_ORDER_STATUSES } from "../domain/orders/order.js";
export { positionKey } from "../domain/portfolio/position.js";
export { CircuitBreakerError } from "../domain/risk/risk-manager.js";
