import {
  create,
  type DescEnum,
  type DescField,
  type DescMessage,
  fromBinary,
  ScalarType,
  toBinary,
} from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  file_marketdata_market_data,
  GetPriceRequestSchema,
  MarketDataService,
  PriceUpdateSchema,
} from "./gen/marketdata/market_data_pb.js";

/**
 * The legacy wire contract, transcribed from docs/protocols.md#legacy-and-v1: message → field name
 * → [number, type in proto syntax]. Types are written as in a .proto file, with fully-qualified
 * names for messages and enums.
 */
const legacyMessages: Record<string, Record<string, [number, string]>> = {
  GetPriceRequest: { symbol: [1, "string"] },
  GetPriceResponse: {
    symbol: [1, "string"],
    price: [2, "double"],
    timestamp: [3, "google.protobuf.Timestamp"],
    source: [4, "string"],
  },
  StreamPricesRequest: {
    symbols: [1, "repeated string"],
    update_interval_ms: [2, "int32"],
  },
  PriceUpdate: {
    symbol: [1, "string"],
    price: [2, "double"],
    volume: [3, "double"],
    timestamp: [4, "google.protobuf.Timestamp"],
    source: [5, "string"],
    change_info: [6, "marketdata.PriceChangeInfo"],
  },
  PriceChangeInfo: {
    change_amount: [1, "double"],
    change_percentage: [2, "double"],
    daily_high: [3, "double"],
    daily_low: [4, "double"],
    daily_volume: [5, "double"],
  },
  SimulationRequest: {
    symbol: [1, "string"],
    start_time: [2, "google.protobuf.Timestamp"],
    end_time: [3, "google.protobuf.Timestamp"],
    simulation_type: [4, "marketdata.SimulationType"],
    parameters: [5, "marketdata.SimulationParameters"],
  },
  SimulationResponse: {
    symbol: [1, "string"],
    historical_data: [2, "repeated marketdata.PricePoint"],
    simulated_data: [3, "repeated marketdata.PricePoint"],
    similarity_metrics: [4, "marketdata.StatisticalMetrics"],
    simulation_id: [5, "string"],
  },
  ScenarioRequest: {
    symbol: [1, "string"],
    scenario_type: [2, "marketdata.ScenarioType"],
    parameters: [3, "marketdata.ScenarioParameters"],
    start_time: [4, "google.protobuf.Timestamp"],
    duration_minutes: [5, "int32"],
  },
  PricePoint: {
    timestamp: [1, "google.protobuf.Timestamp"],
    open: [2, "double"],
    high: [3, "double"],
    low: [4, "double"],
    close: [5, "double"],
    volume: [6, "double"],
  },
  StatisticalMetrics: {
    correlation_coefficient: [1, "double"],
    volatility_similarity: [2, "double"],
    return_distribution_similarity: [3, "double"],
    trend_similarity: [4, "double"],
    confidence_score: [5, "double"],
  },
  SimulationParameters: {
    volatility_factor: [1, "double"],
    trend_factor: [2, "double"],
    data_points: [3, "int32"],
    include_noise: [4, "bool"],
    noise_level: [5, "double"],
  },
  ScenarioParameters: {
    intensity: [1, "double"],
    duration_factor: [2, "double"],
    recovery_factor: [3, "double"],
    gradual_transition: [4, "bool"],
  },
  HealthCheckRequest: { service: [1, "string"] },
  HealthCheckResponse: {
    status: [1, "marketdata.HealthStatus"],
    message: [2, "string"],
    timestamp: [3, "google.protobuf.Timestamp"],
    details: [4, "map<string, string>"],
  },
};

/** The legacy enums of docs/protocols.md#legacy-and-v1: enum → value name → number. */
const legacyEnums: Record<string, Record<string, number>> = {
  SimulationType: {
    STATISTICAL_SIMILARITY: 0,
    MONTE_CARLO: 1,
    BROWNIAN_MOTION: 2,
    MEAN_REVERSION: 3,
    TREND_FOLLOWING: 4,
  },
  ScenarioType: {
    RALLY: 0,
    CRASH: 1,
    DIVERGENCE: 2,
    MEAN_REVERTING: 3,
    VOLATILITY_SPIKE: 4,
    CONSOLIDATION: 5,
  },
  HealthStatus: { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 },
};

/** The legacy RPCs: name → [method kind, request type, response type]. */
const legacyRpcs: Record<string, [string, string, string]> = {
  GetPrice: ["unary", "GetPriceRequest", "GetPriceResponse"],
  StreamPrices: ["server_streaming", "StreamPricesRequest", "PriceUpdate"],
  GenerateSimulation: ["unary", "SimulationRequest", "SimulationResponse"],
  StreamScenario: ["server_streaming", "ScenarioRequest", "PriceUpdate"],
  HealthCheck: ["unary", "HealthCheckRequest", "HealthCheckResponse"],
};

/** Renders the type of a scalar, as spelled in a .proto file (`double`, `int32`, ...). */
function scalarName(scalar: ScalarType): string {
  return ScalarType[scalar].toLowerCase();
}

