import { setMaxListeners } from "node:events";
import * as http2 from "node:http2";
import { fileURLToPath } from "node:url";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import {
  BatchKind,
  MarketDataService,
  StreamPricesRequestSchema,
  StreamPricesResponseSchema,
} from "@tse/proto/marketdata/v1/market_data_pb";
import { type SpawnedService, scrapeMetric, spawnService, until } from "@tse/service-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const entry = fileURLToPath(new URL("../../main.ts", import.meta.url));

const SYMBOLS = ["BTC-USD", "ETH-USD", "SOL-USD", "BNB-USD", "XRP-USD", "ADA-USD"];
const MAX_SUBSCRIBERS = 20;
const MAX_SYMBOLS_PER_STREAM = 5;
/** Subscribers that keep reading while one stalls. */
const FAST_READERS = 10;
/** Length of each phase with and without the stalled reader (env `SLOW_SUBSCRIBER_PHASE_MS`). */
const PHASE_MS = Number(process.env.SLOW_SUBSCRIBER_PHASE_MS ?? 2_500);
/** Phases without, then with, the stalled reader, alternating (so machine noise hits both). */
const PAIRS = 4;
/**
 * The margin: over the pairs, the median of (the fast readers' p99 tick-to-client latency with
 * a stalled subscriber − their p99 in the phase just before, without one) is at most
 * max(25 ms, 50 % of their median p99 without). Pairing and the median keep a noise spike of
 * this shared machine in one phase from deciding the outcome.
 */
const P99_MARGIN_MS = 25;
const P99_MARGIN_RATIO = 0.5;
/** The stalled reader's HTTP/2 stream window: what the server may send it before it reads. */
const STALLED_WINDOW_BYTES = 4_096;
/**
 * Resident memory may grow at most this much while a subscriber is stalled, in the median over
 * the pairs: one phase's RSS moves by tens of MB either way as the heap is resized (seen: −13 MB
 * and +47 MB under load), while a backlog that grew with the stall would grow in every pair.
 */
const MAX_STALL_RSS_GROWTH_BYTES = 32 * 1024 * 1024;

/** The p-th percentile (0–100) of `values` (nearest rank). */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

/**
 * A subscriber that stops reading: a raw HTTP/2 client on its own connection, with a small
 * stream window, that takes the snapshot and then pauses, so the server can hand it no more
 * than the window. On `resume` it parses the gRPC frames it gets and reports how many bytes it
 * took to see a BTC-USD quote at least as new as `sequence`, and every BTC-USD sequence seen.
 */
async function openStalledReader(port: number) {
  const session = http2.connect(`http://127.0.0.1:${port}`, {
    settings: { initialWindowSize: STALLED_WINDOW_BYTES },
  });
  session.on("error", () => undefined);
  const body = toBinary(StreamPricesRequestSchema, create(StreamPricesRequestSchema, {}));
  const frame = Buffer.alloc(5 + body.length);
  frame.writeUInt32BE(body.length, 1);
  frame.set(body, 5);
  const stream = session.request({
    ":method": "POST",
    ":path": `/${MarketDataService.typeName}/StreamPrices`,
    "content-type": "application/grpc",
    te: "trailers",
  });
  stream.on("error", () => undefined);
  stream.end(frame);
  await new Promise<void>((resolve) => stream.once("data", () => resolve()));
  stream.pause();
  return {
    catchUp(sequence: bigint): Promise<{ bytes: number; btcSequences: bigint[] }> {
      return new Promise((resolve) => {
        let pending = Buffer.alloc(0);
        let bytes = 0;
        const btcSequences: bigint[] = [];
        const onData = (chunk: Buffer) => {
          bytes += chunk.length;
          pending = Buffer.concat([pending, chunk]);
          while (pending.length >= 5 && pending.length >= 5 + pending.readUInt32BE(1)) {
            const length = pending.readUInt32BE(1);
            const message = fromBinary(StreamPricesResponseSchema, pending.subarray(5, 5 + length));
            pending = pending.subarray(5 + length);
            for (const quote of message.updates) {
              if (quote.symbol === "BTC-USD") btcSequences.push(quote.sequence);
            }
          }
          if ((btcSequences.at(-1) ?? -1n) >= sequence) {
            stream.off("data", onData);
            resolve({ bytes, btcSequences });
          }
        };
        stream.on("data", onData);
        stream.resume();
      });
    },
    close() {
      stream.close(http2.constants.NGHTTP2_CANCEL);
      session.close();
    },
  };
}

