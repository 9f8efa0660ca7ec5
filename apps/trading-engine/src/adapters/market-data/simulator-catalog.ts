import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { MarketDataService } from "@tse/proto/marketdata/v1/market_data_pb";
import type { InstrumentCatalog } from "../../application/trading-desk.js";

/**
 * The simulator's symbols (`ListSymbols`), cached for `ttlMs`, as the desk's instrument catalog.
 * When the simulator cannot be asked, `has` rejects with `Unavailable` — a strategy on an
 * unknown instrument is refused, one on an unverifiable instrument is retried by the client.
 */
export class SimulatorCatalog implements InstrumentCatalog {
  readonly #endpoint: () => Promise<string>;
  readonly #ttlMs: number;
  #cache: { readonly symbols: ReadonlySet<string>; readonly at: number } | undefined;

  constructor(endpoint: () => Promise<string>, ttlMs = 30_000) {
    this.#endpoint = endpoint;
    this.#ttlMs = ttlMs;
  }

  async has(instrument: string): Promise<boolean> {
    if (
      this.#cache === undefined ||
      Date.now() - this.#cache.at > this.#ttlMs ||
      !this.#cache.symbols.has(instrument)
    ) {
      try {
        const client = createClient(
          MarketDataService,
          createGrpcTransport({ baseUrl: await this.#endpoint() }),
        );
        const { symbols } = await client.listSymbols({}, { timeoutMs: 3_000 });
        this.#cache = { symbols: new Set(symbols.map((s) => s.symbol)), at: Date.now() };
      } catch (error) {
        throw new ConnectError(
          `market data is unavailable, so ${instrument} cannot be checked: ${error instanceof Error ? error.message : String(error)}`,
          Code.Unavailable,
        );
      }
    }
    return this.#cache.symbols.has(instrument);
  }
}
