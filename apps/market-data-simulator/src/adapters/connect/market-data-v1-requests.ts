import { Code, ConnectError } from "@connectrpc/connect";
import type { MarketSimulator } from "../../domain/engine/market-simulator.js";

/**
 * The check of a request's symbol field: required, and one the simulator simulates. Throws
 * `InvalidArgument` naming the field when it is empty, `NotFound` for an unknown symbol.
 */
export function symbolCheck(
  simulator: MarketSimulator,
): (symbol: string, field?: string) => string {
  return (symbol, field = "symbol") => {
    if (symbol === "") throw new ConnectError(`${field} is required`, Code.InvalidArgument);
    if (!simulator.has(symbol))
      throw new ConnectError(`unknown symbol ${JSON.stringify(symbol)}`, Code.NotFound);
    return symbol;
  };
}

/**
 * A size field of a request: `fallback` when left out (0), the value when within `max`;
 * throws `InvalidArgument` naming the field above it.
 */
export function bounded(field: string, value: number, fallback: number, max: number): number {
  if (value === 0) return fallback;
  if (value > max)
    throw new ConnectError(`${field} must be at most ${max} (got ${value})`, Code.InvalidArgument);
  return value;
}
