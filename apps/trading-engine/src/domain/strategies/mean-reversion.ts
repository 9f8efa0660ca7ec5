import type { OrderType } from "../orders/order.js";
import { round8 } from "../shared/decimal.js";
import { midOf } from "../shared/market-quote.js";
import { resolveNumber } from "./parameter-rules.js";
import { SampleHistory } from "./sample-history.js";
import {
  NO_DECISION,
  type OrderIntent,
  type StrategyDecision,
  type StrategyView,
  type TradingStrategy,
} from "./trading-strategy.js";

/** Mean-reversion parameters as requested (0 or absent means the default). */
export interface MeanReversionInput {
  readonly lookback?: number;
  readonly sampleIntervalMs?: number;
  readonly entryZScore?: number;
  readonly exitZScore?: number;
  readonly orderQuantity?: number;
  readonly stopLossBps?: number;
  readonly entryOrderType?: OrderType;
}

/** Mean-reversion parameters with defaults resolved. */
export interface MeanReversionParameters {
  readonly lookback: number;
  readonly sampleIntervalMs: number;
  readonly entryZScore: number;
  readonly exitZScore: number;
  readonly orderQuantity: number;
  readonly stopLossBps: number;
  readonly entryOrderType: OrderType;
}

/**
 * Validates and completes mean-reversion parameters (the rules of `trading.v1`): lookback in
 * [2, 10000] (20), sample interval in [1, 86400000] ms (60000), entry z in (0, 10] (2), exit z
 * in [0, entry) (0), quantity ≥ 1e-8 (required), stop loss in [0, 10000] bps (0: off), entry order
 * type (market). Throws a `RangeError` naming the field.
 */
export function resolveMeanReversionParameters(input: MeanReversionInput): MeanReversionParameters {
  const entryZScore = resolveNumber("entry_z_score", input.entryZScore, {
    fallback: 2,
    min: 0,
    max: 10,
    minExclusive: true,
  });
  const exitZScore = resolveNumber("exit_z_score", input.exitZScore, {
    fallback: 0,
    min: 0,
    max: 10,
  });
  if (exitZScore >= entryZScore) {
    throw new RangeError(
      `exit_z_score must be below entry_z_score ${entryZScore} (got ${exitZScore})`,
    );
  }
  return {
    lookback: resolveNumber("lookback", input.lookback, {
      fallback: 20,
      min: 2,
      max: 10_000,
      integer: true,
    }),
    sampleIntervalMs: resolveNumber("sample_interval_ms", input.sampleIntervalMs, {
      fallback: 60_000,
      min: 1,
      max: 86_400_000,
      integer: true,
    }),
    entryZScore,
    exitZScore,
    orderQuantity: resolveNumber("order_quantity", input.orderQuantity, { min: 1e-8, max: 1e9 }),
    stopLossBps: resolveNumber("stop_loss_bps", input.stopLossBps, {
      fallback: 0,
      min: 0,
      max: 10_000,
    }),
    entryOrderType: input.entryOrderType ?? "market",
  };
}

/**
 * Mean reversion (docs/architecture.md#how-the-engine-trades): samples the mid every
 * `sampleIntervalMs`; once `lookback` samples are in, the z-score of the mid against their mean and
 * standard deviation drives it. Flat, it sells `orderQuantity` at z ≥ entry and buys at z ≤ −entry
 * (market, or limit at the touch); holding, it closes the whole position with a market order when
 * |z| falls to the exit level on its side of the mean, or when the loss from the entry price
 * reaches `stopLossBps`. It never stacks orders: while one of its orders works, it waits. Its
 * samples are its memory: kept with the strategy across restarts (see {@link SampleHistory}).
 */
export class MeanReversionStrategy implements TradingStrategy {
  readonly type = "mean_reversion" as const;
  readonly parameters: MeanReversionParameters;
  readonly memory: SampleHistory;

  constructor(input: MeanReversionInput) {
    this.parameters = resolveMeanReversionParameters(input);
    this.memory = new SampleHistory(this.parameters.lookback, this.parameters.sampleIntervalMs);
  }

  /** The z-score of `mid` against the samples of `instrument`, when there are enough. */
  zScore(instrument: string, mid: number): number | undefined {
    const values = this.memory.values(instrument);
    if (values.length < this.parameters.lookback) return undefined;
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
    const sd = Math.sqrt(variance);
    return sd > 0 ? (mid - mean) / sd : undefined;
  }

  onQuote(view: StrategyView): StrategyDecision {
    const { quote, now, position } = view;
    const mid = midOf(quote);
    if (!(mid > 0)) return NO_DECISION;
    this.memory.sample(quote.instrument, mid, now);
    if (view.openOrders.length > 0) return NO_DECISION;
    const p = this.parameters;
    const close = (): StrategyDecision => ({
      cancel: [],
      place: [
        {
          side: position > 0 ? "sell" : "buy",
          type: "market",
          quantity: round8(Math.abs(position)),
        },
      ],
    });
    if (position !== 0 && p.stopLossBps > 0 && view.averageEntryPrice > 0) {
      const lossBps =
        ((view.averageEntryPrice - mid) / view.averageEntryPrice) * 10_000 * Math.sign(position);
      if (lossBps >= p.stopLossBps) return close();
    }
    const z = this.zScore(quote.instrument, mid);
    if (z === undefined) return NO_DECISION;
    if (position > 0) return z >= -p.exitZScore ? close() : NO_DECISION;
    if (position < 0) return z <= p.exitZScore ? close() : NO_DECISION;
    if (Math.abs(z) < p.entryZScore) return NO_DECISION;
    const side = z > 0 ? "sell" : "buy";
    const entry: OrderIntent =
      p.entryOrderType === "limit"
        ? {
            side,
            type: "limit",
            quantity: p.orderQuantity,
            limitPrice: side === "buy" ? quote.bid : quote.ask,
          }
        : { side, type: "market", quantity: p.orderQuantity };
    return { cancel: [], place: [entry] };
  }
}
