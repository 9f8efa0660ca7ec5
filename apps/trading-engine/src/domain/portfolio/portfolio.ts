import type { Fill } from "../orders/order.js";
import { round8 } from "../shared/decimal.js";
import {
  applyFill,
  flatPosition,
  type PositionSnapshot,
  positionKey,
  unrealizedPnl,
} from "./position.js";

/** PnL and exposure of one strategy. */
export interface StrategyPnl {
  readonly strategyId: string;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly totalPnl: number;
  readonly feesPaid: number;
  readonly exposure: number;
}

/** The whole book valued at the current marks (the `trading.v1.Portfolio` figures). */
export interface PortfolioValuation {
  readonly currency: string;
  readonly initialCapital: number;
  readonly cash: number;
  readonly positionsValue: number;
  readonly totalValue: number;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly totalPnl: number;
  readonly feesPaid: number;
  readonly grossExposure: number;
  readonly netExposure: number;
  readonly peakValue: number;
  readonly drawdown: number;
  readonly strategies: readonly StrategyPnl[];
  /** Epoch ms. */
  readonly timestamp: number;
}

/** A position with its mark and the figures that depend on it. */
export interface MarkedPosition extends PositionSnapshot {
  readonly markPrice: number;
  readonly unrealizedPnl: number;
  readonly exposure: number;
}

/**
 * Cash, positions per (strategy, instrument), marks and the peak value. Cash moves with every
 * fill (−price × signed quantity − fee); positions use average cost (see {@link applyFill}).
 * By construction total value − initial capital = realized + unrealized PnL, to rounding.
 * A position's mark is the last mid seen for its instrument (its entry price before any).
 */
export class Portfolio {
  readonly #initialCapital: number;
  readonly #currency: string;
  #cash: number;
  #peak: number;
  readonly #positions = new Map<string, PositionSnapshot>();
  readonly #marks = new Map<string, number>();

  constructor(initialCapital: number, currency = "USD") {
    if (!(Number.isFinite(initialCapital) && initialCapital > 0)) {
      throw new RangeError(`initial capital must be > 0 (got ${initialCapital})`);
    }
    this.#initialCapital = initialCapital;
    this.#currency = currency;
    this.#cash = initialCapital;
    this.#peak = initialCapital;
  }

  /**
   * Rebuilds the books from stored positions (a restart): cash follows from them, since
   * cash = initial capital + Σ realized PnL − Σ entry price × quantity; the peak is the stored
   * one when higher, so the drawdown keeps measuring from the real peak.
   */
  restore(positions: readonly PositionSnapshot[], peakValue = 0): void {
    this.#positions.clear();
    let cash = this.#initialCapital;
    for (const position of positions) {
      this.#positions.set(positionKey(position.strategyId, position.instrument), position);
      cash += position.realizedPnl - position.averageEntryPrice * position.quantity;
    }
    this.#cash = round8(cash);
    this.#peak = Math.max(this.#initialCapital, this.#totalValue(), peakValue);
  }

