import { validateBatch } from "@tse/field-checks";
import {
  type Candle,
  type CandleInput,
  candleKey,
  compareCandleSeries,
  lastCandlePerKey,
  validateCandle,
} from "../model/candle.js";
import { type CandleInterval, validateCandleInterval } from "../model/candle-interval.js";
import { validateSymbol } from "../model/market-symbol.js";
import {
  type CandleQuery,
  type CandleRepository,
  checkCandleQuery,
} from "../repositories/candle-repository.js";

/**
 * A {@link CandleRepository} in process memory, for tests and for running without Postgres.
 * Behaves like the Postgres one (same contract suite).
 */
export class MemoryCandleRepository implements CandleRepository {
  /** Keyed by {@link candleKey}: the same identity Postgres' unique constraint enforces. */
  private readonly byKey = new Map<string, Candle>();

  async upsertBatch(candles: readonly CandleInput[]): Promise<number> {
    const valid = lastCandlePerKey(validateBatch("candles", candles, validateCandle));
    for (const candle of valid) this.byKey.set(candleKey(candle), candle);
    return valid.length;
  }

  async latest(symbol: string, interval: CandleInterval): Promise<Candle | undefined> {
    validateSymbol(symbol);
    validateCandleInterval(interval);
    let best: Candle | undefined;
    for (const candle of this.byKey.values()) {
      if (
        candle.symbol === symbol &&
        candle.interval === interval &&
        (best === undefined || candle.startTime > best.startTime)
      ) {
        best = candle;
      }
    }
    return best === undefined ? undefined : structuredClone(best);
  }

  async query(query: CandleQuery): Promise<Candle[]> {
    const q = checkCandleQuery(query);
    const matching = [...this.byKey.values()].filter(
      (c) =>
        c.symbol === q.symbol &&
        c.interval === q.interval &&
        (q.from === undefined || c.startTime >= q.from) &&
        (q.to === undefined || c.startTime < q.to),
    );
    const sign = q.order === "asc" ? 1 : -1;
    matching.sort((a, b) => sign * (a.startTime.getTime() - b.startTime.getTime()));
    const end = q.limit === undefined ? undefined : q.offset + q.limit;
    return matching.slice(q.offset, end).map((c) => structuredClone(c));
  }

  lastPersisted(symbol: string, interval: CandleInterval): Promise<Candle | undefined> {
    return this.latest(symbol, interval);
  }

  async lastPersistedAll(): Promise<Candle[]> {
    const best = new Map<string, Candle>();
    for (const candle of this.byKey.values()) {
      const key = `${candle.symbol} ${candle.interval}`;
      const current = best.get(key);
      if (current === undefined || candle.startTime > current.startTime) best.set(key, candle);
    }
    return [...best.values()].sort(compareCandleSeries).map((c) => structuredClone(c));
  }
}
