import {
  CandleAggregator,
  type CandleInterval,
  INTERVALS,
  type OhlcCandle,
} from "../candles/candle-aggregator.js";
import {
  makeOrderBook,
  makeTopOfBook,
  makeTrades,
  type OrderBook,
  roundToTick,
  type TopOfBook,
} from "../market/microstructure.js";
import { clampToBounds } from "../market/price-bounds.js";
import { RingBuffer } from "../market/ring-buffer.js";
import { RollingWindow } from "../market/rolling-window.js";
import type { SymbolConfig, SymbolUniverse } from "../market/symbol-universe.js";
import { PriceProcess } from "../price/price-process.js";
import { SeededRandom, streamSeed } from "../random/seeded-random.js";
import {
  combinedEffect,
  type RunningScenario,
  type ScenarioSpec,
  scenarioPhase,
  validateScenarioSpec,
} from "../scenarios/scenario.js";

/** The quote of one symbol, as every API serves it: the top of book and the rolling figures. */
export interface MarketQuote extends TopOfBook {
  readonly symbol: string;
  /** Last trade price (on the tick grid). */
  readonly last: number;
  readonly volume24h: number;
  readonly change24h: number;
  readonly changePercent24h: number;
  readonly high24h: number;
  readonly low24h: number;
  /** +1 per update of this symbol. */
  readonly sequence: number;
  /** Simulated epoch ms. */
  readonly timestamp: number;
}

/** One trade of the tape. */
export interface TapeTrade {
  /** `<symbol>-<n>`, unique per symbol and run. */
  readonly id: string;
  readonly symbol: string;
  readonly price: number;
  readonly quantity: number;
  readonly side: "buy" | "sell";
  readonly timestamp: number;
}

/** What one {@link MarketSimulator.advance} produced. */
export interface MarketStep {
  /** Simulated epoch ms of the step. */
  readonly timestamp: number;
  /** New quotes (a stale symbol has none). */
  readonly quotes: readonly MarketQuote[];
  readonly trades: readonly TapeTrade[];
  /** Candles that closed during the step, shortest interval first. */
  readonly closedCandles: readonly OhlcCandle[];
}

/** Options of {@link MarketSimulator}. */
export interface MarketSimulatorOptions {
  readonly universe: SymbolUniverse;
  /** `SIMULATION_SEED`. */
  readonly seed: number;
  /** Simulated epoch ms the market starts at. */
  readonly startTime: number;
  /**
   * Mid prices to start from instead of the configured ones (e.g. the last stored closes); one
   * outside its symbol's price bounds starts at the nearer bound.
   */
  readonly startPrices?: Readonly<Record<string, number>>;
  /** Closed candles kept in memory per symbol and interval (default 5 000). */
  readonly candleHistory?: number;
  /** Trades kept in memory per symbol (default 1 000). */
  readonly tradeHistory?: number;
  /** The most book levels per side {@link MarketSimulator.orderBook} builds (default 100). */
  readonly bookDepth?: number;
}

interface SymbolState {
  readonly config: SymbolConfig;
  readonly random: SeededRandom;
  readonly rolling: RollingWindow;
  readonly candles: Map<CandleInterval, RingBuffer<OhlcCandle>>;
  readonly trades: RingBuffer<TapeTrade>;
  mid: number;
  top: TopOfBook;
  last: number;
  sequence: number;
  tradeCount: number;
  quote: MarketQuote;
}

/**
 * The market: one clock, every symbol. Pure and reproducible — no I/O, no wall clock: the caller
 * advances simulated time and receives what happened (quotes, trades, closed candles).
 *
 * Contract:
 * - The same universe, seed, start time and sequence of `advance` calls produce the same market.
 *   Each symbol's microstructure draws come from its own stream, so appending a symbol leaves
 *   the others unchanged.
 * - Mids stay within each symbol's price bounds (100 ticks up to 10¹² ticks, see
 *   `PRICE_RANGE_IN_TICKS`), whatever scenarios run, so prices are never zero.
 * - Quotes are on each symbol's tick grid with `bid < ask` and `bid ≤ mid ≤ ask`, the bid at
 *   least one tick; `last` is the last trade, else the mid rounded to the tick. Candles are aggregated from the trades (the mid when a step has
 *   none), so they agree with the tape.
 * - Scenarios overlay the price process while they run (see `scenarioEffect`); a STALE_FEED
 *   symbol keeps moving underneath but publishes nothing.
 */
export class MarketSimulator {
  readonly #process: PriceProcess;
  readonly #states: SymbolState[];
  readonly #bySymbol = new Map<string, SymbolState>();
  readonly #aggregator = new CandleAggregator();
  readonly #candleHistory: number;
  readonly #tradeHistory: number;
  readonly #bookDepth: number;
  #scenarios: RunningScenario[] = [];
  #scenarioCount = 0;
  #now: number;

