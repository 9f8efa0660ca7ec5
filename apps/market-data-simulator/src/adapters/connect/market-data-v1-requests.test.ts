import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { MarketSimulator } from "../../domain/engine/market-simulator.js";
import { buildUniverse } from "../../domain/market/symbol-universe.js";
import { bounded, symbolCheck } from "./market-data-v1-requests.js";

const codeOf = (act: () => unknown): Code | undefined => {
  try {
    act();
  } catch (error) {
    return error instanceof ConnectError ? error.code : undefined;
  }
  return undefined;
};

describe("v1 request checks", () => {
  const simulator = new MarketSimulator({
    universe: buildUniverse(["BTC-USD"]),
    seed: 1,
    startTime: Date.UTC(2026, 10, 23),
  });
  const knownSymbol = symbolCheck(simulator);

  it("pass a simulated symbol, refuse an empty one as invalid and an unknown one as not found", () => {
    expect(knownSymbol("BTC-USD")).toBe("BTC-USD");
    expect(codeOf(() => knownSymbol("", "symbols"))).toBe(Code.InvalidArgument);
    expect(() => knownSymbol("", "symbols")).toThrow("symbols is required");
    expect(codeOf(() => knownSymbol("DOGE-USD"))).toBe(Code.NotFound);
  });

  it("default a size left out, pass one within the maximum, refuse one above it", () => {
    expect(bounded("limit", 0, 500, 5_000)).toBe(500);
    expect(bounded("limit", 5_000, 500, 5_000)).toBe(5_000);
    expect(codeOf(() => bounded("limit", 5_001, 500, 5_000))).toBe(Code.InvalidArgument);
    expect(() => bounded("limit", 5_001, 500, 5_000)).toThrow("limit must be at most 5000");
  });
});
