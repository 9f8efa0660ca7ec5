import { describe, expect, it } from "vitest";
import { RestRouter } from "./rest-router.js";

const noop = () => undefined;

describe("RestRouter", () => {
  const router = new RestRouter([
    { method: "GET", path: "/api/v1/market/price/:asset", handler: noop },
    { method: "GET", path: "/api/v1/symbols", handler: noop },
    { method: "POST", path: "/api/v1/scenarios", handler: noop },
  ]);

  it("matches templates and decodes parameters", () => {
    const match = router.match("GET", "/api/v1/market/price/BTC%2DUSD");
    expect(match).toMatchObject({
      template: "/api/v1/market/price/:asset",
      params: { asset: "BTC-USD" },
    });
  });

  it("serves HEAD with the GET route and ignores a trailing slash", () => {
    expect(router.match("HEAD", "/api/v1/symbols")).toMatchObject({ template: "/api/v1/symbols" });
    expect(router.match("GET", "/api/v1/symbols/")).toMatchObject({ template: "/api/v1/symbols" });
  });

  it("tells an unknown path from a known path with the wrong method", () => {
    expect(router.match("GET", "/api/v1/nothing")).toBeUndefined();
    expect(router.match("GET", "/api/v1/scenarios")).toBe("method-not-allowed");
    expect(router.match("DELETE", "/api/v1/symbols")).toBe("method-not-allowed");
  });
});