  constructor(options: MarketSimulatorOptions) {
    const { universe } = options;
    this.#now = options.startTime;
    this.#candleHistory = options.candleHistory ?? 5_000;
    this.#tradeHistory = options.tradeHistory ?? 1_000;
    this.#bookDepth = options.bookDepth ?? 100;
    const startPrice = (config: SymbolConfig) =>
      clampToBounds(
        options.startPrices?.[config.symbol] ?? config.initialPrice,
        config.priceBounds,
      );
    this.#process = new PriceProcess(
      universe.symbols.map((config) => ({ ...config, initialPrice: startPrice(config) })),
      { seed: options.seed, correlation: universe.correlation },
    );
    this.#states = universe.symbols.map((config) => {
      const random = new SeededRandom(streamSeed(options.seed, `${config.symbol}:microstructure`));
      const mid = startPrice(config);
      const top = makeTopOfBook(mid, config, random);
      const last = roundToTick(mid, config.tickSize, "nearest");
      const rolling = new RollingWindow();
      rolling.add(this.#now, last, 0);
      const market = { config, rolling, top, last, sequence: 0 };
      return {
        ...market,
        random,
        candles: new Map(
          INTERVALS.map((interval) => [interval, new RingBuffer<OhlcCandle>(this.#candleHistory)]),
        ),
        trades: new RingBuffer<TapeTrade>(this.#tradeHistory),
        mid,
        tradeCount: 0,
        quote: this.#quoteOf(market),
      };
    });
    for (const state of this.#states) this.#bySymbol.set(state.config.symbol, state);
  }

  /** The simulated time of the last step (epoch ms). */
  get now(): number {
    return this.#now;
  }

  /** The configured symbols, in order. */
  get symbols(): readonly SymbolConfig[] {
    return this.#states.map((state) => state.config);
  }

  /** Whether `symbol` is simulated. */
  has(symbol: string): boolean {
    return this.#bySymbol.has(symbol);
  }

  /**
   * Continues candles from stored ones (the last persisted candle per symbol and interval), so
   * a restart extends them instead of rewriting history. Call before the first `advance`.
   */
  resumeCandles(candles: readonly OhlcCandle[]): void {
    this.#aggregator.resume(candles.filter((candle) => this.#bySymbol.has(candle.symbol)));
  }

  /**
   * Advances the market by one step to `timestamp` (simulated epoch ms, later than {@link now})
   * and returns what happened.
   */
  advance(timestamp: number): MarketStep {
    const dtSeconds = (timestamp - this.#now) / 1000;
    if (!(dtSeconds > 0))
      throw new RangeError(`advance must move time forward (from ${this.#now} to ${timestamp})`);
    this.#now = timestamp;
    const effects = this.#states.map((state) =>
      combinedEffect(this.#scenarios, state.config.symbol, timestamp),
    );
    const mids = this.#process.step(dtSeconds, (i) => effects[i]?.overlay);
    const quotes: MarketQuote[] = [];
    const trades: TapeTrade[] = [];
    const closedCandles: OhlcCandle[] = [];
    for (let i = 0; i < this.#states.length; i++) {
      const state = this.#states[i] as SymbolState;
      const previousMid = state.mid;
      state.mid = mids[i] as number;
      if (effects[i]?.stale === true) continue;
      const { config, random } = state;
      state.top = makeTopOfBook(state.mid, config, random);
      const stepTrades = makeTrades(previousMid, state.mid, state.top, config, dtSeconds, random);
      if (stepTrades.length === 0) {
        // No trade this step: the candles still follow the market, at the mid on the grid.
        closedCandles.push(
          ...this.#aggregate(
            state,
            roundToTick(state.mid, config.tickSize, "nearest"),
            0,
            timestamp,
          ),
        );
      }
      for (const trade of stepTrades) {
        state.tradeCount += 1;
        const tapeTrade: TapeTrade = {
          id: `${config.symbol}-${state.tradeCount}`,
          symbol: config.symbol,
          ...trade,
          timestamp,
        };
        state.trades.push(tapeTrade);
        trades.push(tapeTrade);
        state.last = trade.price;
        closedCandles.push(...this.#aggregate(state, trade.price, trade.quantity, timestamp));
      }
      state.sequence += 1;
      state.quote = this.#quoteOf(state);
      quotes.push(state.quote);
    }
    this.#scenarios = this.#scenarios.filter(
      (scenario) => scenarioPhase(scenario, timestamp) !== "ended",
    );
    return { timestamp, quotes, trades, closedCandles };
  }

  /** The current quote of `symbol`, or `undefined` for an unknown symbol. */
  quote(symbol: string): MarketQuote | undefined {
    return this.#bySymbol.get(symbol)?.quote;
  }

  /** Every symbol's current quote, in symbol order. */
  quotes(): MarketQuote[] {
    return this.#states.map((state) => state.quote);
  }

  /** The most levels per side {@link orderBook} serves; the APIs refuse deeper requests. */
  get maxBookDepth(): number {
    return this.#bookDepth;
  }

  /**
   * An L2 book of `depth` levels a side (at most {@link maxBookDepth}; fewer bids only when
   * the price is within that many ticks of zero) consistent with the current quote.
   */
  orderBook(symbol: string, depth = this.#bookDepth): OrderBook | undefined {
    const state = this.#bySymbol.get(symbol);
    if (state === undefined) return undefined;
    // Its own stream per call, seeded by time and sequence: the same book for the same quote.
    const random = new SeededRandom(
      streamSeed(state.quote.sequence, `${symbol}:book:${this.#now}`),
    );
    return makeOrderBook(state.top, state.config, Math.min(depth, this.#bookDepth), random);
  }

  /** The most recent trades of `symbol`, newest first. */
  recentTrades(symbol: string, limit: number): TapeTrade[] | undefined {
    const trades = this.#bySymbol.get(symbol)?.trades;
    return trades === undefined ? undefined : trades.latest(limit).reverse();
  }

  /**
   * Candles of `symbol` and `interval` with `start` in `[from, to)`, oldest first, at most the
   * last `limit` of them; the open candle is included when it is in range.
   */
  candles(
    symbol: string,
    interval: CandleInterval,
    range: { readonly from?: number; readonly to?: number; readonly limit: number },
  ): OhlcCandle[] | undefined {
    const state = this.#bySymbol.get(symbol);
    if (state === undefined) return undefined;
    const closed = state.candles.get(interval)?.latest() ?? [];
    const open = this.#aggregator.openCandle(symbol, interval);
    const all = open === undefined ? closed : [...closed, open];
    const inRange = all.filter(
      (candle) =>
        (range.from === undefined || candle.start >= range.from) &&
        (range.to === undefined || candle.start < range.to),
    );
    return inRange.slice(Math.max(0, inRange.length - range.limit));
  }

  /**
   * The start of the oldest candle of `symbol` and `interval` still held in memory (closed, or
   * the open one); `undefined` when there is none. {@link candles} is complete from there on;
   * anything older has to come from the store.
   */
  retainedCandlesSince(symbol: string, interval: CandleInterval): number | undefined {
    const oldest = this.#bySymbol.get(symbol)?.candles.get(interval)?.oldest();
    return oldest?.start ?? this.#aggregator.openCandle(symbol, interval)?.start;
  }

  /** The open candle of `symbol` and `interval`. */
  openCandle(symbol: string, interval: CandleInterval): OhlcCandle | undefined {
    return this.#aggregator.openCandle(symbol, interval);
  }

  /**
   * Starts a scenario on the live market now; returns its id. Throws a `RangeError` for an
   * invalid spec or an unknown symbol.
   */
  startScenario(spec: ScenarioSpec): RunningScenario {
    validateScenarioSpec(spec);
    for (const symbol of spec.symbols) {
      if (!this.#bySymbol.has(symbol)) throw new RangeError(`symbol ${symbol} is not simulated`);
    }
    this.#scenarioCount += 1;
    const scenario: RunningScenario = {
      id: `scenario-${this.#scenarioCount}`,
      spec,
      startedAt: this.#now,
      startPrices: Object.fromEntries(
        spec.symbols.map((symbol) => [symbol, this.#bySymbol.get(symbol)?.mid ?? 0]),
      ),
    };
    this.#scenarios.push(scenario);
    return scenario;
  }

  /** Stops a running scenario at once; `false` when no scenario has that id. */
  stopScenario(id: string): boolean {
    const before = this.#scenarios.length;
    this.#scenarios = this.#scenarios.filter((scenario) => scenario.id !== id);
    return this.#scenarios.length < before;
  }

  /** The running scenarios, oldest first. */
  runningScenarios(): readonly RunningScenario[] {
    return this.#scenarios;
  }

  #aggregate(
    state: SymbolState,
    price: number,
    quantity: number,
    timestamp: number,
  ): readonly OhlcCandle[] {
    state.rolling.add(timestamp, price, quantity);
    const { closed } = this.#aggregator.add({
      symbol: state.config.symbol,
      price,
      quantity,
      timestamp,
    });
    for (const candle of closed) state.candles.get(candle.interval)?.push(candle);
    return closed;
  }

  #quoteOf(
    state: Pick<SymbolState, "config" | "rolling" | "top" | "last" | "sequence">,
  ): MarketQuote {
    const stats = state.rolling.stats(this.#now);
    const last = state.last;
    return {
      symbol: state.config.symbol,
      last,
      bid: state.top.bid,
      ask: state.top.ask,
      bidSize: state.top.bidSize,
      askSize: state.top.askSize,
      volume24h: stats?.volume ?? 0,
      change24h: roundToTick(stats?.change ?? 0, state.config.tickSize, "nearest"),
      changePercent24h: Math.round((stats?.changePercent ?? 0) * 10_000) / 10_000,
      high24h: stats?.high ?? last,
      low24h: stats?.low ?? last,
      sequence: state.sequence,
      timestamp: this.#now,
    };
  }
}