/**
 * Slow consumers and stream limits of the simulator's fan-out (docs/architecture.md#fan-out),
 * against the real process: one subscriber that stops reading does not move the other subscribers'
 * p99 latency beyond the stated margin; its queue is conflated (it skips to the newest quotes) and
 * bounded (what it receives on resuming is bounded by the transport's buffers, not the length
 * of the stall; memory stays flat); `market_data_subscriber_updates_dropped_total` counts what
 * it missed; and `MAX_SUBSCRIBERS` and `MAX_SYMBOLS_PER_STREAM` answer ResourceExhausted (429
 * on REST).
 */
describe("market-data-simulator with a stalled subscriber (real process)", () => {
  let service: SpawnedService;
  beforeAll(async () => {
    service = await spawnService(entry, {
      HISTORY_BACKFILL_HOURS: "0",
      TICK_INTERVAL_MS: "10",
      SYMBOLS: SYMBOLS.join(","),
      MAX_SUBSCRIBERS: String(MAX_SUBSCRIBERS),
      MAX_SYMBOLS_PER_STREAM: String(MAX_SYMBOLS_PER_STREAM),
    });
  }, 60_000);
  afterAll(async () => {
    await service?.stop("SIGKILL");
  });

  it("conflates and bounds the stalled subscriber's queue, counts its drops, and keeps the others' p99", async () => {
    const client = createClient(
      MarketDataService,
      createGrpcTransport({ baseUrl: `http://127.0.0.1:${service.grpcPort}` }),
    );
    const controller = new AbortController();
    setMaxListeners(FAST_READERS + 5, controller.signal);
    let phase: "warm-up" | "without" | "with" = "warm-up";
    let latencies = { without: [] as number[], with: [] as number[] };
    let snapshots = 0;
    const readers = Array.from({ length: FAST_READERS }, async () => {
      try {
        for await (const batch of client.streamPrices({}, { signal: controller.signal })) {
          if (batch.kind === BatchKind.SNAPSHOT) snapshots += 1;
          if (batch.kind !== BatchKind.UPDATE || phase === "warm-up") continue;
          const now = Date.now();
          for (const quote of batch.updates) {
            if (quote.timestamp !== undefined)
              latencies[phase].push(now - timestampMs(quote.timestamp));
          }
        }
      } catch (error) {
        if (!controller.signal.aborted) throw error;
      }
    });
    await until(async () => (snapshots === FAST_READERS ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const pairs: { without: number; with: number }[] = [];
    const stalls: {
      dropped: number;
      rssGrowth: number;
      bytes: number;
      ticks: bigint;
      seen: bigint[];
    }[] = [];
    for (let pair = 0; pair < PAIRS; pair += 1) {
      latencies = { without: [], with: [] };
      phase = "without";
      await new Promise((resolve) => setTimeout(resolve, PHASE_MS));
      phase = "warm-up";
      const stalled = await openStalledReader(service.grpcPort);
      const droppedBefore =
        (await scrapeMetric(service.httpPort, "market_data_subscriber_updates_dropped_total")) ?? 0;
      const rssBefore = service.rssBytes();
      const sequenceBefore = (await client.getQuote({ symbol: "BTC-USD" })).quote?.sequence ?? 0n;
      phase = "with";
      await new Promise((resolve) => setTimeout(resolve, PHASE_MS));
      phase = "warm-up";
      expect(latencies.without.length).toBeGreaterThan(50);
      expect(latencies.with.length).toBeGreaterThan(50);
      pairs.push({
        without: percentile(latencies.without, 99),
        with: percentile(latencies.with, 99),
      });
      const droppedAfter =
        (await scrapeMetric(service.httpPort, "market_data_subscriber_updates_dropped_total")) ?? 0;
      const rssGrowth = service.rssBytes() - rssBefore;
      const sequenceAtResume = (await client.getQuote({ symbol: "BTC-USD" })).quote?.sequence ?? 0n;
      const { bytes, btcSequences } = await stalled.catchUp(sequenceAtResume);
      stalled.close();
      stalls.push({
        dropped: droppedAfter - droppedBefore,
        rssGrowth,
        bytes,
        ticks: sequenceAtResume - sequenceBefore,
        seen: btcSequences,
      });
    }
    controller.abort();
    await Promise.all(readers);

    const median = (values: readonly number[]) => percentile(values, 50);
    const without = median(pairs.map((p) => p.without));
    const increase = median(pairs.map((p) => p.with - p.without));
    console.info(
      `fast readers' p99 per pair (without → with a stalled subscriber): ${pairs.map((p) => `${p.without} → ${p.with} ms`).join(", ")}; ` +
        `stalls: ${stalls.map((s) => `${s.ticks} BTC ticks, ${s.seen.length} BTC quotes / ${s.bytes} bytes on resuming, ${s.dropped} dropped, RSS ${Math.round(s.rssGrowth / 1024)} KiB`).join("; ")}`,
    );
    expect(increase).toBeLessThanOrEqual(Math.max(P99_MARGIN_MS, P99_MARGIN_RATIO * without));
    for (const stall of stalls) {
      // Drops were counted while it did not read.
      expect(stall.dropped).toBeGreaterThan(0);
      // Conflated: it skips to the newest quote — its BTC-USD sequence numbers have gaps.
      expect(stall.seen.some((s, i) => i > 0 && s - (stall.seen[i - 1] as bigint) > 1n)).toBe(true);
      // Bounded: the backlog is what the transport buffers hold, not the length of the stall.
      expect(stall.bytes).toBeLessThan(64 * 1024);
    }
    expect(median(stalls.map((s) => s.rssGrowth))).toBeLessThan(MAX_STALL_RSS_GROWTH_BYTES);
  }, 120_000);

  it("answers ResourceExhausted (429 on REST) past MAX_SUBSCRIBERS and MAX_SYMBOLS_PER_STREAM", async () => {
    const client = createClient(
      MarketDataService,
      createGrpcTransport({ baseUrl: `http://127.0.0.1:${service.grpcPort}` }),
    );
    /** Opens a stream, takes its first message and cancels it: "ok", or the refusal's code. */
    const codeOf = async (
      open: (options: { signal: AbortSignal }) => AsyncIterable<unknown>,
    ): Promise<Code | "ok"> => {
      const cancel = new AbortController();
      try {
        await open({ signal: cancel.signal })[Symbol.asyncIterator]().next();
        return "ok";
      } catch (error) {
        return error instanceof ConnectError ? error.code : Code.Unknown;
      } finally {
        cancel.abort();
      }
    };
    const tooMany = SYMBOLS.slice(0, MAX_SYMBOLS_PER_STREAM + 1);
    expect(await codeOf((o) => client.streamPrices({ symbols: tooMany }, o))).toBe(
      Code.ResourceExhausted,
    );
    expect(await codeOf((o) => client.streamCandles({ symbols: tooMany }, o))).toBe(
      Code.ResourceExhausted,
    );
    expect(
      await codeOf((o) =>
        client.streamPrices({ symbols: SYMBOLS.slice(0, MAX_SYMBOLS_PER_STREAM) }, o),
      ),
    ).toBe("ok");
    const sse = await fetch(
      `http://127.0.0.1:${service.httpPort}/api/v1/stream/prices?symbols=${tooMany.join(",")}`,
    );
    expect(sse.status).toBe(429);
    expect(((await sse.json()) as { error: { code: string } }).error.code).toBe("stream_refused");

    // Fill the hub (streams of earlier tests may still be closing: wait for it to be empty).
    await until(async () =>
      (await scrapeMetric(service.httpPort, "market_data_subscription_active", [
        'symbol="BTC-USD"',
      ])) === 0
        ? true
        : undefined,
    );
    const controller = new AbortController();
    setMaxListeners(MAX_SUBSCRIBERS + 5, controller.signal);
    const held = Array.from({ length: MAX_SUBSCRIBERS }, () => {
      const iterator = client
        .streamPrices({}, { signal: controller.signal })
        [Symbol.asyncIterator]();
      return iterator.next();
    });
    await Promise.all(held);
    expect(await codeOf((o) => client.streamPrices({}, o))).toBe(Code.ResourceExhausted);
    const full = await fetch(`http://127.0.0.1:${service.httpPort}/api/v1/stream/prices`);
    expect(full.status).toBe(429);
    controller.abort();
    // Capacity comes back once the clients have gone.
    await until(async () =>
      (await codeOf((o) => client.streamPrices({}, o))) === "ok" ? true : undefined,
    );
    expect((await fetch(`http://127.0.0.1:${service.httpPort}/api/v1/health`)).status).toBe(200);
  });
});
