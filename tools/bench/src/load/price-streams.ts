import { setMaxListeners } from "node:events";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { createClient, type Transport } from "@connectrpc/connect";
import { MarketDataService } from "@tse/proto/marketdata/v1/market_data_pb";
import type { ServerProcess } from "../servers/server-process.js";

/** What a {@link measurePriceStreams} run saw. */
export interface PriceStreamMeasurement {
  /** Updates per second delivered to all subscribers together, one figure per window. */
  readonly throughput: number[];
  /** Arrival − quote timestamp in ms, for every update of the measured windows. */
  readonly latencies: number[];
  /** Server CPU over the measured windows, % of one core. */
  readonly cpuPercent: number;
  readonly rssMb: number;
}

/**
 * Opens `subscribers` StreamPrices streams of all symbols through `transport`, lets them settle
 * for a second, measures `windows` windows of `windowMs` (the server's CPU over all of them, its
 * RSS at the end), then closes every stream.
 */
export async function measurePriceStreams(
  transport: Transport,
  server: ServerProcess,
  load: { readonly subscribers: number; readonly windows: number; readonly windowMs: number },
): Promise<PriceStreamMeasurement> {
  const client = createClient(MarketDataService, transport);
  const controller = new AbortController();
  // Every stream of the measurement listens to this one signal.
  setMaxListeners(load.subscribers + 10, controller.signal);
  let updates = 0;
  let recording = false;
  const latencies: number[] = [];
  const streams = Array.from({ length: load.subscribers }, async () => {
    try {
      for await (const response of client.streamPrices({}, { signal: controller.signal })) {
        if (!recording) continue;
        const now = Date.now();
        for (const quote of response.updates) {
          updates += 1;
          if (quote.timestamp !== undefined) latencies.push(now - timestampMs(quote.timestamp));
        }
      }
    } catch {
      // aborted at the end
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  recording = true;
  const throughput: number[] = [];
  const cpuBefore = server.cpuSeconds();
  const started = Date.now();
  for (let w = 0; w < load.windows; w++) {
    const before = updates;
    const windowStart = Date.now();
    await new Promise((resolve) => setTimeout(resolve, load.windowMs));
    throughput.push(((updates - before) * 1000) / (Date.now() - windowStart));
  }
  const cpuPercent = ((server.cpuSeconds() - cpuBefore) * 100_000) / (Date.now() - started);
  const rssMb = server.rssBytes() / 1_048_576;
  controller.abort();
  await Promise.all(streams);
  return { throughput, latencies, cpuPercent, rssMb };
}
