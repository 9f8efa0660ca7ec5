import type {
  CandleInput,
  MarketSnapshotInput,
  PriceFeedInput,
  Quote,
} from "@tse/market-data-adapter";
import type { MetricsPort } from "@tse/metrics-port";
import { type FailureLogSink, RepeatedFailureLog } from "@tse/service-kit";
import { INTERVALS, type OhlcCandle } from "../domain/candles/candle-aggregator.js";
import type { CandleUpdate } from "../domain/engine/candle-update.js";
import type {
  MarketQuote,
  MarketSimulator,
  MarketStep,
} from "../domain/engine/market-simulator.js";
import type { CandleHub, QuoteHub } from "./market-streams.js";

/** Where the feed writes history: the adapter's write-behind buffer (never waits). */
export interface HistorySink {
  enqueueCandles(candles: readonly CandleInput[]): void;
  enqueuePriceFeeds(feeds: readonly PriceFeedInput[]): void;
  enqueueSnapshots(snapshots: readonly MarketSnapshotInput[]): void;
}

/** Where the feed publishes live quotes for other services (Redis, or memory). */
export interface QuotePublisher {
  publishQuotes(quotes: readonly Quote[]): Promise<void>;
}

/** What {@link MarketFeed} is wired to. */
export interface MarketFeedPorts {
  readonly simulator: MarketSimulator;
  readonly hub: QuoteHub;
  /** Receives every step's open candles of the updated symbols and the candles that closed. */
  readonly candleHub: CandleHub;
  readonly metrics: MetricsPort;
  readonly history: HistorySink;
  readonly quotes: QuotePublisher;
  /** Wall-clock milliseconds; injected so tests drive time. */
  readonly now: () => number;
  /**
   * Where failures are logged — of a step, of storing history, of publishing quotes; the feed
   * itself never stops for them. Each kind goes through a {@link RepeatedFailureLog}: a line
   * when it starts failing, a summary a minute while it goes on, a line when it recovers.
   */
  readonly log: FailureLogSink;
}

/**
 * Timing of {@link MarketFeed} (docs/architecture.md#market-simulation,
 * docs/data-model.md#market-data-tables).
 */
export interface MarketFeedOptions {
  /** `TICK_INTERVAL_MS`: real time between ticks. */
  readonly tickIntervalMs: number;
  /** `SIMULATION_SPEED`: simulated seconds per real second. */
  readonly speed: number;
  /** `PRICE_FEED_PERSIST_INTERVAL_MS`: simulated time between stored price feeds per symbol. */
  readonly priceFeedPersistIntervalMs: number;
  /** `SNAPSHOT_INTERVAL_MS`: simulated time between stored snapshots per symbol. */
  readonly snapshotIntervalMs: number;
}

/** Metric names the feed records (docs/operations.md#metrics). */
export const FEED_METRICS = Object.freeze({
  priceUpdates: "market_data_price_updates_total",
  candles: "market_data_candles_generated_total",
  snapshots: "market_data_snapshots_created_total",
  tickErrors: "market_data_tick_errors_total",
});

/**
 * How far one step of the live feed goes, and how many steps one tick may take. A tick covers
 * the real time since the last one × `SIMULATION_SPEED` in steps of at most `maxStepMs`
 * simulated (the backfill's step), so every 1m period gets its candle at any speed. A tick does
 * at most `maxStepsPerTick` steps (about 20 µs per symbol each, so ≈ 60 ms for three symbols):
 * after a stall the rest is owed and caught up over the next ticks instead of blocking the
 * event loop. `SIMULATION_SPEED × TICK_INTERVAL_MS` may be at most `maxSimulatedMsPerTick`, so
 * the configured pace always fits.
 */
export const FEED_STEP_LIMITS = Object.freeze({
  maxStepMs: 5_000,
  maxStepsPerTick: 1_000,
  maxSimulatedMsPerTick: 5_000 * 1_000,
});

/**
 * Describes the feed's step-failure counter (the backfill counts into it too, before the feed
 * exists). Labels: `phase`, `live` or `backfill`.
 */
export function describeTickErrors(metrics: MetricsPort): void {
  metrics.describe(FEED_METRICS.tickErrors, "counter", {
    help: "Simulation steps that failed (logged; the feed went on), by phase: live or backfill.",
  });
}

/**
 * The live feed: one clock advancing the simulator, and everything each step feeds — the
 * subscribers (through the hub), the business metrics, the stored history (closed candles, a
 * price feed per symbol every `priceFeedPersistIntervalMs`, a snapshot every
 * `snapshotIntervalMs`) and the published quotes.
 *
 * Contract: a tick never waits for a store. History goes to a write-behind buffer; quotes are
 * published without awaiting, at most one publish in flight: what changes meanwhile is
 * conflated to the newest quote per symbol and goes out next, so a slow Redis gets fewer,
 * newer quotes instead of a growing queue. A failure of either is logged and the feed goes on.
 * A tick never throws: a step that fails is logged, counted in `market_data_tick_errors_total`
 * and the next tick goes on from there, so no error can end the process from the timer.
 */
