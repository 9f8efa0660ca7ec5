import { strategyOf } from "../application/trading-desk.js";
import type { EngineChanges } from "../domain/engine/change-set.js";
import { EngineRequestError } from "../domain/engine/engine-request-error.js";
import { resolveStrategyLimits, type StrategyLimits } from "../domain/engine/strategy-lifecycle.js";
import { TradingEngine } from "../domain/engine/trading-engine.js";
import type {
  TradingEngineOptions,
  TradingEnginePorts,
} from "../domain/engine/trading-engine-ports.js";
import { PaperVenue, type PaperVenueCosts } from "../domain/execution/paper-venue.js";
import type { InstrumentRulesSource } from "../domain/orders/instrument-rules.js";
import type { OrderSide } from "../domain/orders/order.js";
import { Portfolio } from "../domain/portfolio/portfolio.js";
import type { RiskLimits } from "../domain/risk/risk-limits.js";
import { RiskManager, type RiskRejection } from "../domain/risk/risk-manager.js";
import type { MarketQuote } from "../domain/shared/market-quote.js";
import type { OrderIntent, TradingStrategy } from "../domain/strategies/trading-strategy.js";
import { catalogOf, SIMULATOR_SYMBOLS } from "./instrument-grids.js";

/** The tests' epoch: 2026-11-23T00:00:00Z. */
export const T0 = Date.UTC(2026, 10, 23);

/**
 * UUID-shaped ids 1, 2, 3… (zero-padded, so they sort in order of creation). Two engines whose
 * state one restores from the other take different `series`, or their ids would collide.
 */
export function sequentialIds(series = 0): () => string {
  let n = 0;
  const prefix = `${String(series).padStart(8, "0")}-0000-4000-8000-`;
  return () => `${prefix}${String(++n).padStart(12, "0")}`;
}

/** How {@link testEngine} builds an engine; every field has a default. */
export interface TestEngineOptions {
  /** The grid of each instrument, for the engine and the paper venue (the simulator's). */
  readonly rules?: InstrumentRulesSource;
  /** Risk limits over "every limit off" (`maxGrossLeverage` at its default unless given). */
  readonly limits?: Partial<RiskLimits>;
  /** Initial capital (1 000 000). */
  readonly capital?: number;
  /** Venue costs over taker 10 bps, maker 2 bps, no slippage. */
  readonly costs?: Partial<PaperVenueCosts>;
  /** Engine timing over a 60 s order timeout, no cooldown and quotes stale after 5 s. */
  readonly timing?: Partial<TradingEngineOptions>;
  /** Ids of orders and fills, one sequence for both ({@link sequentialIds}). */
  readonly ids?: () => string;
  /** Builds restored strategies (as the service does: `strategyOf`). */
  readonly createStrategy?: TradingEnginePorts["createStrategy"];
  /** Also told about every change (after it is recorded in `changes`). */
  readonly onChanges?: (changes: EngineChanges) => void;
  /** Also told about every risk rejection (after it is recorded in `rejections`). */
  readonly onRiskRejection?: TradingEnginePorts["onRiskRejection"];
  /** Times every risk check, as the service's change sink does (untimed). */
  readonly timeRiskCheck?: TradingEnginePorts["timeRiskCheck"];
}

/** An engine on a paper venue, with what its ports received. */
export interface TestEngine {
  readonly engine: TradingEngine;
  readonly portfolio: Portfolio;
  readonly riskManager: RiskManager;
  readonly venue: PaperVenue;
  /** Every change the engine handed on, in order. */
  readonly changes: EngineChanges[];
  /** Every order a risk check refused, in order. */
  readonly rejections: RiskRejection[];
}

/**
 * A trading engine wired as the service wires it — a paper venue and the engine on the same
 * instrument grid, a risk manager, a portfolio — with test defaults for everything the
 * service would read from its settings (see {@link TestEngineOptions}).
 */
