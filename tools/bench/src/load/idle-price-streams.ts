import { setMaxListeners } from "node:events";
import { createClient, type Transport } from "@connectrpc/connect";
import { MarketDataService } from "@tse/proto/marketdata/v1/market_data_pb";

/** Streams held open by {@link openIdlePriceStreams}. */
export interface IdlePriceStreams {
  /** Cancels every stream and resolves once all have ended. */
  close(): Promise<void>;
}

/**
 * Opens `count` StreamPrices streams of `symbols` (empty: every symbol) through `transport` and
 * resolves once every one has received its first message (the snapshot), i.e. the server holds
 * all of them. The client then reads whatever comes and does nothing else with it.
 */
export async function openIdlePriceStreams(
  transport: Transport,
  count: number,
  symbols: readonly string[] = ["BTC-USD"],
): Promise<IdlePriceStreams> {
  const client = createClient(MarketDataService, transport);
  const controller = new AbortController();
  setMaxListeners(count + 10, controller.signal);
  const established: Promise<void>[] = [];
  const ended: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    let onFirst = () => {};
    established.push(
      new Promise((resolve) => {
        onFirst = resolve;
      }),
    );
    ended.push(
      (async () => {
        try {
          for await (const _ of client.streamPrices(
            { symbols: [...symbols] },
            { signal: controller.signal },
          )) {
            onFirst();
          }
        } catch (error) {
          if (!controller.signal.aborted) throw error;
        }
      })(),
    );
  }
  await Promise.race([
    Promise.all(established),
    // A stream that fails before its first message fails the whole opening.
    Promise.all(ended).then(() => {
      throw new Error("a stream ended before its first message");
    }),
  ]);
  return {
    async close() {
      controller.abort();
      await Promise.allSettled(ended);
    },
  };
}
