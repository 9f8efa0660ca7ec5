import { HttpError, type RestContext } from "@tse/service-kit";
import { describe, expect, it } from "vitest";
import { testDesk } from "../../testing/desk-fixtures.js";
import { tradingRestRoutes } from "./trading-rest-routes.js";

function setup() {
  const { desk, riskDesk, engine } = testDesk({ limits: { maxPositionSize: 5 } });
  const routes = tradingRestRoutes({ trading: desk, risk: riskDesk });
  /** Calls the GET route `path` with the query string `query`; the HTTP status and body. */
  const get = async (path: string, query = "") => {
    const route = routes.find((r) => r.method === "GET" && r.path === path);
    if (route === undefined) throw new Error(`no route ${path}`);
    try {
      const body = await route.handler({
        params: {},
        query: new URLSearchParams(query),
      } as unknown as RestContext);
      return { status: 200, body: body as Record<string, unknown> };
    } catch (error) {
      if (error instanceof HttpError) return { status: error.status, body: { error } };
      throw error;
    }
  };
  return { get, engine };
}

describe("trading REST routes: query parameters (issue 19 item 13)", () => {
  it("takes only true or false for include_flat", async () => {
    const { get } = setup();
    for (const value of ["maybe", "", "1", "TRUE", "yes"]) {
      expect((await get("/api/v1/positions", `include_flat=${value}`)).status).toBe(400);
    }
    expect((await get("/api/v1/positions", "include_flat=true")).status).toBe(200);
    expect((await get("/api/v1/positions", "include_flat=false")).status).toBe(200);
    expect((await get("/api/v1/positions")).status).toBe(200);
  });

  it("refuses unknown, misspelt and repeated query parameters on every route", async () => {
    const { get } = setup();
    for (const [path, query] of [
      ["/api/v1/positions", "include_flats=true"],
      ["/api/v1/positions", "instrument=BTC-USD"],
      ["/api/v1/positions", "include_flat=true&include_flat=false"],
      ["/api/v1/orders", "statuses=open"],
      ["/api/v1/orders", "limit=5&limit=6"],
      ["/api/v1/strategies", "status=active"],
      ["/api/v1/portfolio", "x=1"],
      ["/api/v1/risk", "verbose=true"],
    ] as const) {
      const answer = await get(path, query);
      expect(answer.status, `${path}?${query}`).toBe(400);
    }
    expect((await get("/api/v1/orders", "status=open&limit=5&strategy_id=mm")).status).toBe(200);
  });

  it("reports the gross leverage limit and its use in /api/v1/risk", async () => {
    const { get, engine } = setup();
    engine.setRiskLimits({ maxGrossLeverage: 2 });
    const { body } = await get("/api/v1/risk");
    expect(body).toMatchObject({
      limits: { max_gross_leverage: 2 },
      utilization: { gross_leverage: 0, gross_leverage_utilization: 0 },
    });
  });
});