export function testEngine(options: TestEngineOptions = {}): TestEngine {
  const rules = options.rules ?? catalogOf(SIMULATOR_SYMBOLS);
  const ids = options.ids ?? sequentialIds();
  const changes: EngineChanges[] = [];
  const rejections: RiskRejection[] = [];
  // Every limit off (0) and the gross leverage at its default, unless the test sets them.
  const riskManager = new RiskManager({
    maxPositionSize: 0,
    instrumentMaxPositionSizes: {},
    maxTotalNotional: 0,
    maxOrdersPerSecond: 0,
    maxDrawdown: 0,
    ...options.limits,
  });
  const portfolio = new Portfolio(options.capital ?? 1_000_000);
  const venue = new PaperVenue(
    { takerFeeBps: 10, makerFeeBps: 2, slippageBps: 0, ...options.costs },
    ids,
    rules,
  );
  const engine = new TradingEngine(
    {
      venue,
      risk: riskManager,
      portfolio,
      instrumentRules: rules,
      createStrategy: options.createStrategy ?? strategyOf,
      newId: ids,
      onChanges: (change) => {
        changes.push(change);
        options.onChanges?.(change);
      },
      onRiskRejection: (rejection, order) => {
        rejections.push(rejection);
        options.onRiskRejection?.(rejection, order);
      },
      ...(options.timeRiskCheck === undefined ? {} : { timeRiskCheck: options.timeRiskCheck }),
    },
    { orderTimeoutMs: 60_000, cooldownMs: 0, maxQuoteAgeMs: 5_000, ...options.timing },
  );
  return { engine, portfolio, riskManager, venue, changes, rejections };
}

/** What a quote built by {@link quote} or {@link quoteAround} may set; BTC-USD, 10 a side. */
export interface QuoteOptions {
  readonly instrument?: string;
  /** Size on each side (10). */
  readonly size?: number;
  /** Last trade price (the bid for {@link quote}, the mid for {@link quoteAround}). */
  readonly last?: number;
  /** The quote's own timestamp (0); the engine's time is the `now` it is handed with. */
  readonly timestamp?: number;
}

/** A quote at `bid` / `ask`. */
export function quote(bid: number, ask: number, options: QuoteOptions = {}): MarketQuote {
  const size = options.size ?? 10;
  return {
    instrument: options.instrument ?? "BTC-USD",
    bid,
    ask,
    bidSize: size,
    askSize: size,
    last: options.last ?? bid,
    timestamp: options.timestamp ?? 0,
  };
}

/** A quote `halfSpread` either side of `mid`, last traded at the mid. */
export function quoteAround(mid: number, halfSpread: number, options: QuoteOptions = {}) {
  return quote(mid - halfSpread, mid + halfSpread, { last: mid, ...options });
}

/** How {@link startStrategy} starts a strategy. */
export interface StartOptions {
  /** Its id and name ("s"). */
  readonly id?: string;
  /** The one instrument it trades ("BTC-USD"). */
  readonly instrument?: string;
  /** Its own limits, resolved as a request's are (none). */
  readonly limits?: Partial<StrategyLimits>;
  /** When it starts (T0). */
  readonly at?: number;
}

/** Starts `strategy` on `engine` as a request would; its snapshot (INACTIVE until a quote). */
export function startStrategy(
  engine: TradingEngine,
  strategy: TradingStrategy,
  options: StartOptions = {},
) {
  const id = options.id ?? "s";
  return engine.startStrategy(
    {
      id,
      name: id,
      type: strategy.type,
      instruments: [options.instrument ?? "BTC-USD"],
      strategy,
      limits: resolveStrategyLimits(options.limits),
    },
    options.at ?? T0,
  );
}

/**
 * A strategy that places `script[n]` on the n-th quote it decides on, and nothing once the
 * script is done; it never cancels. `scriptedStrategy([])` does nothing at all.
 */
export function scriptedStrategy(script: readonly (readonly OrderIntent[])[]): TradingStrategy {
  let call = 0;
  return {
    type: "market_making",
    parameters: {},
    onQuote: () => ({ cancel: [], place: script[call++] ?? [] }),
  };
}

/** A market order intent. */
export const marketOrder = (side: OrderSide, quantity: number): OrderIntent => ({
  side,
  type: "market",
  quantity,
});

/**
 * The kind of the `EngineRequestError` that `act` throws or rejects with; any other error is
 * rethrown, and an `act` that succeeds fails the test ("not refused").
 */
export async function refusalKind(act: () => unknown): Promise<EngineRequestError["kind"]> {
  try {
    await act();
  } catch (error) {
    if (error instanceof EngineRequestError) return error.kind;
    throw error;
  }
  throw new Error("not refused");
}