export class MarketFeed {
  readonly #ports: MarketFeedPorts;
  readonly #options: MarketFeedOptions;
  readonly #lastFeedAt = new Map<string, number>();
  readonly #lastSnapshotAt = new Map<string, number>();
  #lastReal: number;
  /** Simulated ms due by real time but not yet simulated (a tick's work is bounded). */
  #owedMs = 0;
  #timer: NodeJS.Timeout | undefined;
  #publishing: Promise<void> | undefined;
  readonly #tickFailures: RepeatedFailureLog;
  readonly #storeFailures: RepeatedFailureLog;
  readonly #publishFailures: RepeatedFailureLog;
  /** Quotes newer than the last publish, newest per symbol (conflated while one is in flight). */
  readonly #unpublished = new Map<string, MarketQuote>();

  constructor(ports: MarketFeedPorts, options: MarketFeedOptions) {
    if (!(options.tickIntervalMs > 0) || !(options.speed > 0)) {
      throw new RangeError("tick interval and speed must be > 0");
    }
    this.#ports = ports;
    this.#options = options;
    this.#lastReal = ports.now();
    for (const { symbol } of ports.simulator.symbols) {
      this.#lastFeedAt.set(symbol, Number.NEGATIVE_INFINITY);
      this.#lastSnapshotAt.set(symbol, Number.NEGATIVE_INFINITY);
    }
    ports.metrics.describe(FEED_METRICS.priceUpdates, "counter", {
      help: "Price updates published, by symbol and source.",
    });
    ports.metrics.describe(FEED_METRICS.candles, "counter", {
      help: "Candles closed, by symbol and interval.",
    });
    ports.metrics.describe(FEED_METRICS.snapshots, "counter", {
      help: "24h market snapshots created, by symbol.",
    });
    describeTickErrors(ports.metrics);
    const failureLog = (what: string) =>
      new RepeatedFailureLog({ what, log: ports.log, now: ports.now });
    this.#tickFailures = failureLog("advancing the market");
    this.#storeFailures = failureLog("storing history");
    this.#publishFailures = failureLog("publishing quotes");
  }

  /**
   * Starts ticking every `tickIntervalMs`. `simulatorNowAt` is the real time at which the
   * simulator's clock stood where it stands now (default: now). A backfill simulates up to the
   * real time it began at and takes a while; passing that time makes the first tick catch up the
   * start-up, where starting from now would leave simulated time that far behind real time for
   * good (quotes stamped seconds in the past at speed 1).
   */
  start(simulatorNowAt: number = this.#ports.now()): void {
    this.#lastReal = simulatorNowAt;
    this.#timer ??= setInterval(() => this.tick(), this.#options.tickIntervalMs);
  }

  /** Stops ticking and waits until the latest quotes are published (or failed to be). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    while (this.#publishing !== undefined) await this.#publishing;
  }

  /**
   * One tick: advances simulated time by the real time since the last tick × speed (at least
   * 1 ms) in steps within {@link FEED_STEP_LIMITS}, then fans out the newest quote per symbol,
   * every closed candle, counts, stores (price feeds and snapshots sampled per step) and
   * publishes what happened. Never throws.
   */
  tick(): void {
    try {
      this.#advanceAndEmit();
      this.#tickFailures.succeeded();
    } catch (error) {
      this.#ports.metrics.incCounter(FEED_METRICS.tickErrors, { phase: "live" });
      this.#tickFailures.failed(error);
    }
  }

  #advanceAndEmit(): void {
    const { simulator } = this.#ports;
    const real = this.#ports.now();
    this.#owedMs += (real - this.#lastReal) * this.#options.speed;
    this.#lastReal = real;
    const from = simulator.now;
    // At least 1 ms, so every tick publishes; at most the bounded work of one tick.
    let remaining = Math.max(1, Math.round(this.#owedMs));
    const steps: MarketStep[] = [];
    try {
      for (let i = 0; i < FEED_STEP_LIMITS.maxStepsPerTick && remaining > 0; i++) {
        const stepMs = Math.min(FEED_STEP_LIMITS.maxStepMs, remaining);
        remaining -= stepMs;
        steps.push(simulator.advance(simulator.now + stepMs));
      }
    } finally {
      // Whatever was simulated before a failure is owed no more, and goes out.
      this.#owedMs -= simulator.now - from;
      this.#emit(steps);
    }
  }

  /** Fans out, counts, stores and publishes what the steps of one tick produced. */
  #emit(steps: readonly MarketStep[]): void {
    if (steps.length === 0) return;
    const { hub, metrics } = this.#ports;
    const latest = new Map<string, MarketQuote>();
    for (const step of steps) for (const quote of step.quotes) latest.set(quote.symbol, quote);
    const quotes = [...latest.values()];
    const closed = steps.flatMap((step) => step.closedCandles);
    hub.publish(quotes);
    this.#publishCandles(quotes, closed);
    for (const quote of quotes) {
      metrics.incCounter(FEED_METRICS.priceUpdates, { symbol: quote.symbol, source: "simulator" });
    }
    for (const candle of closed) {
      metrics.incCounter(FEED_METRICS.candles, {
        symbol: candle.symbol,
        interval: candle.interval,
      });
    }
    this.#store(steps, closed);
    this.#publish(quotes);
  }

