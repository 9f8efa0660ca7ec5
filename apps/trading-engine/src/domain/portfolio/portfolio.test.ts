import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Fill, OrderSide } from "../orders/order.js";
import { Portfolio } from "./portfolio.js";

const T0 = Date.UTC(2026, 10, 23);
let count = 0;

function fill(
  side: OrderSide,
  quantity: number,
  price: number,
  fee = 0,
  instrument = "BTC-USD",
): Fill {
  count += 1;
  return {
    id: `f-${count}`,
    orderId: `o-${count}`,
    strategyId: "s-1",
    instrument,
    side,
    price,
    quantity,
    fee,
    liquidity: "taker",
    timestamp: T0 + count,
  };
}

describe("Portfolio and positions", () => {
  it("buy 2 @ 100, sell 1 @ 110: realized 10 minus fees, the rest marked to market", () => {
    const portfolio = new Portfolio(10_000);
    portfolio.applyFill(fill("buy", 2, 100, 0.2), "s-1");
    const position = portfolio.applyFill(fill("sell", 1, 110, 0.11), "s-1");
    expect(position).toMatchObject({
      quantity: 1,
      averageEntryPrice: 100,
      realizedPnl: 9.69,
      feesPaid: 0.31,
    });
    portfolio.mark("BTC-USD", 120);
    const [marked] = portfolio.positions();
    expect(marked).toMatchObject({ markPrice: 120, unrealizedPnl: 20, exposure: 120 });
    const value = portfolio.valuation(T0);
    expect(value.cash).toBeCloseTo(10_000 - 200.2 + 109.89, 8);
    expect(value.totalValue).toBeCloseTo(value.cash + 120, 8);
    expect(value.totalPnl).toBeCloseTo(29.69, 8);
    expect(value.totalValue - value.initialCapital).toBeCloseTo(value.totalPnl, 8);
    expect(value.strategies).toEqual([
      {
        strategyId: "s-1",
        realizedPnl: 9.69,
        unrealizedPnl: 20,
        totalPnl: 29.69,
        feesPaid: 0.31,
        exposure: 120,
      },
    ]);
  });

  it("handles shorts and flips through zero at the fill price", () => {
    const portfolio = new Portfolio(10_000);
    portfolio.applyFill(fill("sell", 2, 100), "s-1");
    expect(portfolio.position("s-1", "BTC-USD")).toMatchObject({
      quantity: -2,
      averageEntryPrice: 100,
    });
    const flipped = portfolio.applyFill(fill("buy", 3, 90), "s-1");
    expect(flipped).toMatchObject({ quantity: 1, averageEntryPrice: 90, realizedPnl: 20 });
    const flat = portfolio.applyFill(fill("sell", 1, 95), "s-1");
    expect(flat).toMatchObject({ quantity: 0, averageEntryPrice: 0, realizedPnl: 25 });
    expect(flat.openedAt).toBeUndefined();
  });

  it("tracks the peak and the drawdown from it", () => {
    const portfolio = new Portfolio(1_000);
    portfolio.applyFill(fill("buy", 1, 100), "s-1");
    portfolio.mark("BTC-USD", 200);
    portfolio.mark("BTC-USD", 50);
    const value = portfolio.valuation(T0);
    expect(value.peakValue).toBe(1_100);
    expect(value.drawdown).toBeCloseTo(150 / 1_100, 10);
  });

  it("restores cash from stored positions", () => {
    const live = new Portfolio(10_000);
    live.applyFill(fill("buy", 2, 100, 0.5), "s-1");
    live.applyFill(fill("sell", 0.5, 120, 0.1), "s-1");
    live.applyFill(fill("sell", 1, 3_000, 1, "ETH-USD"), "s-2");
    const restored = new Portfolio(10_000);
    restored.restore(live.positions());
    expect(restored.valuation(T0).cash).toBeCloseTo(live.valuation(T0).cash, 8);
  });

  it("keeps total value − capital = realized + unrealized, and positions = Σ fills, over random fills", () => {
    const fillArbitrary = fc.record({
      side: fc.constantFrom<OrderSide>("buy", "sell"),
      quantity: fc.integer({ min: 1, max: 1_000_000 }).map((n) => n / 1_000),
      price: fc.integer({ min: 100, max: 10_000_000 }).map((n) => n / 100),
      fee: fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100),
      instrument: fc.constantFrom("BTC-USD", "ETH-USD"),
      strategy: fc.constantFrom("s-1", "s-2"),
      mark: fc.integer({ min: 100, max: 10_000_000 }).map((n) => n / 100),
    });
    fc.assert(
      fc.property(fc.array(fillArbitrary, { minLength: 1, maxLength: 60 }), (fills) => {
        const portfolio = new Portfolio(1_000_000);
        const net = new Map<string, number>();
        let cash = 1_000_000;
        for (const f of fills) {
          portfolio.applyFill(fill(f.side, f.quantity, f.price, f.fee, f.instrument), f.strategy);
          portfolio.mark(f.instrument, f.mark);
          const signed = f.side === "buy" ? f.quantity : -f.quantity;
          const key = `${f.strategy}/${f.instrument}`;
          net.set(key, (net.get(key) ?? 0) + signed);
          cash -= signed * f.price + f.fee;
        }
        const value = portfolio.valuation(T0);
        const scale = Math.max(1, value.grossExposure, Math.abs(value.cash));
        expect(Math.abs(value.totalValue - value.initialCapital - value.totalPnl)).toBeLessThan(
          1e-6 * scale,
        );
        expect(Math.abs(value.cash - cash)).toBeLessThan(1e-6 * scale);
        for (const position of portfolio.positions()) {
          expect(position.quantity).toBeCloseTo(
            net.get(`${position.strategyId}/${position.instrument}`) ?? 0,
            6,
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it("tells the peak value and one strategy's PnL as the valuation does, at any time", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            side: fc.constantFrom("buy" as const, "sell" as const),
            quantity: fc.double({ min: 0.001, max: 5, noNaN: true }),
            price: fc.double({ min: 1, max: 1_000, noNaN: true }),
            strategy: fc.constantFrom("s-1", "s-2"),
            mark: fc.double({ min: 1, max: 1_000, noNaN: true }),
          }),
          { maxLength: 12 },
        ),
        (trades) => {
          const portfolio = new Portfolio(10_000);
          for (const t of trades) {
            portfolio.applyFill(fill(t.side, t.quantity, t.price), t.strategy);
            portfolio.mark("BTC-USD", t.mark);
          }
          const peak = portfolio.peakValue();
          const valuation = portfolio.valuation(T0);
          expect(peak).toBe(valuation.peakValue);
          for (const id of ["s-1", "s-2"]) {
            expect(portfolio.strategyPnl(id)).toEqual(
              valuation.strategies.find((s) => s.strategyId === id),
            );
          }
        },
      ),
    );
    expect(new Portfolio(500).strategyPnl("nobody")).toBeUndefined();
    expect(new Portfolio(500).peakValue()).toBe(500);
  });
});
