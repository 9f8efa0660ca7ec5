import type { Migration } from "@tse/postgres-kit";
import { createMarketDataTables } from "./0001-create-market-data-tables.js";
import { widenSnapshotPercentage } from "./0002-widen-snapshot-percentage.js";

/**
 * Every migration of the market-data tables, in version order. Append new versions; never edit
 * or remove an applied one (databases already recorded it as done).
 */
export const MARKET_DATA_MIGRATIONS: readonly Migration[] = Object.freeze([
  createMarketDataTables,
  widenSnapshotPercentage,
]);
