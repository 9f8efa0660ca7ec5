import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { messageOf } from "@tse/error-text";
import {
  MarketDataService,
  type Symbol as SymbolMessage,
} from "@tse/proto/marketdata/v1/market_data_pb";
import { usableRules } from "../../application/domain-values.js";
import type { InstrumentCatalog } from "../../application/instrument-catalog.js";
import type {
  InstrumentRules,
  InstrumentRulesSource,
} from "../../domain/orders/instrument-rules.js";
import { simulatorTransport } from "./simulator-transport.js";

/** Asks the market data feed for its symbols (`ListSymbols`). */
export type ListSymbols = () => Promise<readonly SymbolMessage[]>;

/**
 * `ListSymbols` of the simulator found at `endpoint()`, over gRPC, within 3 s; `authToken` is sent
 * as a bearer token to a simulator that protects its reads.
 */
export function simulatorSymbols(
  endpoint: () => Promise<string>,
  authToken?: string | undefined,
): ListSymbols {
  return async () => {
    const client = createClient(MarketDataService, simulatorTransport(await endpoint(), authToken));
    return (await client.listSymbols({}, { timeoutMs: 3_000 })).symbols;
  };
}

/**
 * The order grid a `marketdata.v1.Symbol` publishes: its tick size; its minimum and maximum
 * order size. The symbol has no lot step of its own: the simulator's minimum order is a power of
 * ten (0.00001 BTC), which serves as the lot; without a minimum, the stores' 8 decimals are the
 * lot. `undefined` when the rules are not usable (see `usableRules`).
 */
export function rulesOfSymbol(symbol: SymbolMessage): InstrumentRules | undefined {
  return usableRules({
    tickSize: symbol.tickSize,
    lotSize: symbol.minOrderSize > 0 ? symbol.minOrderSize : 1e-8,
    minQuantity: symbol.minOrderSize,
    maxQuantity: symbol.maxOrderSize,
  });
}

/** Tuning of {@link SimulatorCatalog}. */
export interface SimulatorCatalogOptions {
  /** How long a symbol list is trusted, ms (default 30 000). */
  readonly ttlMs?: number;
  /** The least time between two background loads, ms (default 2 000). */
  readonly minReloadIntervalMs?: number;
  /** Told about each failed background load. */
  readonly onReloadError?: (error: unknown) => void;
  /** Told after each successful load, in the background or for `has`. */
  readonly onLoaded?: () => void;
  /** The clock, ms (default `Date.now`). */
  readonly now?: () => number;
}

/**
 * The simulator's symbols (`ListSymbols`), cached for `ttlMs`: the desk's instrument catalog
 * and the engine's instrument rules.
 *
 * - `has` loads the list when it is old or lacks the instrument; when the simulator cannot be
 *   asked it rejects with `Unavailable` — a strategy on an unknown instrument is refused, one on
 *   an unverifiable instrument is retried by the client.
 * - `rulesOf` never waits: it answers from the last list (kept, however old, rather than none)
 *   and, when that list is old or lacks the instrument, starts a load in the background — one
 *   at a time and at most every `minReloadIntervalMs`, so a missing symbol asked on every quote
 *   costs one request per interval.
 */
export class SimulatorCatalog implements InstrumentCatalog, InstrumentRulesSource {
  readonly #listSymbols: ListSymbols;
  readonly #ttlMs: number;
  readonly #minReloadIntervalMs: number;
  readonly #onReloadError: (error: unknown) => void;
  readonly #onLoaded: () => void;
  readonly #now: () => number;
  #cache:
    | { readonly rules: ReadonlyMap<string, InstrumentRules | undefined>; readonly at: number }
    | undefined;
  #loading: Promise<void> | undefined;
  #lastReloadAt = Number.NEGATIVE_INFINITY;

  constructor(listSymbols: ListSymbols, options: SimulatorCatalogOptions = {}) {
    this.#listSymbols = listSymbols;
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#minReloadIntervalMs = options.minReloadIntervalMs ?? 2_000;
    this.#onReloadError = options.onReloadError ?? (() => undefined);
    this.#onLoaded = options.onLoaded ?? (() => undefined);
    this.#now = options.now ?? Date.now;
  }

  async has(instrument: string): Promise<boolean> {
    if (!this.#fresh(instrument)) {
      try {
        await this.#load();
      } catch (error) {
        throw new ConnectError(
          `market data is unavailable, so ${instrument} cannot be checked: ${messageOf(error)}`,
          Code.Unavailable,
        );
      }
    }
    return this.#cache?.rules.has(instrument) ?? false;
  }

  rulesOf(instrument: string): InstrumentRules | undefined {
    if (!this.#fresh(instrument)) this.reload();
    return this.#cache?.rules.get(instrument);
  }

  /** Loads the list in the background (see the class contract for how often). */
  reload(): void {
    if (this.#loading !== undefined) return;
    if (this.#now() - this.#lastReloadAt < this.#minReloadIntervalMs) return;
    this.#lastReloadAt = this.#now();
    this.#load().catch((error: unknown) => this.#onReloadError(error));
  }

  #fresh(instrument: string): boolean {
    const cache = this.#cache;
    return (
      cache !== undefined && this.#now() - cache.at <= this.#ttlMs && cache.rules.has(instrument)
    );
  }

  #load(): Promise<void> {
    this.#loading ??= this.#listSymbols()
      .then((symbols) => {
        this.#cache = {
          rules: new Map(symbols.map((s) => [s.symbol, rulesOfSymbol(s)])),
          at: this.#now(),
        };
        this.#onLoaded();
      })
      .finally(() => {
        this.#loading = undefined;
      });
    return this.#loading;
  }
}
