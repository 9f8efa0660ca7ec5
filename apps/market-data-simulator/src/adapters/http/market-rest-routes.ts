import { abortableDelay, HttpError, type RestRoute, StreamRefusedError } from "@tse/service-kit";
import {
  type CandleHistory,
  candleRange,
  HistoryUnavailableError,
  INTERVALS,
} from "../../application/candle-history.js";
import type { QuoteHub } from "../../application/market-streams.js";
import { READ_LIMITS } from "../../application/read-limits.js";
import type { CandleInterval } from "../../domain/candles/candle-aggregator.js";
import type { MarketQuote, MarketSimulator } from "../../domain/engine/market-simulator.js";

/** How often an SSE stream re-sends the full `prices` event and a heartbeat comment. */
export const SSE_SNAPSHOT_INTERVAL_MS = 15_000;

/** What the REST routes read. */
export interface MarketRestDependencies {
  readonly simulator: MarketSimulator;
  readonly hub: QuoteHub;
  /** `history/{asset}`: memory, then the store. */
  readonly history: CandleHistory;
}

/**
 * The `price/{asset}` body of one quote (docs/protocols.md#market-data-rest-and-sse): epoch ms,
 * prices as JSON numbers.
 */
export function priceBody(quote: MarketQuote) {
  return {
    symbol: quote.symbol,
    price: quote.last,
    last_price: quote.last,
    bid: quote.bid,
    ask: quote.ask,
    timestamp: quote.timestamp,
    change_24h: quote.change24h,
    change_percent_24h: quote.changePercent24h,
    high_24h: quote.high24h,
    low_24h: quote.low24h,
    volume_24h: quote.volume24h,
  };
}

/**
 * The REST + SSE API of docs/protocols.md#market-data-rest-and-sse for browsers and the ecosystem's
 * dashboard: `{asset}` is a symbol (`BTC-USD`) or a base asset (`BTC` → its USD symbol); bad
 * parameters are 400s naming the parameter, unknown assets 404s, a full hub 429.
 */
