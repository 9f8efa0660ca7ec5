import type { DescService } from "@bufbuild/protobuf";
import { RiskService } from "@tse/proto/trading/v1/risk_pb";
import { describe, expect, it } from "vitest";
import { accessByProcedure, serviceAccess, UnclassifiedRpcError } from "./rpc-access.js";

const risk = serviceAccess(RiskService, {
  setRiskLimits: "write",
  getRiskStatus: "read",
  forcePositionClose: "write",
  enableCircuitBreaker: "write",
  disableCircuitBreaker: "write",
});
const procedures = RiskService.methods.map((m) => `/trading.v1.RiskService/${m.name}`);

describe("accessByProcedure", () => {
  it("maps every procedure to its level, the kit's health open and reflection a read", () => {
    const levels = accessByProcedure(
      [
        ...procedures,
        "/grpc.health.v1.Health/Check",
        "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
      ],
      [risk],
    );
    expect(levels.get("/trading.v1.RiskService/SetRiskLimits")).toBe("write");
    expect(levels.get("/trading.v1.RiskService/GetRiskStatus")).toBe("read");
    expect(levels.get("/grpc.health.v1.Health/Watch")).toBe("open");
    expect(levels.get("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")).toBe(
      "read",
    );
  });

  it("refuses a registered procedure nobody classified, naming it", () => {
    const partial = { service: RiskService as DescService, methods: { setRiskLimits: "write" } };
    expect(() => accessByProcedure(procedures, [partial] as never)).toThrow(UnclassifiedRpcError);
    expect(() => accessByProcedure(procedures, [partial] as never)).toThrow(
      /\/trading\.v1\.RiskService\/GetRiskStatus/,
    );
  });

  it("refuses a classification of a method the service does not have", () => {
    const extra = { service: risk.service, methods: { ...risk.methods, dropTables: "read" } };
    expect(() => accessByProcedure(procedures, [extra] as never)).toThrow(
      /RiskService\.dropTables/,
    );
  });
});
