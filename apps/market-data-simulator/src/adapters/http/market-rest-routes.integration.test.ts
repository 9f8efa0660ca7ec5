import { fileURLToPath } from "node:url";
import { type SpawnedService, spawnService } from "@tse/service-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const entry = fileURLToPath(new URL("../../main.ts", import.meta.url));

describe("market data REST + SSE (real HTTP against the process)", () => {
  let service: SpawnedService;
  let base: string;
  beforeAll(async () => {
    service = await spawnService(entry, { HISTORY_BACKFILL_HOURS: "2", TICK_INTERVAL_MS: "20" });
    base = `http://127.0.0.1:${service.httpPort}`;
  });
  afterAll(async () => {
    await service?.stop();
  });

  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it("lists symbols and prices keyed by base asset, with the asset alias", async () => {
    const symbols = await get("/api/v1/symbols");
    expect((symbols.body.symbols as { symbol: string }[]).map((s) => s.symbol)).toEqual([
      "BTC-USD",
      "ETH-USD",
      "SOL-USD",
    ]);
    const prices = await get("/api/v1/market/prices");
    expect(Object.keys(prices.body)).toEqual(["BTC", "ETH", "SOL"]);
    const btc = await get("/api/v1/market/price/BTC");
    expect(btc.body).toMatchObject({ symbol: "BTC-USD" });
    expect(btc.body.bid as number).toBeLessThan(btc.body.ask as number);
    expect(typeof btc.body.timestamp).toBe("number");
    expect((await get("/api/v1/market/price/XRP")).status).toBe(404);
  });

  it("serves history oldest first with its limits, the book and the tape", async () => {
    const history = await get("/api/v1/market/history/ETH?interval=5m&limit=10");
    const data = history.body.data as {
      timestamp: number;
      time: number;
      low: number;
      high: number;
    }[];
    expect(history.body).toMatchObject({ symbol: "ETH-USD", interval: "5m" });
    expect(data).toHaveLength(10);
    expect(data.every((c, i) => i === 0 || c.timestamp > (data[i - 1]?.timestamp as number))).toBe(
      true,
    );
    expect(data[0]?.time).toBe(Math.floor((data[0]?.timestamp as number) / 1000));
    for (const query of ["interval=2m", "limit=5001", "limit=0", "limit=abc", "start=10&end=5"]) {
      expect((await get(`/api/v1/market/history/ETH?${query}`)).status, query).toBe(400);
    }
    const book = await get("/api/v1/market/orderbook/SOL-USD?depth=5");
    expect(book.body.bids).toHaveLength(5);
    expect((await get("/api/v1/market/orderbook/SOL-USD?depth=101")).status).toBe(400);
    // Any depth up to the documented 100 is served in full.
    const deep = await get("/api/v1/market/orderbook/BTC?depth=100");
    expect(deep.body.bids).toHaveLength(100);
    expect(deep.body.asks).toHaveLength(100);
    const trades = await get("/api/v1/market/trades/SOL?limit=3");
    const tape = trades.body.trades as {
      side: string;
      amount: number;
      price: number;
      quantity: number;
    }[];
    expect(tape).toHaveLength(3);
    expect(
      tape.every(
        (t) =>
          (t.side === "buy" || t.side === "sell") &&
          Math.abs(t.amount - t.price * t.quantity) < 1e-6,
      ),
    ).toBe(true);
    expect((await get("/api/v1/market/trades/SOL?limit=1001")).status).toBe(400);
  });

  it("streams prices as Server-Sent Events: a prices event first, then price events", async () => {
    const abort = new AbortController();
    const response = await fetch(`${base}/api/v1/stream/prices?symbols=BTC,ETH-USD`, {
      signal: abort.signal,
    });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = "";
    const events: { event: string; data: Record<string, unknown> }[] = [];
    while (events.filter((e) => e.event === "price").length < 4) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      let end = text.indexOf("\n\n");
      while (end >= 0) {
        const block = text.slice(0, end);
        text = text.slice(end + 2);
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (event !== undefined && data !== undefined)
          events.push({ event, data: JSON.parse(data) });
        end = text.indexOf("\n\n");
      }
    }
    abort.abort();
    expect(events[0]?.event).toBe("prices");
    expect(Object.keys(events[0]?.data ?? {})).toEqual(["BTC", "ETH"]);
    const updates = events.filter((e) => e.event === "price");
    expect(updates.every((e) => ["BTC", "ETH"].includes(e.data.asset as string))).toBe(true);
    expect(updates[0]?.data).toMatchObject({
      data: { symbol: expect.stringMatching(/^(BTC|ETH)-USD$/) },
    });
    expect((await fetch(`${base}/api/v1/stream/prices?symbols=XRP`)).status).toBe(404);
  });
});