export function marketRestRoutes({ simulator, hub, history }: MarketRestDependencies): RestRoute[] {
  const resolve = (asset: string): string => {
    const symbol = asset.includes("-") ? asset : `${asset}-USD`;
    if (!simulator.has(symbol))
      throw new HttpError(404, "unknown_asset", `unknown asset ${JSON.stringify(asset)}`);
    return symbol;
  };
  const keyOf = (quote: MarketQuote) => {
    const config = simulator.symbols.find((s) => s.symbol === quote.symbol);
    return config?.quote === "USD" ? config.base : quote.symbol;
  };
  const pricesBody = (quotes: readonly MarketQuote[]) =>
    Object.fromEntries(quotes.map((quote) => [keyOf(quote), priceBody(quote)]));
  const integer = (query: URLSearchParams, name: string, fallback: number, max: number): number => {
    const raw = query.get(name);
    if (raw === null) return fallback;
    if (!/^\d+$/.test(raw))
      throw new HttpError(400, "invalid_parameter", `${name} must be a positive integer`);
    const value = Number(raw);
    if (value < 1 || value > max)
      throw new HttpError(400, "invalid_parameter", `${name} must be between 1 and ${max}`);
    return value;
  };
  const time = (query: URLSearchParams, name: string): number | undefined => {
    const raw = query.get(name);
    if (raw === null) return undefined;
    if (!/^\d{1,15}$/.test(raw))
      throw new HttpError(400, "invalid_parameter", `${name} must be epoch milliseconds`);
    return Number(raw);
  };

  return [
    {
      method: "GET",
      path: "/api/v1/symbols",
      handler: () => ({
        symbols: simulator.symbols.map((s) => ({
          symbol: s.symbol,
          base: s.base,
          quote: s.quote,
          tick_size: s.tickSize,
          spread_bps: s.spreadBps,
          active: true,
        })),
      }),
    },
    { method: "GET", path: "/api/v1/market/prices", handler: () => pricesBody(simulator.quotes()) },
    {
      method: "GET",
      path: "/api/v1/market/price/:asset",
      handler: ({ params }) =>
        priceBody(simulator.quote(resolve(params.asset ?? "")) as MarketQuote),
    },
    {
      method: "GET",
      path: "/api/v1/market/history/:asset",
      handler: async ({ params, query }) => {
        const symbol = resolve(params.asset ?? "");
        const interval = (query.get("interval") ?? "1m") as CandleInterval;
        if (!INTERVALS.includes(interval)) {
          throw new HttpError(
            400,
            "invalid_parameter",
            `interval must be one of ${INTERVALS.join(", ")}`,
          );
        }
        const limit = integer(query, "limit", READ_LIMITS.candles.default, READ_LIMITS.candles.max);
        const from = time(query, "start");
        const to = time(query, "end");
        if (from !== undefined && to !== undefined && from >= to) {
          throw new HttpError(400, "invalid_parameter", "start must be before end");
        }
        const candles = await history
          .query(symbol, interval, candleRange(limit, from, to))
          .catch((error: unknown) => {
            throw error instanceof HistoryUnavailableError
              ? new HttpError(503, "history_unavailable", error.message)
              : error;
          });
        return {
          symbol,
          interval,
          data: candles.map((c) => ({
            timestamp: c.start,
            time: Math.floor(c.start / 1000),
            open: c.open,
            high: c.high,
            low: c.low,
            close: c.close,
            volume: c.volume,
          })),
        };
      },
    },
    {
      method: "GET",
      path: "/api/v1/market/orderbook/:asset",
      handler: ({ params, query }) => {
        const symbol = resolve(params.asset ?? "");
        const depth = integer(
          query,
          "depth",
          READ_LIMITS.depth.default,
          Math.min(READ_LIMITS.depth.max, simulator.maxBookDepth),
        );
        const book = simulator.orderBook(symbol, depth);
        return { symbol, bids: book?.bids ?? [], asks: book?.asks ?? [], timestamp: simulator.now };
      },
    },
    {
      method: "GET",
      path: "/api/v1/market/trades/:asset",
      handler: ({ params, query }) => {
        const symbol = resolve(params.asset ?? "");
        const trades =
          simulator.recentTrades(
            symbol,
            integer(query, "limit", READ_LIMITS.trades.default, READ_LIMITS.trades.max),
          ) ?? [];
        return {
          symbol,
          trades: trades.map((t) => ({
            id: t.id,
            price: t.price,
            quantity: t.quantity,
            amount: t.price * t.quantity,
            side: t.side,
            timestamp: t.timestamp,
          })),
        };
      },
    },
    {
      method: "GET",
      path: "/api/v1/stream/prices",
      handler: async ({ req, res, query, signal }) => {
        const assets = (query.get("symbols") ?? "")
          .split(",")
          .map((a) => a.trim())
          .filter((a) => a !== "");
        const symbols = assets.length === 0 ? "all" : [...new Set(assets.map(resolve))];
        let subscription: ReturnType<typeof hub.subscribe>;
        try {
          subscription = hub.subscribe(symbols);
        } catch (error) {
          if (error instanceof StreamRefusedError) {
            throw new HttpError(
              error.kind === "limit" ? 429 : 400,
              "stream_refused",
              error.message,
            );
          }
          throw error;
        }
        // HTTP/2 forbids connection-specific headers; HTTP/1.1 needs keep-alive for a stream.
        res.writeHead(200, {
          "Content-Type": "text/event-stream; charset=utf-8",
          "Cache-Control": "no-store",
          "X-Accel-Buffering": "no",
          ...(req.httpVersionMajor === 1 ? { Connection: "keep-alive" } : {}),
        });
        const write = (text: string) => (res as { write(chunk: string): boolean }).write(text);
        const selected = () =>
          symbols === "all"
            ? simulator.quotes()
            : symbols.map((s) => simulator.quote(s) as MarketQuote);
        const send = (event: string, data: unknown) =>
          write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        write("retry: 3000\n\n");
        send("prices", pricesBody(selected()));
        const stop = () => subscription.close();
        signal.addEventListener("abort", stop, { once: true });
        const periodic = (async () => {
          while (!signal.aborted) {
            await abortableDelay(SSE_SNAPSHOT_INTERVAL_MS, signal);
            if (signal.aborted) return;
            write(": heartbeat\n\n");
            send("prices", pricesBody(selected()));
          }
        })();
        try {
          for (;;) {
            const batch = await subscription.next();
            if (batch === undefined) break;
            for (const quote of batch)
              send("price", { asset: keyOf(quote), symbol: quote.symbol, data: priceBody(quote) });
          }
        } finally {
          signal.removeEventListener("abort", stop);
          subscription.close();
          res.end();
          await periodic;
        }
        return undefined;
      },
    },
  ];
}
