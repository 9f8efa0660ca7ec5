import { setMaxListeners } from "node:events";
import { fileURLToPath } from "node:url";
import { type Client, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { BatchKind, MarketDataService } from "@tse/proto/marketdata/v1/market_data_pb";
import { type SpawnedService, scrapeMetric, spawnService, until } from "@tse/service-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const entry = fileURLToPath(new URL("../../main.ts", import.meta.url));

/** Concurrent price streams (env `LOAD_STREAMS`). */
const STREAMS = Number(process.env.LOAD_STREAMS ?? 500);
/** How long they stream (env `LOAD_DURATION_MS`; a minute by default). */
const DURATION_MS = Number(process.env.LOAD_DURATION_MS ?? 60_000);
/** Every stream must receive at least one update in every window of this length. */
const WINDOW_MS = 10_000;
/** The simulator's resident memory must stay under this with every stream open. */
const MAX_RSS_BYTES = 512 * 1024 * 1024;
/**
 * The peak RSS of the last third of the run may exceed the peak of the first third by at most
 * this much: RSS saw-tooths with garbage collection (±70 MB at 500 streams), a leak climbs.
 */
const MAX_RSS_GROWTH_BYTES = 64 * 1024 * 1024;

const MB = 1024 * 1024;

interface StreamRecord {
  readonly protocol: string;
  snapshot: boolean;
  updates: number;
  /** Updates received in each window since the measurement began. */
  readonly perWindow: number[];
  error?: unknown;
}

/**
 * The simulator under 500 concurrent StreamPrices subscribers for a minute
 * (docs/architecture.md#fan-out): the streams are spread over gRPC on the gRPC port (several HTTP/2
 * connections), gRPC on the HTTP port, and Connect over HTTP/1.1 (one connection each). Every
 * stream gets its snapshot and updates in every 10 s window, none fails, the process's RSS stays
 * under 512 MB and its peak in the last third of the run is within 64 MB of the first third's (no
 * leak), nothing is logged at error level, and every subscription is released once the clients
 * leave.
 */
describe(`market-data-simulator with ${STREAMS} concurrent price streams (real process)`, () => {
  let service: SpawnedService;
  beforeAll(async () => {
    service = await spawnService(entry, {
      HISTORY_BACKFILL_HOURS: "0",
      MAX_SUBSCRIBERS: String(STREAMS + 100),
    });
  }, 60_000);
  afterAll(async () => {
    await service?.stop("SIGKILL");
  });

  it(
    "serves every stream for the whole run with bounded memory and no error",
    async () => {
      const grpcSessions = Array.from({ length: 5 }, () =>
        createGrpcTransport({ baseUrl: `http://127.0.0.1:${service.grpcPort}` }),
      );
      const httpPortGrpc = Array.from({ length: 3 }, () =>
        createGrpcTransport({ baseUrl: `http://127.0.0.1:${service.httpPort}` }),
      );
      const connect = createConnectTransport({
        baseUrl: `http://127.0.0.1:${service.httpPort}`,
        httpVersion: "1.1",
      });
      const plan: { protocol: string; transport: Transport }[] = [];
      for (let i = 0; i < STREAMS; i += 1) {
        const slot = i % 10;
        if (slot < 5) plan.push({ protocol: "grpc", transport: grpcSessions[slot] as Transport });
        else if (slot < 8)
          plan.push({
            protocol: "grpc@http-port",
            transport: httpPortGrpc[slot - 5] as Transport,
          });
        else plan.push({ protocol: "connect/http1.1", transport: connect });
      }
      const controller = new AbortController();
      setMaxListeners(STREAMS + 10, controller.signal);
      let windowIndex = -1;
      const records: StreamRecord[] = plan.map(({ protocol }) => ({
        protocol,
        snapshot: false,
        updates: 0,
        perWindow: [],
      }));
      const read = async (client: Client<typeof MarketDataService>, record: StreamRecord) => {
        try {
          for await (const batch of client.streamPrices({}, { signal: controller.signal })) {
            if (batch.kind === BatchKind.SNAPSHOT) record.snapshot = true;
            else {
              record.updates += 1;
              if (windowIndex >= 0)
                record.perWindow[windowIndex] = (record.perWindow[windowIndex] ?? 0) + 1;
            }
          }
        } catch (error) {
          if (!controller.signal.aborted) record.error = error;
        }
      };
      const rssBefore = service.rssBytes();
      const streaming = plan.map(({ transport }, i) =>
        read(createClient(MarketDataService, transport), records[i] as StreamRecord),
      );
      await until(async () => (records.every((r) => r.snapshot) ? true : undefined), 60_000);
      expect(
        await scrapeMetric(service.httpPort, "market_data_subscription_active", [
          'symbol="BTC-USD"',
        ]),
      ).toBe(STREAMS);

      const windows = Math.max(1, Math.round(DURATION_MS / WINDOW_MS));
      const rss: number[] = [];
      for (windowIndex = 0; windowIndex < windows; windowIndex += 1) {
        for (const record of records) record.perWindow[windowIndex] = 0;
        const end = Date.now() + WINDOW_MS;
        while (Date.now() < end) {
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          rss.push(service.rssBytes());
        }
      }
      windowIndex = -1;
      controller.abort();
      await Promise.all(streaming);

      const failed = records.filter((r) => r.error !== undefined);
      expect(failed.map((r) => `${r.protocol}: ${String(r.error)}`)).toEqual([]);
      const starved = records.flatMap((r, i) =>
        r.perWindow.flatMap((count, w) =>
          count === 0 ? [`stream ${i} (${r.protocol}) window ${w}`] : [],
        ),
      );
      expect(starved).toEqual([]);
      const third = Math.max(1, Math.floor(rss.length / 3));
      const early = Math.max(...rss.slice(0, third));
      const late = Math.max(...rss.slice(-third));
      const peak = Math.max(...rss);
      console.info(
        `${STREAMS} streams × ${DURATION_MS / 1_000} s: ${records.reduce((n, r) => n + r.updates, 0)} update batches; ` +
          `RSS ${Math.round(rssBefore / MB)} MB before, peak ${Math.round(early / MB)} MB in the first third, ` +
          `${Math.round(late / MB)} MB in the last, ${Math.round(peak / MB)} MB overall`,
      );
      expect(peak).toBeLessThan(MAX_RSS_BYTES);
      expect(late - early).toBeLessThan(MAX_RSS_GROWTH_BYTES);
      const errors = service
        .output()
        .split("\n")
        .filter((line) => /"level":(50|60)/.test(line));
      expect(errors).toEqual([]);
      // Every subscription is released once its client has gone.
      await until(async () =>
        (await scrapeMetric(service.httpPort, "market_data_subscription_active", [
          'symbol="BTC-USD"',
        ])) === 0
          ? true
          : undefined,
      );
    },
    DURATION_MS + 180_000,
  );
});
