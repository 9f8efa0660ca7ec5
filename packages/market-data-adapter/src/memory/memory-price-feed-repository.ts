import { checkDate, validateBatch } from "@tse/field-checks";
import { validateSymbol } from "../model/market-symbol.js";
import { type PriceFeed, type PriceFeedInput, validatePriceFeed } from "../model/price-feed.js";
import {
  checkPriceFeedQuery,
  type PriceFeedQuery,
  type PriceFeedRepository,
} from "../repositories/price-feed-repository.js";
import { selectTimeRange } from "./time-range-filter.js";

/**
 * A {@link PriceFeedRepository} in process memory, for tests and for running without Postgres.
 * Behaves like the Postgres one (same contract suite); unbounded except by `deleteOlderThan`.
 */
export class MemoryPriceFeedRepository implements PriceFeedRepository {
  private readonly byId = new Map<string, PriceFeed>();

  async insertBatch(feeds: readonly PriceFeedInput[]): Promise<PriceFeed[]> {
    const valid = validateBatch("feeds", feeds, validatePriceFeed);
    for (const feed of valid) {
      if (!this.byId.has(feed.feedId)) this.byId.set(feed.feedId, feed);
    }
    return valid.map(copy);
  }

  async latest(symbol: string): Promise<PriceFeed | undefined> {
    validateSymbol(symbol);
    let best: PriceFeed | undefined;
    for (const feed of this.byId.values()) {
      if (feed.symbol === symbol && (best === undefined || compareFeeds(feed, best) > 0))
        best = feed;
    }
    return best === undefined ? undefined : copy(best);
  }

  async latestAll(): Promise<PriceFeed[]> {
    const best = new Map<string, PriceFeed>();
    for (const feed of this.byId.values()) {
      const current = best.get(feed.symbol);
      if (current === undefined || compareFeeds(feed, current) > 0) best.set(feed.symbol, feed);
    }
    return [...best.values()].sort((a, b) => compareCodeUnits(a.symbol, b.symbol)).map(copy);
  }

  async query(query: PriceFeedQuery = {}): Promise<PriceFeed[]> {
    const q = checkPriceFeedQuery(query);
    return selectTimeRange(
      this.byId.values(),
      q,
      (f) =>
        (q.symbol === undefined || f.symbol === q.symbol) &&
        (q.source === undefined || f.source === q.source),
      compareFeeds,
    ).map(copy);
  }

  async deleteOlderThan(cutoff: Date): Promise<number> {
    const limit = checkDate("cutoff", cutoff).getTime();
    let deleted = 0;
    for (const [id, feed] of this.byId) {
      if (feed.timestamp.getTime() < limit) {
        this.byId.delete(id);
        deleted++;
      }
    }
    return deleted;
  }
}

/** Time order, ties broken by id: the order `timestamp, feed_id` gives in Postgres. */
function compareFeeds(a: PriceFeed, b: PriceFeed): number {
  return a.timestamp.getTime() - b.timestamp.getTime() || compareCodeUnits(a.feedId, b.feedId);
}

/** Code-unit order; for lower-case UUIDs and ASCII symbols it is Postgres' uuid / `collate "C"` order. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function copy(feed: PriceFeed): PriceFeed {
  return structuredClone(feed);
}
