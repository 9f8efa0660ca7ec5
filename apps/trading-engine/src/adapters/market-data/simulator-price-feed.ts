import { timestampMs } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { MarketDataService, type Quote } from "@tse/proto/marketdata/v1/market_data_pb";
import { abortableDelay } from "@tse/service-kit";
import type { MarketQuote } from "../../domain/shared/market-quote.js";
import { simulatorTransport } from "./simulator-transport.js";

/** Where the feed is, and how it behaves. */
export interface SimulatorPriceFeedOptions {
  /**
   * The simulator's gRPC base URL (`http://host:50051`), or a function that finds one (service
   * discovery), asked again before every connection attempt.
   */
  readonly endpoint: string | (() => Promise<string>);
  /** The symbols to stream; empty means every symbol the simulator has. */
  readonly instruments: readonly string[];
  /** The feed is stale when no quote has arrived for this long, ms. */
  readonly staleAfterMs: number;
  /** First and largest wait between reconnection attempts, ms (doubled per failure, jittered). */
  readonly backoff: { readonly initialMs: number; readonly maxMs: number };
  /** A bearer token for a simulator that protects its reads (`MARKET_DATA_AUTH_TOKEN`). */
  readonly authToken?: string | undefined;
}

/** The feed's state: `connecting` until the first quote, `live` while quotes arrive. */
export type FeedState = "connecting" | "live" | "stale" | "stopped";

/** What the feed tells its owner. */
export interface SimulatorPriceFeedHandlers {
  readonly onQuote: (quote: MarketQuote) => void;
  readonly onState: (state: FeedState, detail: string) => void;
  /** Told about each failed connection or broken stream, before the wait that follows. */
  readonly onDisconnect: (error: unknown, retryInMs: number) => void;
}

/**
 * A client of the simulator's `marketdata.v1` price stream over gRPC
 * (docs/architecture.md#the-route-of-a-price): it streams quotes of `instruments`, hands each to
 * `onQuote`, and on any failure — the simulator down, the stream broken or ended — reconnects after
 * a jittered exponential backoff that resets once quotes flow again, so a restart of the simulator
 * costs a pause, never a crash or a hot loop. No quote for `staleAfterMs` makes the state `stale`
 * (the engine pauses trading); the next quote makes it `live` again.
 */
export class SimulatorPriceFeed {
  readonly #options: SimulatorPriceFeedOptions;
  readonly #handlers: SimulatorPriceFeedHandlers;
  readonly #abort = new AbortController();
  #state: FeedState = "connecting";
  #lastQuoteAt = 0;
  #startedAt = 0;
  #watchdog: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(options: SimulatorPriceFeedOptions, handlers: SimulatorPriceFeedHandlers) {
    if (
      !(options.staleAfterMs > 0) ||
      !(options.backoff.initialMs > 0) ||
      options.backoff.maxMs < options.backoff.initialMs
    ) {
      throw new RangeError("stale time and backoff must be positive, max backoff ≥ initial");
    }
    this.#options = options;
    this.#handlers = handlers;
  }

  /** The current state. */
  get state(): FeedState {
    return this.#state;
  }

  /** Epoch ms of the last quote (0 before any). */
  get lastQuoteAt(): number {
    return this.#lastQuoteAt;
  }

  /** Starts streaming in the background. */
  start(): void {
    if (this.#running !== undefined) return;
    this.#startedAt = Date.now();
    this.#running = this.#run();
    const every = Math.max(50, Math.floor(this.#options.staleAfterMs / 4));
    this.#watchdog = setInterval(() => this.#checkStale(), every);
    this.#watchdog.unref();
  }

  /** Stops streaming and waits for the stream to end. */
  async stop(): Promise<void> {
    clearInterval(this.#watchdog);
    this.#abort.abort();
    await this.#running;
    this.#setState("stopped", "stopped");
  }

  async #run(): Promise<void> {
    const signal = this.#abort.signal;
    let delay = this.#options.backoff.initialMs;
    while (!signal.aborted) {
      let received = false;
      try {
        const baseUrl =
          typeof this.#options.endpoint === "string"
            ? this.#options.endpoint
            : await this.#options.endpoint();
        const client = createClient(
          MarketDataService,
          simulatorTransport(baseUrl, this.#options.authToken),
        );
        for await (const response of client.streamPrices(
          { symbols: [...this.#options.instruments] },
          { signal },
        )) {
          for (const quote of response.updates) {
            received = true;
            this.#lastQuoteAt = Date.now();
            this.#setState("live", "quotes flowing");
            this.#handlers.onQuote(toMarketQuote(quote));
          }
        }
        if (signal.aborted) return;
        throw new Error("the price stream ended");
      } catch (error) {
        if (signal.aborted) return;
        if (received) delay = this.#options.backoff.initialMs;
        const wait = Math.round(delay * (0.5 + Math.random() / 2));
        this.#handlers.onDisconnect(error, wait);
        await abortableDelay(wait, signal);
        delay = Math.min(this.#options.backoff.maxMs, delay * 2);
      }
    }
  }

  #checkStale(): void {
    const since = this.#lastQuoteAt === 0 ? this.#startedAt : this.#lastQuoteAt;
    const silentMs = Date.now() - since;
    if (
      silentMs > this.#options.staleAfterMs &&
      this.#state !== "stale" &&
      this.#state !== "stopped"
    ) {
      this.#setState("stale", `no quote for ${silentMs} ms`);
    }
  }

  #setState(state: FeedState, detail: string): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#handlers.onState(state, detail);
  }
}

/** A `marketdata.v1.Quote` as the engine's quote. */
export function toMarketQuote(quote: Quote): MarketQuote {
  return {
    instrument: quote.symbol,
    bid: quote.bid,
    ask: quote.ask,
    bidSize: quote.bidSize,
    askSize: quote.askSize,
    last: quote.last,
    timestamp: quote.timestamp === undefined ? Date.now() : timestampMs(quote.timestamp),
  };
}
