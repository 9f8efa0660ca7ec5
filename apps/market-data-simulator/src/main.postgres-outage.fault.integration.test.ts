import { fileURLToPath } from "node:url";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { MarketDataService } from "@tse/proto/marketdata/v1/market_data_pb";
import { type SpawnedService, spawnService, until } from "@tse/service-kit/testing";
import {
  describeWithPrivatePostgres,
  openTestPool,
  type PrivateServer,
  startPrivatePostgres,
} from "@tse/testing";
import type postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";

const entry = fileURLToPath(new URL("./main.ts", import.meta.url));
const OUTAGE_MS = 20_000;
const MINUTE_MS = 60_000;
const SYMBOLS = ["BTC-USD", "ETH-USD", "SOL-USD"];

/** What the test's price stream saw: arrivals (wall clock) and the newest simulated time. */
interface StreamRecord {
  arrivals: number[];
  newestQuoteAt: number;
  error: unknown;
  ended: boolean;
}

describeWithPrivatePostgres("market-data-simulator when Postgres goes away for 20 s", () => {
  let postgresServer: PrivateServer;
  let sql: postgres.Sql;
  let service: SpawnedService | undefined;
  const streamAbort = new AbortController();

  beforeAll(async () => {
    postgresServer = await startPrivatePostgres();
    sql = openTestPool(postgresServer.url, 2);
  });
  afterAll(async () => {
    streamAbort.abort();
    await service?.stop("SIGKILL");
    await sql?.end({ timeout: 1 });
    await postgresServer?.close();
  });

  it("keeps streaming, reports not ready, and stores every candle closed during the outage exactly once", async () => {
    service = await spawnService(entry, {
      POSTGRES_URL: postgresServer.url,
      HISTORY_BACKFILL_HOURS: "1",
      // 30 simulated seconds per second: a 1m candle closes every 2 s, ~10 during the outage.
      SIMULATION_SPEED: "30",
      TICK_INTERVAL_MS: "100",
      LOG_LEVEL: "info",
    });
    const running = service;
    const readiness = async () => {
      const response = await fetch(`http://127.0.0.1:${running.httpPort}/api/v1/ready`);
      return {
        status: response.status,
        checks: ((await response.json()) as { checks: Record<string, string> }).checks,
      };
    };
    await until(async () => ((await readiness()).status === 200 ? true : undefined));

    const stream: StreamRecord = { arrivals: [], newestQuoteAt: 0, error: undefined, ended: false };
    const client = createClient(
      MarketDataService,
      createGrpcTransport({ baseUrl: `http://127.0.0.1:${running.grpcPort}` }),
    );
    const streaming = (async () => {
      try {
        for await (const response of client.streamPrices(
          { symbols: SYMBOLS },
          { signal: streamAbort.signal },
        )) {
          stream.arrivals.push(Date.now());
          for (const quote of response.updates) {
            if (quote.timestamp !== undefined) {
              stream.newestQuoteAt = Math.max(stream.newestQuoteAt, timestampMs(quote.timestamp));
            }
          }
        }
        stream.ended = true;
      } catch (error) {
        if (!streamAbort.signal.aborted) stream.error = error;
      }
    })();
    const oneMinuteCandles = async (symbol: string) =>
      (
        (await sql`
          select (extract(epoch from start_time) * 1000)::float8 as start
          from public.candles where symbol = ${symbol} and "interval" = '1m'
          order by start_time`) as unknown as { start: number }[]
      ).map((row) => row.start);
    // Live candles are being stored: the newest one is past the backfill.
    await until(async () => {
      const starts = await oneMinuteCandles("BTC-USD");
      return stream.newestQuoteAt > 0 && (starts.at(-1) ?? 0) > Date.now() ? true : undefined;
    });

    const outageFrom = stream.newestQuoteAt;
    const arrivalsBefore = stream.arrivals.length;
    await postgresServer.stop();
    const stoppedAt = Date.now();
    const notReady = await until(async () => {
      const result = await readiness();
      return result.status === 503 ? result : undefined;
    });
    expect(notReady.checks.postgres).toMatch(/^error: /);
    // The outage lasts its full 20 s, whatever the readiness poll cost.
    await new Promise((resolve) => setTimeout(resolve, stoppedAt + OUTAGE_MS - Date.now()));
    const outageTo = stream.newestQuoteAt;
    const arrivalsDuring = stream.arrivals.length - arrivalsBefore;
    await postgresServer.start();

    const ready = await until(async () => {
      const result = await readiness();
      return result.status === 200 ? result : undefined;
    }, 60_000);
    expect(ready.checks.postgres).toBe("ok");

    // The stream never stopped: no error, no end, updates all through the outage.
    expect(stream.error).toBeUndefined();
    expect(stream.ended).toBe(false);
    expect(arrivalsDuring).toBeGreaterThan(OUTAGE_MS / 100 / 4);
    const gaps = stream.arrivals.slice(1).map((at, i) => at - (stream.arrivals[i] ?? at));
    expect(Math.max(...gaps)).toBeLessThan(5_000);

    // Every 1m candle that closed during the outage: from the one open when Postgres went away
    // to the last one closed before it came back.
    const firstClosed = Math.floor(outageFrom / MINUTE_MS) * MINUTE_MS;
    const lastClosed = Math.floor(outageTo / MINUTE_MS) * MINUTE_MS - MINUTE_MS;
    const expected: number[] = [];
    for (let start = firstClosed; start <= lastClosed; start += MINUTE_MS) expected.push(start);
    expect(expected.length).toBeGreaterThanOrEqual(5);
    // The buffer writes them once Postgres is back (it retries with backoff, up to 5 s apart).
    await until(async () => {
      const starts = await oneMinuteCandles("SOL-USD");
      return (starts.at(-1) ?? 0) > lastClosed ? true : undefined;
    }, 60_000);
    for (const symbol of SYMBOLS) {
      const starts = await oneMinuteCandles(symbol);
      expect(starts.filter((start) => start >= firstClosed && start <= lastClosed)).toEqual(
        expected,
      );
      // And no gap anywhere in the stored history, backfill and live alike.
      const steps = new Set(starts.slice(1).map((start, i) => start - (starts[i] ?? start)));
      expect([...steps]).toEqual([MINUTE_MS]);
    }
    const [duplicates] = (await sql`
      select count(*)::int - count(distinct (symbol, "interval", start_time))::int as n
      from public.candles`) as unknown as [{ n: number }];
    expect(duplicates.n).toBe(0);

    expect(running.child.exitCode).toBeNull();
    expect(running.output()).not.toContain("unhandled promise rejection");
    streamAbort.abort();
    await streaming;
    expect(await running.stop("SIGTERM")).toBe(0);
  }, 180_000);
});
