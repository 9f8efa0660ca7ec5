import { timestampMs } from "@bufbuild/protobuf/wkt";
import { OrderStatus } from "@tse/proto/trading/v1/trading_pb";
import { describe, expect, it } from "vitest";
import { testDesk } from "../../testing/desk-fixtures.js";
import { marketOrder, scriptedStrategy, startStrategy, T0 } from "../../testing/engine-fixtures.js";

/** An engine holding a 2 BTC position bought at T0, behind the risk service on a test clock. */
function engineWithPosition() {
  const fixture = testDesk({ limits: { maxPositionSize: 5 } });
  startStrategy(fixture.engine, scriptedStrategy([[marketOrder("buy", 2)]]), { id: "buyer" });
  fixture.tick(9_999, 10_001, 0);
  return fixture;
}

describe("trading.v1.RiskService ForcePositionClose on a stale feed", () => {
  it("answers with a working close order that fills on the next fresh quote, after its creation", async () => {
    const { engine, portfolio, risk, wait, tick } = engineWithPosition();
    expect(portfolio.position("buyer", "BTC-USD").quantity).toBe(2);
    wait(8_000);
    const { orders } = await risk.forcePositionClose({ reason: "kill switch" });
    expect(orders).toHaveLength(1);
    const [close] = orders;
    // The truth at the time of the answer: placed and working, nothing filled on the old price.
    expect(close).toMatchObject({ status: OrderStatus.ACCEPTED, filledQuantity: 0 });
    expect(close?.fills).toEqual([]);
    expect(portfolio.position("buyer", "BTC-USD").quantity).toBe(2);

    tick(9_500, 9_502, 1_000);
    const filled = engine.order(close?.id ?? "");
    expect(filled).toMatchObject({ status: "filled", averageFillPrice: 9_500 });
    expect(filled?.fills.map((f) => f.timestamp)).toEqual([T0 + 9_000]);
    expect(close?.createdAt && timestampMs(close.createdAt)).toBe(T0 + 8_000);
    expect(portfolio.position("buyer", "BTC-USD").quantity).toBe(0);
  });
});
