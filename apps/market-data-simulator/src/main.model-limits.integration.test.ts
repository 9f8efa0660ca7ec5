import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { MarketDataService, ScenarioType } from "@tse/proto/marketdata/v1/market_data_pb";
import { runServiceToExit, type SpawnedService, spawnService } from "@tse/service-kit/testing";
import { afterEach, describe, expect, it } from "vitest";

const entry = fileURLToPath(new URL("./main.ts", import.meta.url));

/** Issue 19 items 1 and 5, through the public API of a real process (in memory). */
describe("market-data-simulator at the limits of its model (real process)", () => {
  let service: SpawnedService | undefined;
  afterEach(async () => {
    await service?.stop("SIGKILL");
    service = undefined;
  });

  const clientOf = (running: SpawnedService): Client<typeof MarketDataService> =>
    createClient(
      MarketDataService,
      createGrpcTransport({ baseUrl: `http://127.0.0.1:${running.grpcPort}` }),
    );
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it("stamps quotes with real time after a backfill (lag was 5 s for good)", async () => {
    service = await spawnService(entry, { HISTORY_BACKFILL_HOURS: "24" });
    const client = clientOf(service);
    const lags: number[] = [];
    for (let i = 0; i < 10; i++) {
      const { quote } = await client.getQuote({ symbol: "BTC-USD" });
      if (quote?.timestamp === undefined) throw new Error("a quote without a timestamp");
      lags.push(Date.now() - timestampMs(quote.timestamp));
      await sleep(100);
    }
    // A tick is 100 ms; a generous bound, not a speed test: the bug was 5 000 ms.
    expect(Math.min(...lags)).toBeLessThan(1_000);
  }, 60_000);

  it("survives twelve CRASHes and three VOLATILITY_SPIKEs at intensity 10 with a sane book", async () => {
    // Speed 10: the 30 s in which three spikes used to take BTC to 0.01 pass in 3 s.
    service = await spawnService(entry, { HISTORY_BACKFILL_HOURS: "0", SIMULATION_SPEED: "10" });
    const running = service;
    const client = clientOf(running);
    for (let i = 0; i < 12; i++) {
      await client.startScenario({
        type: ScenarioType.CRASH,
        symbols: ["SOL-USD"],
        parameters: { intensity: 10, durationSeconds: 5, recoveryFactor: 0 },
      });
    }
    for (let i = 0; i < 3; i++) {
      await client.startScenario({
        type: ScenarioType.VOLATILITY_SPIKE,
        symbols: ["BTC-USD"],
        parameters: { intensity: 10, durationSeconds: 300 },
      });
    }
    for (let second = 0; second < 8; second++) {
      await sleep(1_000);
      for (const symbol of ["SOL-USD", "BTC-USD"]) {
        const { quote } = await client.getQuote({ symbol });
        expect(quote?.bid).toBeGreaterThanOrEqual(0.01);
        expect(quote?.bid).toBeLessThan(quote?.ask ?? 0);
        // The price floor is 100 ticks (1.00); the book is never crossed around it.
        expect(quote?.ask).toBeGreaterThanOrEqual(1);
      }
    }
    expect(running.child.exitCode).toBeNull();
    expect(running.output()).not.toContain("tick price");
    expect(running.output()).not.toContain("advancing the market failing");
  }, 60_000);

  it("refuses at start-up a SIMULATOR_CONFIG the model cannot take, naming it (exit 2)", async () => {
    const directory = mkdtempSync(join(tmpdir(), "simulator-limits-"));
    const path = join(directory, "wild.yaml");
    writeFileSync(
      path,
      [
        "symbols:",
        "  BTC-USD:",
        "    annualVolatility: 20",
        "    regime:",
        "      turbulentVolatilityMultiplier: 20",
        "      calmToTurbulentPerYear: 5000",
        "      turbulentToCalmPerYear: 52",
        "",
      ].join("\n"),
    );
    const { code, stderr } = await runServiceToExit(entry, [], {
      SIMULATOR_CONFIG: path,
      HISTORY_BACKFILL_HOURS: "24",
    });
    expect(code).toBe(2);
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/SIMULATOR_CONFIG .*annualVolatility/);
  }, 60_000);
});
