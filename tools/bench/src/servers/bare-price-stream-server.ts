// The baseline of the fan-out benchmark: a bare connect-node handler, on an h2c server and an
// HTTP/1.1 server, whose StreamPrices sends every TICK_INTERVAL_MS one pre-built batch of the
// simulator's shape (one quote per symbol, fresh timestamps) — no engine, hub, conflation,
// service kit or metrics. Prints "listening on <h2c port> <http1 port>".
import { createServer as createHttp1Server } from "node:http";
import { createServer as createHttp2Server } from "node:http2";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import {
  BatchKind,
  MarketDataService,
  QuoteSchema,
  StreamPricesResponseSchema,
} from "@tse/proto/marketdata/v1/market_data_pb";

const tickMs = Number(process.env.TICK_INTERVAL_MS ?? "100");
const symbols = ["BTC-USD", "ETH-USD", "SOL-USD"];
let sequence = 0n;
const batch = (kind: BatchKind) => {
  sequence += 1n;
  const now = Date.now();
  return create(StreamPricesResponseSchema, {
    kind,
    updates: symbols.map((symbol, i) =>
      create(QuoteSchema, {
        symbol,
        last: 100 * (i + 1),
        bid: 100 * (i + 1) - 0.01,
        ask: 100 * (i + 1) + 0.01,
        bidSize: 1.5,
        askSize: 1.25,
        change24h: 1.2,
        changePercent24h: 0.5,
        high24h: 110 * (i + 1),
        low24h: 90 * (i + 1),
        volume24h: 12_345.6,
        timestamp: timestampFromMs(now),
        sequence,
      }),
    ),
  });
};

const handler = connectNodeAdapter({
  routes: (router) => {
    router.service(MarketDataService, {
      async *streamPrices(_request, context) {
        yield batch(BatchKind.SNAPSHOT);
        while (!context.signal.aborted) {
          await new Promise((resolve) => setTimeout(resolve, tickMs));
          yield batch(BatchKind.UPDATE);
        }
      },
    });
  },
});
const h2c = createHttp2Server(handler);
const http1 = createHttp1Server(handler);
h2c.listen(0, "127.0.0.1", () => {
  http1.listen(0, "127.0.0.1", () => {
    const port = (server: typeof h2c | typeof http1) => {
      const address = server.address();
      return typeof address === "object" && address !== null ? address.port : 0;
    };
    process.stdout.write(`listening on ${port(h2c)} ${port(http1)}\n`);
  });
});
// Streaming clients hold their connections open: exit at once rather than wait for them.
process.on("SIGTERM", () => process.exit(0));
