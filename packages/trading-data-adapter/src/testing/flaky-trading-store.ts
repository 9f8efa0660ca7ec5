import type { TradingChanges } from "../model/trading-changes.js";
import type { TradingStore } from "../repositories/trading-store.js";

/**
 * A {@link TradingStore} that fails its next `failures` commits (with `connection refused`,
 * writing nothing) and then commits to `inner`; reads always go to `inner`. Records every
 * commit attempt, for tests of retrying writers.
 */
export class FlakyTradingStore implements TradingStore {
  /** Every commit attempt, in order, with whether it failed. */
  readonly attempts: { readonly changes: TradingChanges; readonly failed: boolean }[] = [];

  constructor(
    private readonly inner: TradingStore,
    /** How many of the next commits fail; may be changed at any time. */
    public failures = 0,
  ) {}

  async commit(changes: TradingChanges): Promise<void> {
    const failed = this.failures > 0;
    this.attempts.push({ changes, failed });
    if (failed) {
      this.failures -= 1;
      throw new Error("connection refused");
    }
    await this.inner.commit(changes);
  }

  loadState: TradingStore["loadState"] = () => this.inner.loadState();
  getEngineState: TradingStore["getEngineState"] = (key) => this.inner.getEngineState(key);
  getStrategy: TradingStore["getStrategy"] = (id) => this.inner.getStrategy(id);
  listStrategies: TradingStore["listStrategies"] = (filter) => this.inner.listStrategies(filter);
  getOrder: TradingStore["getOrder"] = (id) => this.inner.getOrder(id);
  listOrders: TradingStore["listOrders"] = (filter) => this.inner.listOrders(filter);
  listTrades: TradingStore["listTrades"] = (filter) => this.inner.listTrades(filter);
  listPositions: TradingStore["listPositions"] = (filter) => this.inner.listPositions(filter);
}
