import type { Migration } from "@tse/postgres-kit";
import { createTradingTables } from "./0001-create-trading-tables.js";
import { createEngineState } from "./0002-create-engine-state.js";

/**
 * Every migration of the trading tables, in version order. Append new versions; never edit or
 * remove an applied one (databases already recorded it as done).
 */
export const TRADING_MIGRATIONS: readonly Migration[] = Object.freeze([
  createTradingTables,
  createEngineState,
]);
