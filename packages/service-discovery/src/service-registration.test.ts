import { describe, expect, it } from "vitest";
import {
  fromRegistrationRecord,
  parseServiceRegistration,
  type ServiceRegistration,
  ServiceRegistrationError,
  serializeServiceRegistration,
  toRegistrationRecord,
  validateServiceRegistration,
} from "./service-registration.js";

const registration: ServiceRegistration = {
  service: "market-data-simulator",
  instance: "market-data-sim-001",
  version: "0.1.0",
  host: "market-data-sim-001.internal",
  httpPort: 8080,
  grpcPort: 50051,
  status: "healthy",
  environment: "docker",
  registeredAt: new Date("2024-05-01T10:00:00.000Z"),
  lastHeartbeat: new Date("2024-05-01T10:00:30.250Z"),
};

function fieldOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof ServiceRegistrationError) return error.field;
    throw error;
  }
  throw new Error("expected a ServiceRegistrationError");
}

describe("service registration wire format (docs/data-model.md#service-discovery)", () => {
  it("serialises exactly the snake_case fields of docs/data-model.md#service-discovery, timestamps RFC 3339", () => {
    const json = JSON.parse(serializeServiceRegistration(registration)) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual([
      "service",
      "instance",
      "version",
      "host",
      "http_port",
      "grpc_port",
      "status",
      "environment",
      "registered_at",
      "last_heartbeat",
    ]);
    expect(json).toMatchObject({
      http_port: 8080,
      grpc_port: 50051,
      registered_at: "2024-05-01T10:00:00.000Z",
      last_heartbeat: "2024-05-01T10:00:30.250Z",
    });
  });

  it("round-trips", () => {
    expect(parseServiceRegistration(serializeServiceRegistration(registration))).toEqual(
      registration,
    );
  });

  it("reads what other ecosystem services write: Go RFC 3339 with nanoseconds and offsets, epoch ms, extra fields", () => {
    const parsed = fromRegistrationRecord({
      ...toRegistrationRecord(registration),
      registered_at: "2024-05-01T12:00:00.123456789+02:00",
      last_heartbeat: Date.parse("2024-05-01T10:00:30.250Z"),
      metadata: { region: "eu" },
    });
    expect(parsed.registeredAt.toISOString()).toBe("2024-05-01T10:00:00.123Z");
    expect(parsed.lastHeartbeat).toEqual(registration.lastHeartbeat);
  });

  it.each([
    ["service", { service: "Market" }],
    ["instance", { instance: "a:b" }],
    ["instance", { instance: "x".repeat(64) }],
    ["version", { version: "" }],
    ["host", { host: "two words" }],
    ["http_port", { httpPort: 0 }],
    ["http_port", { httpPort: 8080.5 }],
    ["grpc_port", { grpcPort: 65_536 }],
    ["status", { status: "Healthy" }],
    ["environment", { environment: "x".repeat(65) }],
    ["registered_at", { registeredAt: new Date(Number.NaN) }],
    ["last_heartbeat", { lastHeartbeat: new Date(Number.NaN) }],
  ] as const)("rejects a bad %s", (field, overrides) => {
    expect(fieldOf(() => validateServiceRegistration({ ...registration, ...overrides }))).toBe(
      field,
    );
    expect(fieldOf(() => serializeServiceRegistration({ ...registration, ...overrides }))).toBe(
      field,
    );
  });

  it("accepts grpc_port 0 (no separate gRPC port)", () => {
    expect(() => validateServiceRegistration({ ...registration, grpcPort: 0 })).not.toThrow();
  });

  it("rejects malformed records with the wire field named", () => {
    const record = toRegistrationRecord(registration);
    expect(fieldOf(() => parseServiceRegistration("nope"))).toBe("json");
    expect(fieldOf(() => parseServiceRegistration("[]"))).toBe("record");
    expect(fieldOf(() => fromRegistrationRecord({ ...record, http_port: "8080" }))).toBe(
      "http_port",
    );
    expect(fieldOf(() => fromRegistrationRecord({ ...record, service: undefined }))).toBe(
      "service",
    );
    expect(fieldOf(() => fromRegistrationRecord({ ...record, registered_at: "yesterday" }))).toBe(
      "registered_at",
    );
    expect(fieldOf(() => fromRegistrationRecord({ ...record, last_heartbeat: "2024-05-01" }))).toBe(
      "last_heartbeat",
    );
  });
});
