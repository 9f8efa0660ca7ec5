import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Code, ConnectError } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { type StrategyStatus, StrategyType } from "@tse/proto/trading/v1/trading_pb";
import { codeOf } from "@tse/service-kit/testing";
import { afterEach, describe, expect, it } from "vitest";
import { testDesk } from "../../testing/desk-fixtures.js";
import { catalogOf, SIMULATOR_SYMBOLS } from "../../testing/instrument-grids.js";

/** The simulator's symbols, and one listed with rules the engine cannot use (a tick of 0). */
const FEED = catalogOf(new Map([...SIMULATOR_SYMBOLS, ["XRP-USD", undefined]]));

/** The desks on the simulator's catalog, which `feed.up = false` takes down. */
function setup() {
  const feed = { up: true };
  const fixture = testDesk({
    limits: { maxPositionSize: 5 },
    catalog: {
      has: async (instrument) => {
        if (!feed.up) throw new ConnectError("market data is unavailable", Code.Unavailable);
        return FEED.has(instrument);
      },
      rulesOf: FEED.rulesOf,
    },
  });
  return {
    ...fixture,
    feed,
    /** A quote of `instrument` around 100, at the desk's time (which stays T0). */
    quote: (instrument: string) => fixture.tick(99, 101, 0, { instrument, last: 100 }),
  };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
});