/** Renders a field's type as it would be declared in a .proto file. */
function fieldType(field: DescField): string {
  switch (field.fieldKind) {
    case "scalar":
      return scalarName(field.scalar);
    case "enum":
      return field.enum.typeName;
    case "message":
      return field.message.typeName;
    case "list":
      switch (field.listKind) {
        case "scalar":
          return `repeated ${scalarName(field.scalar)}`;
        case "enum":
          return `repeated ${field.enum.typeName}`;
        case "message":
          return `repeated ${field.message.typeName}`;
      }
      throw new Error("unexpected list kind");
    case "map": {
      const key = scalarName(field.mapKey);
      switch (field.mapKind) {
        case "scalar":
          return `map<${key}, ${scalarName(field.scalar)}>`;
        case "enum":
          return `map<${key}, ${field.enum.typeName}>`;
        case "message":
          return `map<${key}, ${field.message.typeName}>`;
      }
    }
  }
}

function legacyMessage(name: string): DescMessage {
  const message = file_marketdata_market_data.messages.find((m) => m.name === name);
  if (message === undefined) throw new Error(`marketdata.${name} is missing`);
  return message;
}

function legacyEnum(name: string): DescEnum {
  const found = file_marketdata_market_data.enums.find((e) => e.name === name);
  if (found === undefined) throw new Error(`marketdata.${name} is missing`);
  return found;
}

describe("legacy marketdata contract (docs/protocols.md#legacy-and-v1)", () => {
  it("lives in package marketdata and declares exactly the listed messages and enums", () => {
    expect(file_marketdata_market_data.proto.package).toBe("marketdata");
    expect(file_marketdata_market_data.messages.map((m) => m.name).sort()).toEqual(
      Object.keys(legacyMessages).sort(),
    );
    expect(file_marketdata_market_data.enums.map((e) => e.name).sort()).toEqual(
      Object.keys(legacyEnums).sort(),
    );
  });

  describe.each(Object.entries(legacyMessages))("message %s", (messageName, fields) => {
    const message = legacyMessage(messageName);

    it("is marketdata.<name> and has no field beyond the listed ones", () => {
      expect(message.typeName).toBe(`marketdata.${messageName}`);
      expect(message.fields.map((f) => f.name).sort()).toEqual(Object.keys(fields).sort());
      expect(message.oneofs).toEqual([]);
    });

    it.each(Object.entries(fields))("field %s has number and type %j", (fieldName, expected) => {
      const field = message.fields.find((f) => f.name === fieldName);
      expect(field, `${messageName}.${fieldName}`).toBeDefined();
      if (field === undefined) return;
      expect([field.number, fieldType(field)]).toEqual(expected);
      // Proto3 implicit presence, as in the original: no `optional` keyword anywhere.
      expect(field.proto.proto3Optional).toBe(false);
    });
  });

  describe.each(Object.entries(legacyEnums))("enum %s", (enumName, values) => {
    it("has exactly the listed unprefixed values and numbers", () => {
      const desc = legacyEnum(enumName);
      expect(desc.typeName).toBe(`marketdata.${enumName}`);
      expect(Object.fromEntries(desc.values.map((v) => [v.name, v.number]))).toEqual(values);
      expect(desc.values).toHaveLength(Object.keys(values).length);
    });
  });

  it("serves marketdata.MarketDataService with exactly the listed RPCs", () => {
    expect(MarketDataService.typeName).toBe("marketdata.MarketDataService");
    expect(MarketDataService.methods.map((m) => m.name).sort()).toEqual(
      Object.keys(legacyRpcs).sort(),
    );
  });

  it.each(Object.entries(legacyRpcs))(
    "RPC %s has its procedure path, kind and types",
    (rpc, [kind, input, output]) => {
      const method = MarketDataService.methods.find((m) => m.name === rpc);
      expect(method, rpc).toBeDefined();
      if (method === undefined) return;
      // Connect, gRPC and gRPC-Web all route by "/<package>.<Service>/<Method>".
      expect(`/${method.parent.typeName}/${method.name}`).toBe(
        `/marketdata.MarketDataService/${rpc}`,
      );
      expect(method.methodKind).toBe(kind);
      expect(method.input.typeName).toBe(`marketdata.${input}`);
      expect(method.output.typeName).toBe(`marketdata.${output}`);
    },
  );

  it("encodes a GetPriceRequest byte for byte as the original service does", () => {
    const bytes = toBinary(GetPriceRequestSchema, create(GetPriceRequestSchema, { symbol: "BTC" }));
    // Field 1, wire type 2 (length-delimited) = 0x0a; length 3; "BTC".
    expect([...bytes]).toEqual([0x0a, 0x03, 0x42, 0x54, 0x43]);
  });

  it("decodes a PriceUpdate written by hand from the field numbers", () => {
    // symbol=1 "ETH"; price=2 double 2.5 (fixed64); change_info=6 { daily_high=3 double 4 }.
    const bytes = new Uint8Array([
      0x0a, 0x03, 0x45, 0x54, 0x48, 0x11, 0, 0, 0, 0, 0, 0, 0x04, 0x40, 0x32, 0x09, 0x19, 0, 0, 0,
      0, 0, 0, 0x10, 0x40,
    ]);
    const update = fromBinary(PriceUpdateSchema, bytes);
    expect(update.symbol).toBe("ETH");
    expect(update.price).toBe(2.5);
    expect(update.changeInfo?.dailyHigh).toBe(4);
  });
});
