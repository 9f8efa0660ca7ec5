import { describe, expect, it } from "vitest";
import { describeQuoteStoreContract, sampleQuote } from "../contract/quote-store.contract.js";
import { MemoryQuoteStore } from "./memory-quote-store.js";

describeQuoteStoreContract("memory", async ({ now, maxLength }) => ({
  store: new MemoryQuoteStore({ now, maxLength }),
}));

describe("MemoryQuoteStore", () => {
  it("gives strictly increasing ids even when the clock stands still or goes back", async () => {
    let clock = 5_000;
    const store = new MemoryQuoteStore({ now: () => clock });
    await store.publishQuotes([sampleQuote({ sequence: 1 }), sampleQuote({ sequence: 2 })]);
    clock = 4_000;
    await store.publishQuotes([sampleQuote({ sequence: 3 })]);
    clock = 6_000;
    await store.publishQuotes([sampleQuote({ sequence: 4 })]);
    const ids = (await store.readStream("BTC-USD", { count: 10 })).map((entry) => entry.id);
    expect(ids).toEqual(["5000-0", "5000-1", "5000-2", "6000-0"]);
    expect(
      (await store.readStream("BTC-USD", { count: 10, fromId: "5000" })).map((e) => e.id),
    ).toEqual(["5000-1", "5000-2", "6000-0"]);
  });

  it("trims exactly to maxLength and rejects a bad maxLength", async () => {
    const store = new MemoryQuoteStore({ maxLength: 3 });
    await store.publishQuotes([1, 2, 3, 4, 5].map((sequence) => sampleQuote({ sequence })));
    expect(await store.streamLength("BTC-USD")).toBe(3);
    expect(() => new MemoryQuoteStore({ maxLength: 0 })).toThrow(RangeError);
  });
});