  /** Books a fill against its strategy's position; returns the position after it. */
  applyFill(fill: Fill, strategyId: string): PositionSnapshot {
    const key = positionKey(strategyId, fill.instrument);
    const before =
      this.#positions.get(key) ?? flatPosition(strategyId, fill.instrument, fill.timestamp);
    const after = applyFill(before, fill);
    this.#positions.set(key, after);
    const signed = fill.side === "buy" ? fill.quantity : -fill.quantity;
    this.#cash = round8(this.#cash - fill.price * signed - fill.fee);
    if (!this.#marks.has(fill.instrument)) this.#marks.set(fill.instrument, fill.price);
    this.#peak = Math.max(this.#peak, this.#totalValue());
    return after;
  }

  /** Sets the mark of `instrument`; returns the non-flat positions it revalues. */
  mark(instrument: string, price: number): PositionSnapshot[] {
    if (!(Number.isFinite(price) && price > 0)) return [];
    this.#marks.set(instrument, price);
    this.#peak = Math.max(this.#peak, this.#totalValue());
    return [...this.#positions.values()].filter(
      (p) => p.instrument === instrument && p.quantity !== 0,
    );
  }

  /** The mark of `instrument`, if one was seen. */
  markOf(instrument: string): number | undefined {
    return this.#marks.get(instrument);
  }

  /** The position of a strategy in an instrument (flat when it never traded it). */
  position(strategyId: string, instrument: string, now = 0): PositionSnapshot {
    return (
      this.#positions.get(positionKey(strategyId, instrument)) ??
      flatPosition(strategyId, instrument, now)
    );
  }

  /** Net position in `instrument` across strategies. */
  netPosition(instrument: string): number {
    let net = 0;
    for (const position of this.#positions.values()) {
      if (position.instrument === instrument) net += position.quantity;
    }
    return round8(net);
  }

  /** Every position ever opened, with marks, ordered by strategy id then instrument. */
  positions(): MarkedPosition[] {
    return [...this.#positions.values()]
      .sort((a, b) =>
        a.strategyId === b.strategyId
          ? a.instrument.localeCompare(b.instrument)
          : a.strategyId.localeCompare(b.strategyId),
      )
      .map((position) => this.marked(position));
  }

  /** `position` with its mark, unrealized PnL and exposure. */
  marked(position: PositionSnapshot): MarkedPosition {
    const mark = this.#marks.get(position.instrument) ?? position.averageEntryPrice;
    return {
      ...position,
      markPrice: mark,
      unrealizedPnl: unrealizedPnl(position, mark),
      exposure: round8(Math.abs(position.quantity) * mark),
    };
  }

  /** Cash + Σ position × mark: what the portfolio is worth now, quote currency. */
  totalValue(): number {
    return round8(this.#totalValue());
  }

  /** The portfolio valued now. */
  valuation(now: number): PortfolioValuation {
    const positions = this.positions();
    const { positionsValue, grossExposure } = markToMarket(positions);
    const strategies = strategyPnls(positions);
    const realized = strategies.reduce((sum, s) => sum + s.realizedPnl, 0);
    const unrealized = strategies.reduce((sum, s) => sum + s.unrealizedPnl, 0);
    const totalValue = round8(this.#cash + positionsValue);
    this.#peak = Math.max(this.#peak, totalValue);
    return {
      currency: this.#currency,
      initialCapital: this.#initialCapital,
      cash: this.#cash,
      positionsValue: round8(positionsValue),
      totalValue,
      realizedPnl: round8(realized),
      unrealizedPnl: round8(unrealized),
      totalPnl: round8(realized + unrealized),
      feesPaid: round8(strategies.reduce((sum, s) => sum + s.feesPaid, 0)),
      grossExposure: round8(grossExposure),
      netExposure: round8(positionsValue),
      peakValue: round8(this.#peak),
      drawdown: this.#peak > 0 ? Math.max(0, (this.#peak - totalValue) / this.#peak) : 0,
      strategies,
      timestamp: now,
    };
  }

  /**
   * The highest total value the portfolio has had, its value now included: what the drawdown
   * is measured from (the `peakValue` of {@link valuation}).
   */
  peakValue(): number {
    const { positionsValue } = markToMarket(this.positions());
    this.#peak = Math.max(this.#peak, round8(this.#cash + positionsValue));
    return round8(this.#peak);
  }

  /**
   * The PnL of one strategy now (its entry in {@link valuation}'s `strategies`); `undefined`
   * when it never held a position.
   */
  strategyPnl(strategyId: string): StrategyPnl | undefined {
    return strategyPnls(this.positions().filter((p) => p.strategyId === strategyId))[0];
  }

  #totalValue(): number {
    let value = this.#cash;
    for (const position of this.#positions.values()) {
      value +=
        position.quantity * (this.#marks.get(position.instrument) ?? position.averageEntryPrice);
    }
    return value;
  }
}

/** The value and the gross exposure of `positions` at their marks. */
function markToMarket(positions: readonly MarkedPosition[]): {
  positionsValue: number;
  grossExposure: number;
} {
  let positionsValue = 0;
  let grossExposure = 0;
  for (const position of positions) {
    positionsValue += position.quantity * position.markPrice;
    grossExposure += position.exposure;
  }
  return { positionsValue, grossExposure };
}

/** The PnL of each strategy holding one of `positions`, ordered by strategy id. */
function strategyPnls(positions: readonly MarkedPosition[]): StrategyPnl[] {
  const perStrategy = new Map<
    string,
    { realized: number; unrealized: number; fees: number; exposure: number }
  >();
  for (const position of positions) {
    const entry = perStrategy.get(position.strategyId) ?? {
      realized: 0,
      unrealized: 0,
      fees: 0,
      exposure: 0,
    };
    entry.realized += position.realizedPnl;
    entry.unrealized += position.unrealizedPnl;
    entry.fees += position.feesPaid;
    entry.exposure += position.exposure;
    perStrategy.set(position.strategyId, entry);
  }
  return [...perStrategy.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([strategyId, s]) => ({
      strategyId,
      realizedPnl: round8(s.realized),
      unrealizedPnl: round8(s.unrealized),
      totalPnl: round8(s.realized + s.unrealized),
      feesPaid: round8(s.fees),
      exposure: round8(s.exposure),
    }));
}
