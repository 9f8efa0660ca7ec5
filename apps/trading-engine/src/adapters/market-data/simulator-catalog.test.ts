import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  type Symbol as SymbolMessage,
  SymbolSchema,
} from "@tse/proto/marketdata/v1/market_data_pb";
import { describe, expect, it } from "vitest";
import { rulesOfSymbol, SimulatorCatalog } from "./simulator-catalog.js";

/** ETH-USD as the simulator lists it (tick 0.01; minimum order 0.0001, maximum 3000). */
const ETH = create(SymbolSchema, {
  symbol: "ETH-USD",
  base: "ETH",
  quote: "USD",
  tickSize: 0.01,
  minOrderSize: 0.0001,
  maxOrderSize: 3_000,
  active: true,
});

function fakeSimulator(symbols: SymbolMessage[]) {
  let now = 0;
  let calls = 0;
  let failing = false;
  const events: string[] = [];
  const catalog = new SimulatorCatalog(
    async () => {
      calls += 1;
      if (failing) throw new Error("connection refused");
      return symbols;
    },
    {
      ttlMs: 30_000,
      minReloadIntervalMs: 2_000,
      now: () => now,
      onReloadError: (error) => events.push(`failed: ${(error as Error).message}`),
      onLoaded: () => events.push("loaded"),
    },
  );
  return {
    catalog,
    events,
    calls: () => calls,
    fail: (value: boolean) => {
      failing = value;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("SimulatorCatalog", () => {
  it("reads a symbol's order grid: its tick, its minimum order as the lot, its maximum", () => {
    expect(rulesOfSymbol(ETH)).toEqual({
      tickSize: 0.01,
      lotSize: 0.0001,
      minQuantity: 0.0001,
      maxQuantity: 3_000,
    });
    expect(rulesOfSymbol(create(SymbolSchema, { ...ETH, minOrderSize: 0 }))).toMatchObject({
      lotSize: 1e-8,
      minQuantity: 0,
    });
    expect(rulesOfSymbol(create(SymbolSchema, { ...ETH, tickSize: 0 }))).toBeUndefined();
  });

  it("answers rules without waiting, loading them in the background, at most once per interval", async () => {
    const sim = fakeSimulator([ETH]);
    expect(sim.catalog.rulesOf("ETH-USD")).toBeUndefined();
    await settle();
    expect(sim.catalog.rulesOf("ETH-USD")).toMatchObject({ tickSize: 0.01 });
    expect(sim.calls()).toBe(1);
    // An instrument the simulator lacks asks again, but not on every quote.
    for (let i = 0; i < 50; i++) sim.catalog.rulesOf("XYZ-USD");
    await settle();
    expect(sim.calls()).toBe(1);
    sim.advance(2_000);
    sim.catalog.rulesOf("XYZ-USD");
    await settle();
    expect(sim.calls()).toBe(2);
  });

  it("keeps the last rules while the simulator cannot be asked; has() says Unavailable", async () => {
    const sim = fakeSimulator([ETH]);
    expect(await sim.catalog.has("ETH-USD")).toBe(true);
    sim.fail(true);
    sim.advance(60_000);
    expect(sim.catalog.rulesOf("ETH-USD")).toMatchObject({ lotSize: 0.0001 });
    await settle();
    expect(sim.catalog.rulesOf("ETH-USD")).toMatchObject({ lotSize: 0.0001 });
    const refused = await sim.catalog.has("ETH-USD").catch((error: unknown) => error);
    expect(ConnectError.from(refused).code).toBe(Code.Unavailable);
  });

  it("tells of each successful load and each failed background load", async () => {
    const sim = fakeSimulator([ETH]);
    expect(await sim.catalog.has("ETH-USD")).toBe(true);
    sim.fail(true);
    sim.advance(60_000);
    sim.catalog.reload();
    await settle();
    await sim.catalog.has("ETH-USD").catch(() => undefined);
    sim.fail(false);
    sim.advance(2_000);
    sim.catalog.reload();
    await settle();
    // The failed load for has() is its caller's to report (Unavailable), not a reload error.
    expect(sim.events).toEqual(["loaded", "failed: connection refused", "loaded"]);
  });
});