/** Serves the services over HTTP; returns a function posting a raw Connect JSON body. */
async function serveJson(routes: ReturnType<typeof setup>["routes"]) {
  const server = createServer(connectNodeAdapter({ routes }));
  servers.push(server);
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as AddressInfo;
  return async (method: string, body: string) => {
    const response = await fetch(`http://127.0.0.1:${port}/trading.v1.${method}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
}

describe("SetRiskLimits refuses override keys that are no instrument (issue 19 item 13)", () => {
  it("answers InvalidArgument for a malformed, oversized or unknown key and changes nothing", async () => {
    const { risk } = setup();
    for (const key of ["'; DROP TABLE orders; --", "K".repeat(100_000), "btc-usd", "DOGE-USD"]) {
      expect(
        await codeOf(risk.setRiskLimits({ limits: { instrumentMaxPositionSizes: { [key]: 1 } } })),
      ).toBe(Code.InvalidArgument);
    }
    expect(
      await codeOf(
        risk.setRiskLimits({
          limits: { maxPositionSize: 7, instrumentMaxPositionSizes: { "BTC-USD": 3, bad: 1 } },
        }),
      ),
    ).toBe(Code.InvalidArgument);
    const status = await risk.getRiskStatus({});
    expect(status.limits?.instrumentMaxPositionSizes).toEqual({});
    expect(status.limits?.maxPositionSize).toBe(5);
    const { limits } = await risk.setRiskLimits({
      limits: { instrumentMaxPositionSizes: { "SOL-USD": 3 } },
    });
    expect(limits?.instrumentMaxPositionSizes).toEqual({ "SOL-USD": 3 });
  });

  it("accepts an instrument the engine trades while the feed is down, and no unverifiable one", async () => {
    const { risk, feed, quote } = setup();
    quote("BTC-USD");
    feed.up = false;
    const set = (key: string) =>
      codeOf(risk.setRiskLimits({ limits: { instrumentMaxPositionSizes: { [key]: 2 } } }));
    expect(await set("BTC-USD")).toBeUndefined();
    expect(await set("ETH-USD")).toBe(Code.Unavailable);
    expect((await risk.getRiskStatus({})).limits?.instrumentMaxPositionSizes).toEqual({
      "BTC-USD": 2,
    });
  });
});

describe("instrument fields of the RPCs are checked (issue 19 item 13)", () => {
  it("refuses a force close of a misspelt or unknown instrument instead of closing nothing", async () => {
    const { risk, feed, quote } = setup();
    expect(await codeOf(risk.forcePositionClose({ instrument: "btc-usd" }))).toBe(
      Code.InvalidArgument,
    );
    expect(await codeOf(risk.forcePositionClose({ instrument: "BTC-USDT" }))).toBe(Code.NotFound);
    expect((await risk.forcePositionClose({ instrument: "BTC-USD" })).orders).toEqual([]);
    quote("ETH-USD");
    feed.up = false;
    expect((await risk.forcePositionClose({ instrument: "ETH-USD" })).orders).toEqual([]);
    expect(await codeOf(risk.forcePositionClose({ instrument: "SOL-USD" }))).toBe(Code.Unavailable);
  });

  it("refuses malformed instrument filters of the reads", async () => {
    const { trading } = setup();
    expect(await codeOf(trading.getPositions({ instrument: "btc-usd" }))).toBe(
      Code.InvalidArgument,
    );
    expect(await codeOf(trading.listOrders({ instrument: "btc-usd" }))).toBe(Code.InvalidArgument);
    expect(
      await codeOf(
        trading
          .streamOrderUpdates({ instruments: ["BTC-USD", "x"] })
          [Symbol.asyncIterator]()
          .next(),
      ),
    ).toBe(Code.InvalidArgument);
  });

  it("refuses unknown enum values in the ListStrategies filter", async () => {
    const { trading } = setup();
    expect(await codeOf(trading.listStrategies({ statuses: [99 as StrategyStatus] }))).toBe(
      Code.InvalidArgument,
    );
    expect(await codeOf(trading.listStrategies({ type: 99 as StrategyType }))).toBe(
      Code.InvalidArgument,
    );
  });
});

describe("Connect JSON requests are parsed strictly (issue 19 item 13)", () => {
  it("refuses unknown fields in StartStrategy instead of falling back to defaults", async () => {
    const { routes, engine } = setup();
    const post = await serveJson(routes);
    const request = (parameters: object, extra: object = {}) =>
      JSON.stringify({
        strategyId: "mm",
        type: "STRATEGY_TYPE_MARKET_MAKING",
        instruments: ["BTC-USD"],
        marketMaking: { orderQuantity: 1, ...parameters },
        ...extra,
      });
    const misspelt = await post("TradingService/StartStrategy", request({ spreadBsp: 50 }));
    expect(misspelt.status).toBe(400);
    expect(misspelt.body).toMatchObject({ code: "invalid_argument" });
    expect(String(misspelt.body.message)).toMatch(/spreadBsp/);
    const unknownTop = await post(
      "TradingService/StartStrategy",
      request({}, { limit: { maxLoss: 10 } }),
    );
    expect(unknownTop.status).toBe(400);
    expect(engine.strategies()).toEqual([]);
    const valid = await post("TradingService/StartStrategy", request({ spreadBps: 50 }));
    expect(valid.status).toBe(200);
    expect(engine.strategy("mm").parameters).toMatchObject({ spreadBps: 50 });
  });

  it("refuses unknown enum names in the ListStrategies filter and unknown risk limit fields", async () => {
    const { routes, engine } = setup();
    const post = await serveJson(routes);
    for (const body of [
      { statuses: ["STRATEGY_STATUS_BOGUS"] },
      { statuses: ["STRATEGY_STATUS_ACTIVE", "ACTIVE!"] },
      { type: "STRATEGY_TYPE_BOGUS" },
    ]) {
      const answer = await post("TradingService/ListStrategies", JSON.stringify(body));
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: "invalid_argument" });
    }
    const listed = await post(
      "TradingService/ListStrategies",
      JSON.stringify({ statuses: ["STRATEGY_STATUS_ACTIVE"] }),
    );
    expect(listed).toMatchObject({ status: 200, body: {} });
    const limits = await post(
      "RiskService/SetRiskLimits",
      JSON.stringify({ limits: { maxTotalNotionall: 5 } }),
    );
    expect(limits.status).toBe(400);
    expect(engine.riskLimits.maxTotalNotional).toBe(0);
  });
});

describe("StartStrategy refuses an order size the instrument cannot trade", () => {
  const start = (
    trading: ReturnType<typeof setup>["trading"],
    instruments: string[],
    parameters:
      | { case: "marketMaking"; value: { orderQuantity: number } }
      | { case: "meanReversion"; value: { orderQuantity: number } },
  ) =>
    trading.startStrategy({
      strategyId: "s",
      type:
        parameters.case === "marketMaking"
          ? StrategyType.MARKET_MAKING
          : StrategyType.MEAN_REVERSION,
      instruments,
      parameters,
    });
  const refusal = async (call: Promise<unknown>) => {
    const error = await call.then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    return { code: error?.code, message: error?.rawMessage ?? "" };
  };

  it("answers InvalidArgument naming the field and the rule for a size below the minimum or above the maximum", async () => {
    const { trading, engine } = setup();
    const tooSmall = await refusal(
      start(trading, ["BTC-USD"], { case: "marketMaking", value: { orderQuantity: 0.000001 } }),
    );
    expect(tooSmall).toEqual({
      code: Code.InvalidArgument,
      message:
        "market_making.order_quantity 0.000001 cannot be traded on BTC-USD: below the minimum order size 0.00001",
    });
    const tooLarge = await refusal(
      start(trading, ["BTC-USD"], { case: "marketMaking", value: { orderQuantity: 300 } }),
    );
    expect(tooLarge.code).toBe(Code.InvalidArgument);
    expect(tooLarge.message).toMatch(/market_making\.order_quantity 300 .* maximum order size 250/);
    // Mean reversion's size too, and on every instrument of the strategy: 0.015 SOL is one lot
    // of 0.01 (traded as 0.01), 0.005 is none.
    const meanReversion = await refusal(
      start(trading, ["BTC-USD", "SOL-USD"], {
        case: "meanReversion",
        value: { orderQuantity: 0.005 },
      }),
    );
    expect(meanReversion.code).toBe(Code.InvalidArgument);
    expect(meanReversion.message).toMatch(
      /mean_reversion\.order_quantity 0\.005 cannot be traded on SOL-USD: below the minimum order size 0\.01/,
    );
    expect(engine.strategies()).toEqual([]);
    const { strategy } = await start(trading, ["BTC-USD", "SOL-USD"], {
      case: "meanReversion",
      value: { orderQuantity: 0.015 },
    });
    expect(strategy?.id).toBe("s");
  });

  it("answers Unavailable while the rules cannot be learnt, FailedPrecondition when the feed has none usable", async () => {
    const { trading, feed, engine } = setup();
    feed.up = false;
    const down = await refusal(
      start(trading, ["BTC-USD"], { case: "marketMaking", value: { orderQuantity: 1 } }),
    );
    expect(down.code).toBe(Code.Unavailable);
    feed.up = true;
    const unusable = await refusal(
      start(trading, ["XRP-USD"], { case: "marketMaking", value: { orderQuantity: 1 } }),
    );
    expect(unusable.code).toBe(Code.FailedPrecondition);
    expect(unusable.message).toMatch(/no usable trading rules .* XRP-USD/);
    expect(engine.strategies()).toEqual([]);
  });
});
