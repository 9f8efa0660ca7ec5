import type { DescService } from "@bufbuild/protobuf";
import { MethodOptions_IdempotencyLevel as Idempotency } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { MarketDataService } from "./gen/marketdata/v1/market_data_pb.js";
import { RiskService } from "./gen/trading/v1/risk_pb.js";
import { TradingService } from "./gen/trading/v1/trading_pb.js";

type Kind = "unary" | "server_streaming";

/**
 * What each RPC must be: its kind, and whether it is read-only (NO_SIDE_EFFECTS, so Connect
 * clients may use HTTP GET). Request and response types are `<Rpc>Request` / `<Rpc>Response`.
 */
interface RpcSpec {
  readonly kind: Kind;
  readonly readOnly: boolean;
}

const unaryRead: RpcSpec = { kind: "unary", readOnly: true };
const unaryWrite: RpcSpec = { kind: "unary", readOnly: false };
const stream: RpcSpec = { kind: "server_streaming", readOnly: false };

/** docs/protocols.md#rpc-services: the new market data API. */
const marketDataRpcs: Record<string, RpcSpec> = {
  ListSymbols: unaryRead,
  GetQuote: unaryRead,
  StreamPrices: stream,
  GetCandles: unaryRead,
  StreamCandles: stream,
  GetOrderBook: unaryRead,
  GetRecentTrades: unaryRead,
  GetMarketSnapshot: unaryRead,
  GenerateSimulation: unaryRead,
  StartScenario: unaryWrite,
  StopScenario: unaryWrite,
  ListScenarios: unaryRead,
  StreamScenarioPreview: stream,
};

/** docs/protocols.md#rpc-services: the trading API. */
const tradingRpcs: Record<string, RpcSpec> = {
  StartStrategy: unaryWrite,
  StopStrategy: unaryWrite,
  PauseStrategy: unaryWrite,
  ResumeStrategy: unaryWrite,
  GetStrategyStatus: unaryRead,
  ListStrategies: unaryRead,
  GetPositions: unaryRead,
  GetPortfolio: unaryRead,
  ListOrders: unaryRead,
  CancelOrder: unaryWrite,
  StreamOrderUpdates: stream,
  StreamPortfolioUpdates: stream,
};

/** docs/protocols.md#rpc-services: the risk API. */
const riskRpcs: Record<string, RpcSpec> = {
  SetRiskLimits: unaryWrite,
  GetRiskStatus: unaryRead,
  ForcePositionClose: unaryWrite,
  EnableCircuitBreaker: unaryWrite,
  DisableCircuitBreaker: unaryWrite,
};

const services: [string, DescService, Record<string, RpcSpec>][] = [
  ["marketdata.v1.MarketDataService", MarketDataService, marketDataRpcs],
  ["trading.v1.TradingService", TradingService, tradingRpcs],
  ["trading.v1.RiskService", RiskService, riskRpcs],
];

describe.each(services)("%s", (typeName, service, rpcs) => {
  const pkg = typeName.slice(0, typeName.lastIndexOf("."));

  it("has exactly the RPCs of the design", () => {
    expect(service.typeName).toBe(typeName);
    expect(service.methods.map((m) => m.name).sort()).toEqual(Object.keys(rpcs).sort());
  });

  it.each(Object.entries(rpcs))("%s has its kind, types and idempotency", (rpc, spec) => {
    const method = service.methods.find((m) => m.name === rpc);
    expect(method, rpc).toBeDefined();
    if (method === undefined) return;
    expect(method.methodKind).toBe(spec.kind);
    expect(method.input.typeName).toBe(`${pkg}.${rpc}Request`);
    expect(method.output.typeName).toBe(`${pkg}.${rpc}Response`);
    if (spec.readOnly) {
      expect(method.idempotency).toBe(Idempotency.NO_SIDE_EFFECTS);
    } else {
      expect(method.idempotency).not.toBe(Idempotency.NO_SIDE_EFFECTS);
    }
  });
});
