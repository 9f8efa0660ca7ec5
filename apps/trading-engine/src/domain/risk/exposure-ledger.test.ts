import { describe, expect, it } from "vitest";
import {
  breaksPositionLimit,
  EMPTY_BOOK,
  ExposureLedger,
  exposureAdded,
  worstCaseExposure,
} from "./exposure-ledger.js";

describe("worst-case exposure", () => {
  it("takes the larger side, never the sum of both", () => {
    expect(worstCaseExposure({ positionValue: 0, openBuyValue: 300, openSellValue: 200 })).toBe(
      300,
    );
    expect(worstCaseExposure({ positionValue: 100, openBuyValue: 0, openSellValue: 150 })).toBe(
      100,
    );
    expect(worstCaseExposure({ positionValue: 100, openBuyValue: 0, openSellValue: 350 })).toBe(
      250,
    );
  });

  it("adds nothing for an order that only reduces, and the part past flat otherwise", () => {
    const long = { ...EMPTY_BOOK, positionValue: 1_000 };
    expect(exposureAdded(long, "sell", 1_000)).toBe(0);
    expect(exposureAdded(long, "sell", 2_500)).toBe(500);
    expect(exposureAdded({ ...long, openSellValue: 1_000 }, "sell", 400)).toBe(0);
    expect(exposureAdded({ ...long, openSellValue: 1_500 }, "sell", 400)).toBe(0);
    expect(exposureAdded({ ...long, openSellValue: 2_000 }, "sell", 400)).toBe(400);
    expect(exposureAdded(long, "buy", 10)).toBe(10);
  });

  it("judges a position limit on the position once the open orders of the side filled", () => {
    expect(breaksPositionLimit(0, 0, 10, 10)).toEqual({ breaks: false, projected: 10 });
    expect(breaksPositionLimit(0, 5, 6, 10)).toEqual({ breaks: true, projected: 11 });
    expect(breaksPositionLimit(-8, 0, -5, 10)).toEqual({ breaks: true, projected: -13 });
    // Over a lowered limit: reducing passes, reversing past the limit does not.
    expect(breaksPositionLimit(15, 0, -5, 10).breaks).toBe(false);
    expect(breaksPositionLimit(15, 0, -26, 10).breaks).toBe(true);
    expect(breaksPositionLimit(15, 15, -10, 10).breaks).toBe(false);
    expect(breaksPositionLimit(15, 15, -11, 10).breaks).toBe(true);
  });
});

describe("ExposureLedger", () => {
  it("keeps a book per strategy and instrument and sums their worst cases", () => {
    const ledger = new ExposureLedger(
      [
        { strategyId: "a", instrument: "BTC-USD", quantity: 1, markPrice: 100 },
        { strategyId: "b", instrument: "BTC-USD", quantity: -1, markPrice: 100 },
        { strategyId: "a", instrument: "ETH-USD", quantity: 0, markPrice: 10 },
      ],
      [
        { strategyId: "a", instrument: "BTC-USD", side: "sell", remaining: 1, price: 101 },
        { strategyId: "a", instrument: "ETH-USD", side: "buy", remaining: 2, price: 10 },
        { strategyId: "a", instrument: "ETH-USD", side: "sell", remaining: 3, price: 10 },
      ],
    );
    expect(ledger.book("a", "BTC-USD")).toEqual({
      positionValue: 100,
      openBuyValue: 0,
      openSellValue: 101,
    });
    expect(ledger.book("c", "BTC-USD")).toEqual(EMPTY_BOOK);
    // a: BTC max(100, 1) + ETH max(20, 30); b: BTC 100. Gross across strategies.
    expect(ledger.strategyTotal("a")).toBe(130);
    expect(ledger.total()).toBe(230);
  });
});
