import { createServer } from "node:net";
import { repoRoot, type SpawnedService, spawnService } from "@tse/service-kit/testing";
import { afterAll, describe, expect, it } from "vitest";
import type { MarketQuote } from "../../domain/shared/market-quote.js";
import { type FeedState, SimulatorPriceFeed } from "./simulator-price-feed.js";

const simulatorEntry = `${repoRoot}apps/market-data-simulator/src/main.ts`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === "object" && address !== null ? address.port : 0),
      );
    });
  });
}

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("SimulatorPriceFeed against the real simulator", () => {
  let simulator: SpawnedService | undefined;
  afterAll(async () => {
    await simulator?.stop("SIGKILL");
  });

  it("streams quotes, goes stale when the simulator dies, backs off, and resumes when it returns", async () => {
    const grpcPort = await freePort();
    const env = {
      GRPC_PORT: String(grpcPort),
      HISTORY_BACKFILL_HOURS: "0",
      TICK_INTERVAL_MS: "50",
    };
    simulator = await spawnService(simulatorEntry, env);

    const quotes: MarketQuote[] = [];
    const states: FeedState[] = [];
    const retries: number[] = [];
    const feed = new SimulatorPriceFeed(
      {
        endpoint: `http://127.0.0.1:${grpcPort}`,
        instruments: ["BTC-USD", "ETH-USD"],
        staleAfterMs: 500,
        backoff: { initialMs: 100, maxMs: 1_000 },
      },
      {
        onQuote: (quote) => quotes.push(quote),
        onState: (state) => states.push(state),
        onDisconnect: (_error, wait) => retries.push(wait),
      },
    );
    feed.start();
    try {
      await until(() => quotes.length >= 10);
      expect(feed.state).toBe("live");
      expect(new Set(quotes.map((q) => q.instrument))).toEqual(new Set(["BTC-USD", "ETH-USD"]));
      expect(quotes.every((q) => q.bid < q.ask && q.bid > 0)).toBe(true);

      await simulator.stop("SIGKILL");
      await until(() => feed.state === "stale");
      const failuresAtStale = retries.length;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      // Backoff, not a hot loop: 2 s of waits doubling from 100 ms (jittered) to 1 s.
      expect(retries.length - failuresAtStale).toBeLessThanOrEqual(8);
      expect(Math.max(...retries)).toBeGreaterThanOrEqual(500);

      const before = quotes.length;
      simulator = await spawnService(simulatorEntry, env);
      await until(() => quotes.length > before + 5);
      expect(feed.state).toBe("live");
      expect(states).toEqual(["live", "stale", "live"]);
    } finally {
      await feed.stop();
    }
    expect(feed.state).toBe("stopped");
  });
});