  #publishCandles(quotes: readonly MarketQuote[], closed: readonly OhlcCandle[]): void {
    const { simulator, candleHub } = this.#ports;
    if (candleHub.size === 0) return;
    const updates: CandleUpdate[] = closed.map((candle) => ({
      symbol: candle.symbol,
      candle,
      closed: true,
    }));
    for (const { symbol } of quotes) {
      for (const interval of INTERVALS) {
        const candle = simulator.openCandle(symbol, interval);
        if (candle !== undefined) updates.push({ symbol, candle, closed: false });
      }
    }
    candleHub.publish(updates);
  }

  #store(steps: readonly MarketStep[], closed: readonly OhlcCandle[]): void {
    const { history, metrics } = this.#ports;
    try {
      if (closed.length > 0) history.enqueueCandles(closed.map(toCandleInput));
      const feeds: MarketQuote[] = [];
      const snapshots: MarketQuote[] = [];
      for (const { timestamp, quotes } of steps) {
        for (const quote of quotes) {
          const { symbol } = quote;
          const { priceFeedPersistIntervalMs, snapshotIntervalMs } = this.#options;
          if (this.#due(this.#lastFeedAt, symbol, timestamp, priceFeedPersistIntervalMs)) {
            feeds.push(quote);
          }
          if (this.#due(this.#lastSnapshotAt, symbol, timestamp, snapshotIntervalMs)) {
            snapshots.push(quote);
          }
        }
      }
      if (feeds.length > 0) history.enqueuePriceFeeds(feeds.map(toPriceFeed));
      if (snapshots.length > 0) {
        history.enqueueSnapshots(snapshots.map(toSnapshot));
        for (const quote of snapshots)
          metrics.incCounter(FEED_METRICS.snapshots, { symbol: quote.symbol });
      }
      this.#storeFailures.succeeded();
    } catch (error) {
      this.#storeFailures.failed(error);
    }
  }

  #due(last: Map<string, number>, symbol: string, timestamp: number, intervalMs: number): boolean {
    if (timestamp - (last.get(symbol) ?? Number.NEGATIVE_INFINITY) < intervalMs) return false;
    last.set(symbol, timestamp);
    return true;
  }

  #publish(quotes: readonly MarketQuote[]): void {
    for (const quote of quotes) this.#unpublished.set(quote.symbol, quote);
    if (this.#publishing !== undefined || this.#unpublished.size === 0) return;
    const batch = [...this.#unpublished.values()].map(toQuote);
    this.#unpublished.clear();
    this.#publishing = this.#ports.quotes
      .publishQuotes(batch)
      .then(
        () => this.#publishFailures.succeeded(),
        (error: unknown) => this.#publishFailures.failed(error),
      )
      .finally(() => {
        this.#publishing = undefined;
        // What changed meanwhile goes out next, newest per symbol.
        this.#publish([]);
      });
  }
}

/** A closed (or open) candle in the stores' shape. */
export function toCandleInput(candle: OhlcCandle): CandleInput {
  return {
    symbol: candle.symbol,
    interval: candle.interval,
    open: candle.open,
    high: candle.high,
    low: candle.low,
    close: candle.close,
    volume: candle.volume,
    startTime: new Date(candle.start),
    numTrades: candle.trades,
  };
}

function toPriceFeed(quote: MarketQuote): PriceFeedInput {
  return {
    symbol: quote.symbol,
    price: quote.last,
    bid: quote.bid,
    ask: quote.ask,
    volume24h: quote.volume24h,
    timestamp: new Date(quote.timestamp),
  };
}

function toSnapshot(quote: MarketQuote): MarketSnapshotInput {
  return {
    symbol: quote.symbol,
    lastPrice: quote.last,
    bid: quote.bid,
    ask: quote.ask,
    spread: quote.ask - quote.bid,
    volume24h: quote.volume24h,
    priceChange24h: quote.change24h,
    priceChangePercent24h: quote.changePercent24h,
    timestamp: new Date(quote.timestamp),
  };
}

/** A domain quote in the stores' shape. */
export function toQuote(quote: MarketQuote): Quote {
  return { ...quote, timestamp: new Date(quote.timestamp) };
}
