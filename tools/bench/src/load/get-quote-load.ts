import type { Client } from "@connectrpc/connect";
import type { MarketDataService } from "@tse/proto/marketdata/v1/market_data_pb";

/**
 * Sends `requests` GetQuote calls over `concurrency` parallel loops, each waiting for its answer
 * before the next; resolves to the count (the unit of the interleaved rounds).
 */
export async function getQuoteLoad(
  client: Client<typeof MarketDataService>,
  requests: number,
  concurrency: number,
): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next += 1;
      await client.getQuote({ symbol: "BTC-USD" });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return requests;
}
