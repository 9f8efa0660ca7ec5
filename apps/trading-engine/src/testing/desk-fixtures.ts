import { performance } from "node:perf_hooks";
import {
  type Client,
  type ConnectRouter,
  createClient,
  createRouterTransport,
} from "@connectrpc/connect";
import { InMemoryMetrics } from "@tse/metrics-port";
import { RiskService } from "@tse/proto/trading/v1/risk_pb";
import { TradingService } from "@tse/proto/trading/v1/trading_pb";
import { registerRiskV1 } from "../adapters/connect/risk-v1-service.js";
import { registerTradingV1 } from "../adapters/connect/trading-v1-service.js";
import type { InstrumentCatalog } from "../application/instrument-catalog.js";
import { RiskDesk } from "../application/risk-desk.js";
import { TradingChangeSink, type UpdateStreamLimits } from "../application/trading-change-sink.js";
import { TradingDesk } from "../application/trading-desk.js";
import type { TradingHistory } from "../application/trading-history.js";
import type { InstrumentRulesSource } from "../domain/orders/instrument-rules.js";
import {
  type QuoteOptions,
  quote,
  sequentialIds,
  T0,
  type TestEngine,
  type TestEngineOptions,
  testEngine,
} from "./engine-fixtures.js";
import { catalogOf, SIMULATOR_SYMBOLS } from "./instrument-grids.js";

/** A history that stores nothing and finds nothing: the desk answers from the engine alone. */
const NO_HISTORY: TradingHistory = {
  record: () => undefined,
  orders: async () => [],
  order: async () => undefined,
};

/** How {@link testDesk} wires the desks; the engine's own options as {@link testEngine}'s. */
export interface TestDeskOptions
  extends Omit<TestEngineOptions, "onChanges" | "onRiskRejection" | "timeRiskCheck"> {
  /**
   * The feed's catalog, for both desks and (unless `rules` is given) the engine's grid: the
   * simulator's symbols by default.
   */
  readonly catalog?: InstrumentCatalog & InstrumentRulesSource;
  /** Where the desk stores changes and finds older orders (nowhere). */
  readonly history?: TradingHistory;
  /** The desk's stream limits (2 streams, a backlog of 100). */
  readonly streams?: UpdateStreamLimits;
}

/** The engine behind a trading desk and a risk desk, served as Connect services on a test clock. */
export interface TestDesk extends TestEngine {
  readonly desk: TradingDesk;
  readonly riskDesk: RiskDesk;
  readonly metrics: InMemoryMetrics;
  /** Registers `trading.v1.TradingService` and `trading.v1.RiskService` as the service does. */
  readonly routes: (router: ConnectRouter) => void;
  /** A client of the trading service, in memory. */
  readonly trading: Client<typeof TradingService>;
  /** A client of the risk service, in memory. */
  readonly risk: Client<typeof RiskService>;
  /** The clock of the desks and services, starting at T0. */
  now(): number;
  /** Lets `ms` pass without a quote (the feed silent); the new time. */
  wait(ms: number): number;
  /**
   * Lets `advanceMs` pass, then hands the desk a quote at `bid` / `ask` stamped with the new
   * time (a BTC-USD one unless `options` says otherwise).
   */
  tick(bid: number, ask: number, advanceMs?: number, options?: QuoteOptions): void;
}

/**
 * A trading engine wired to a trading desk and a risk desk as the service wires them (changes
 * and risk rejections to the desk's change sink, one catalog for both), with Connect clients of both services
 * over an in-memory transport and a clock the test moves.
 */
export function testDesk(options: TestDeskOptions = {}): TestDesk {
  let now = T0;
  const ids = options.ids ?? sequentialIds();
  const catalog = options.catalog ?? catalogOf(SIMULATOR_SYMBOLS);
  const metrics = new InMemoryMetrics();
  const changes = new TradingChangeSink(
    {
      history: options.history ?? NO_HISTORY,
      metrics,
      elapsedMs: () => performance.now(),
    },
    options.streams ?? { maxStreams: 2, maxStreamBacklog: 100 },
  );
  const built = testEngine({
    ...options,
    rules: options.rules ?? catalog,
    ids,
    ...changes.enginePorts(),
  });
  const { engine } = built;
  const tradingDesk = new TradingDesk({
    engine,
    changes,
    history: options.history ?? NO_HISTORY,
    catalog,
    metrics,
    now: () => now,
    newId: ids,
    elapsedMs: () => performance.now(),
  });
  const riskDesk = new RiskDesk({ engine, catalog, now: () => now });
  const routes = (router: ConnectRouter) => {
    registerTradingV1(router, tradingDesk);
    registerRiskV1(router, riskDesk);
  };
  const transport = createRouterTransport(routes);
  return {
    ...built,
    desk: tradingDesk,
    riskDesk,
    metrics,
    routes,
    trading: createClient(TradingService, transport),
    risk: createClient(RiskService, transport),
    now: () => now,
    wait: (ms) => {
      now += ms;
      return now;
    },
    tick: (bid, ask, advanceMs = 1_000, quoteOptions = {}) => {
      now += advanceMs;
      tradingDesk.onQuote(quote(bid, ask, { timestamp: now, ...quoteOptions }));
    },
  };
}
