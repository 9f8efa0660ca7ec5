/**
 * Test helpers of the trading persistence (exported as `@tse/trading-data-adapter/testing`,
 * source condition only): a migrated throw-away schema on the test Postgres and a store that
 * fails on demand. The server gates (`describeWithPostgres`, …) are `@tse/market-data-adapter/testing`'s.
 */
export { FlakyTradingStore } from "./flaky-trading-store.js";
export {
  createTradingTestSchema,
  TRADING_TABLES,
  type TradingTestSchema,
  uniqueTestSchema,
} from "./trading-test-schema.js";
