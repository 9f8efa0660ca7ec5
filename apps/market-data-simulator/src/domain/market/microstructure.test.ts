import { describe, expect, it } from "vitest";
import { SeededRandom } from "../random/seeded-random.js";
import {
  type Microstructure,
  makeOrderBook,
  makeTopOfBook,
  makeTrades,
  poisson,
  roundToTick,
  tickDecimals,
} from "./microstructure.js";

const btc: Microstructure = { tickSize: 0.01, spreadBps: 2, baseVolumePerDay: 25_000 };

describe("tick grid", () => {
  it("counts a tick's decimals, exponent notation included", () => {
    expect(tickDecimals(0.01)).toBe(2);
    expect(tickDecimals(0.5)).toBe(1);
    expect(tickDecimals(5)).toBe(0);
    expect(tickDecimals(1e-7)).toBe(7);
    expect(tickDecimals(2.5e-7)).toBe(8);
  });

  it("rounds down, up and to the nearest tick without float noise", () => {
    expect(roundToTick(100.076, 0.01, "down")).toBe(100.07);
    expect(roundToTick(100.071, 0.01, "up")).toBe(100.08);
    expect(roundToTick(100.07, 0.01, "up")).toBe(100.07);
    expect(roundToTick(0.1 + 0.2, 0.1, "nearest")).toBe(0.3);
    expect(roundToTick(1234.5, 5, "down")).toBe(1230);
  });
});

describe("makeTopOfBook", () => {
  it("keeps bid < ask on the tick grid with the mid between them, whatever the spread", () => {
    const random = new SeededRandom(1);
    for (let i = 0; i < 5_000; i++) {
      // From the price floor (100 ticks) up, half of the mids near it; spreads up to 100 %.
      const mid = random.uniform() < 0.5 ? 1 + random.uniform() : 1 + random.uniform() * 100_000;
      const spreadBps = [0, random.uniform() * 50, random.uniform() * 10_000][i % 3] as number;
      const micro = { ...btc, spreadBps };
      const top = makeTopOfBook(mid, micro, random);
      expect(top.bid).toBeLessThan(top.ask);
      expect(top.bid).toBeGreaterThanOrEqual(micro.tickSize);
      expect(top.bid).toBeLessThanOrEqual(mid);
      expect(top.ask).toBeGreaterThanOrEqual(mid);
      expect(roundToTick(top.bid, 0.01, "nearest")).toBe(top.bid);
      expect(roundToTick(top.ask, 0.01, "nearest")).toBe(top.ask);
      expect(top.bidSize).toBeGreaterThan(0);
    }
  });

  it("quotes about the configured spread", () => {
    const top = makeTopOfBook(50_000, { ...btc, spreadBps: 10 }, new SeededRandom(2));
    expect(top.ask - top.bid).toBeGreaterThanOrEqual(50);
    expect(top.ask - top.bid).toBeLessThanOrEqual(50.02);
  });
});

describe("makeOrderBook", () => {
  it("starts at the quote, is sorted strictly away from it on both sides, with positive sizes", () => {
    const random = new SeededRandom(3);
    const top = makeTopOfBook(65_000, btc, random);
    const book = makeOrderBook(top, btc, 20, random);
    expect(book.bids[0]).toEqual([top.bid, top.bidSize]);
    expect(book.asks[0]).toEqual([top.ask, top.askSize]);
    expect(book.bids).toHaveLength(20);
    expect(book.asks).toHaveLength(20);
    for (let i = 1; i < 20; i++) {
      expect(book.bids[i]?.[0]).toBeLessThan(book.bids[i - 1]?.[0] as number);
      expect(book.asks[i]?.[0]).toBeGreaterThan(book.asks[i - 1]?.[0] as number);
    }
    for (const [price, quantity] of [...book.bids, ...book.asks]) {
      expect(price).toBeGreaterThan(0);
      expect(quantity).toBeGreaterThan(0);
    }
  });

  it("never prices a bid at or below zero near the bottom of the grid", () => {
    const random = new SeededRandom(4);
    const micro = { ...btc, tickSize: 0.01 };
    // At the price floor (100 ticks), 150 levels deep.
    const book = makeOrderBook(makeTopOfBook(1, micro, random), micro, 150, random);
    expect(book.bids.length).toBeLessThan(150);
    expect(book.bids.every(([price]) => price > 0)).toBe(true);
  });
});

describe("makeTrades", () => {
  it("trades at the quote, mostly buys when the price rose and sells when it fell", () => {
    const random = new SeededRandom(5);
    const top = makeTopOfBook(100, btc, random);
    const up = Array.from({ length: 2_000 }, () =>
      makeTrades(99.9, 100, top, btc, 1, random),
    ).flat();
    const down = Array.from({ length: 2_000 }, () =>
      makeTrades(100.1, 100, top, btc, 1, random),
    ).flat();
    expect(up.every((t) => (t.side === "buy" ? t.price === top.ask : t.price === top.bid))).toBe(
      true,
    );
    const buyShare = (trades: typeof up) =>
      trades.filter((t) => t.side === "buy").length / trades.length;
    expect(buyShare(up)).toBeGreaterThan(0.75);
    expect(buyShare(down)).toBeLessThan(0.25);
  });

  it("adds up to about the configured daily volume", () => {
    const random = new SeededRandom(6);
    const top = makeTopOfBook(100, btc, random);
    let volume = 0;
    for (let second = 0; second < 86_400; second += 10) {
      for (const trade of makeTrades(100, 100, top, btc, 10, random)) volume += trade.quantity;
    }
    // 43 200 trades of lognormal quantity (CV ≈ 1.31): the total's relative SE is ≈ 0.8 %.
    expect(volume / btc.baseVolumePerDay).toBeGreaterThan(0.95);
    expect(volume / btc.baseVolumePerDay).toBeLessThan(1.05);
  });
});

describe("poisson", () => {
  it("has the requested mean for small and large means", () => {
    const random = new SeededRandom(7);
    for (const mean of [0.3, 4, 200]) {
      const draws = Array.from({ length: 20_000 }, () => poisson(mean, random));
      const average = draws.reduce((s, x) => s + x, 0) / draws.length;
      // SE of the mean is sqrt(mean / 20 000); allow 5 SE.
      expect(Math.abs(average - mean)).toBeLessThan(5 * Math.sqrt(mean / 20_000));
    }
    expect(poisson(0, random)).toBe(0);
  });
});
