import { ChangeSet, type EngineChanges } from "../domain/engine/change-set.js";
import { MarketQuotes } from "../domain/engine/market-quotes.js";
import { OrderBook } from "../domain/engine/order-book.js";
import { OrderExecution } from "../domain/engine/order-execution.js";
import { resolveStrategyLimits, type StrategyLimits } from "../domain/engine/strategy-lifecycle.js";
import { type ManagedStrategy, StrategyRoster } from "../domain/engine/strategy-roster.js";
import { StrategyRunner } from "../domain/engine/strategy-runner.js";
import { PaperVenue } from "../domain/execution/paper-venue.js";
import type { InstrumentRulesSource } from "../domain/orders/instrument-rules.js";
import type { OrderSnapshot } from "../domain/orders/order.js";
import { Portfolio } from "../domain/portfolio/portfolio.js";
import type { RiskLimits } from "../domain/risk/risk-limits.js";
import { RiskManager, type RiskRejection } from "../domain/risk/risk-manager.js";
import type { TradingStrategy } from "../domain/strategies/trading-strategy.js";
import { quote, scriptedStrategy, sequentialIds, T0 } from "./engine-fixtures.js";
import { catalogOf, SIMULATOR_SYMBOLS } from "./instrument-grids.js";

/** The order timeout of {@link executionParts}. */
export const ORDER_TIMEOUT_MS = 60_000;

/** How {@link executionParts} wires the engine's parts; every field has a default. */
export interface ExecutionPartsOptions {
  /** Risk limits over "every limit off" (`maxGrossLeverage` at its default unless given). */
  readonly limits?: Partial<RiskLimits>;
  /** The grid of each instrument, for execution and the paper venue (the simulator's). */
  readonly rules?: InstrumentRulesSource;
  /** The session in the client order ids ("0"). */
  readonly session?: string;
}

/**
 * The engine's parts below `TradingEngine`, wired as its constructor wires them — order
 * execution and the strategy runner over one order book, roster, quote book and change set, a
 * paper venue on the simulator's grids, 1 000 000 of capital — with a BTC-USD quote of 100 / 101
 * received at T0, for tests of one part at a time.
 */
export function executionParts(options: ExecutionPartsOptions = {}) {
  const rules = options.rules ?? catalogOf(SIMULATOR_SYMBOLS);
  const ids = sequentialIds();
  const changes = new ChangeSet();
  const portfolio = new Portfolio(1_000_000);
  const risk = new RiskManager({
    maxPositionSize: 0,
    instrumentMaxPositionSizes: {},
    maxTotalNotional: 0,
    maxOrdersPerSecond: 0,
    maxDrawdown: 0,
    ...options.limits,
  });
  const venue = new PaperVenue({ takerFeeBps: 10, makerFeeBps: 2, slippageBps: 0 }, ids, rules);
  const orders = new OrderBook();
  const strategies = new StrategyRoster(changes, 0);
  const quotes = new MarketQuotes(5_000, (i) => portfolio.markOf(i));
  const rejections: { rejection: RiskRejection; order: OrderSnapshot }[] = [];
  const timed: string[] = [];
  const ports = {
    venue,
    risk,
    portfolio,
    instrumentRules: rules,
    newId: ids,
    onRiskRejection: (rejection: RiskRejection, order: OrderSnapshot) =>
      rejections.push({ rejection, order }),
    timeRiskCheck: () => {
      timed.push("start");
      return () => {
        timed.push("end");
      };
    },
  };
  const execution = new OrderExecution(
    ports,
    { orders, strategies, quotes, changes },
    {
      orderTimeoutMs: ORDER_TIMEOUT_MS,
      ...(options.session === undefined ? {} : { session: options.session }),
    },
  );
  const runner = new StrategyRunner(ports, { strategies, orders, quotes, execution });
  quotes.receive(quote(100, 101, { timestamp: T0 }), T0);
  return {
    execution,
    runner,
    strategies,
    orders,
    quotes,
    portfolio,
    risk,
    venue,
    /** Every order a risk check refused, with the order, in order. */
    rejections,
    /** "start" and "end" of every timed risk check, in order. */
    timed,
    /** Adds a strategy as the engine does (INACTIVE), on BTC-USD unless told otherwise. */
    add(
      id: string,
      strategy: TradingStrategy = scriptedStrategy([]),
      limits: Partial<StrategyLimits> = {},
      instruments: readonly string[] = ["BTC-USD"],
    ): ManagedStrategy {
      return strategies.add(
        {
          id,
          name: id,
          type: strategy.type,
          instruments,
          strategy,
          limits: resolveStrategyLimits(limits),
        },
        T0,
      );
    },
    /** The changes recorded since the last take (the risk state is never expected to change). */
    taken(): EngineChanges | undefined {
      return changes.take(() => {
        throw new Error("the risk state was not expected to change");
      });
    },
  };
}
