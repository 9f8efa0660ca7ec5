import { describe, expect, it } from "vitest";
import { CircuitBreakerError } from "../domain/risk/risk-manager.js";
import { testDesk } from "../testing/desk-fixtures.js";
import {
  marketOrder,
  refusalKind,
  scriptedStrategy,
  startStrategy,
} from "../testing/engine-fixtures.js";

describe("RiskDesk", () => {
  it("reports limits, breaker and utilization measured at one moment of its clock", () => {
    const { riskDesk, now } = testDesk({ limits: { maxPositionSize: 5 } });
    const status = riskDesk.status();
    expect(status.timestamp).toBe(now());
    expect(status.limits.maxPositionSize).toBe(5);
    expect(status.breaker.engaged).toBe(false);
    expect(status.utilization).toMatchObject({ totalNotional: 0, rejectedOrders: 0 });
  });

  it("engages the breaker for a checked reason, cancelling open orders, and releases it", async () => {
    const { riskDesk, engine, tick } = testDesk();
    startStrategy(
      engine,
      scriptedStrategy([[{ side: "buy", type: "limit", quantity: 1, limitPrice: 1 }]]),
      { id: "bidder" },
    );
    tick(99, 101);
    const open = engine.orders({ statuses: ["accepted"] }).map((o) => o.id);
    expect(open).toHaveLength(1);
    expect(await refusalKind(() => riskDesk.engageCircuitBreaker("bad\u0007reason"))).toBe(
      "invalid",
    );
    expect(riskDesk.breaker.engaged).toBe(false);

    expect(riskDesk.engageCircuitBreaker("")).toEqual(open);
    expect(riskDesk.breaker).toMatchObject({ engaged: true, reason: "engaged by hand" });
    expect(riskDesk.engageCircuitBreaker("again")).toEqual([]);
    riskDesk.releaseCircuitBreaker();
    expect(riskDesk.breaker.engaged).toBe(false);
  });

  it("keeps the breaker while the drawdown still breaks the limit", () => {
    const { riskDesk, engine, tick } = testDesk({ limits: { maxDrawdown: 0.1 }, capital: 1_000 });
    startStrategy(engine, scriptedStrategy([[marketOrder("buy", 10)]]), { id: "long" });
    tick(99, 101);
    tick(49, 51);
    expect(riskDesk.breaker).toMatchObject({ engaged: true, trigger: "drawdown" });
    expect(() => riskDesk.releaseCircuitBreaker()).toThrow(CircuitBreakerError);
  });

  it("refuses a limit override or a force close naming an instrument nobody has", async () => {
    const { riskDesk } = testDesk();
    expect(
      await refusalKind(() =>
        riskDesk.setRiskLimits({ instrumentMaxPositionSizes: { "DOGE-USD": 1 } }),
      ),
    ).toBe("invalid");
    expect(await refusalKind(() => riskDesk.forceClose({ instrument: "DOGE-USD" }, "why"))).toBe(
      "not_found",
    );
    expect(await refusalKind(() => riskDesk.forceClose({ instrument: "doge" }, "why"))).toBe(
      "invalid",
    );
    const limits = await riskDesk.setRiskLimits({
      instrumentMaxPositionSizes: { "ETH-USD": 3, "DOGE-USD": 0 },
    });
    expect(limits.instrumentMaxPositionSizes).toEqual({ "ETH-USD": 3 });
    expect(riskDesk.status().limits.instrumentMaxPositionSizes).toEqual({ "ETH-USD": 3 });
  });
});
