// The baseline server of the RPC benchmarks: a bare connect-node server (HTTP/2, no service
// kit, no metrics, no simulator) whose GetQuote returns one pre-built Quote of the same shape
// the simulator returns. Prints "listening on <port>" and serves until killed.
import { createServer } from "node:http2";
import { create } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { MarketDataService, QuoteSchema } from "@tse/proto/marketdata/v1/market_data_pb";

const quote = create(QuoteSchema, {
  symbol: "BTC-USD",
  last: 65_012.34,
  bid: 65_012.01,
  ask: 65_012.67,
  bidSize: 0.41,
  askSize: 0.37,
  change24h: 312.5,
  changePercent24h: 0.4829,
  high24h: 65_480.12,
  low24h: 64_310.55,
  volume24h: 24_871.2,
  timestamp: timestampNow(),
  sequence: 123_456n,
});

const handler = connectNodeAdapter({
  routes: (router) => {
    router.service(MarketDataService, { getQuote: () => ({ quote }) });
  },
});
const server = createServer(handler);
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(
    `listening on ${typeof address === "object" && address !== null ? address.port : 0}\n`,
  );
});
// Clients keep their HTTP/2 sessions open, so a graceful close would wait for them: just exit.
process.on("SIGTERM", () => process.exit(0));
