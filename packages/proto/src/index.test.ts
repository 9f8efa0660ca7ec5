import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { allFiles } from "./index.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const schemas = join(here, "..", "..", "..", "protobuf-schemas");
/** The buf modules of protobuf-schemas/buf.yaml; file names are relative to them. */
const modules = ["tse", "legacy", "third_party"];

/** Every file under `dir` whose name ends with `suffix`, relative to `dir`, with `/`. */
function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(suffix))
    .map((name) => relative(dir, join(dir, name)).split(sep).join("/"));
}

describe("allFiles", () => {
  it("lists every .proto of protobuf-schemas exactly once", () => {
    const protos = modules.flatMap((module) => filesUnder(join(schemas, module), ".proto"));
    const names = allFiles.map((file) => `${file.name}.proto`);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(protos.sort());
  });

  it("lists every generated file", () => {
    const generated = filesUnder(join(here, "gen"), "_pb.ts").map((f) => f.replace(/_pb\.ts$/, ""));
    expect(allFiles.map((file) => file.name).sort()).toEqual(generated.sort());
  });

  it("reaches the well-known types it imports through dependencies", () => {
    const dependencies = new Set(allFiles.flatMap((f) => f.dependencies.map((d) => d.name)));
    expect(dependencies).toContain("google/protobuf/timestamp");
  });

  it("exposes every service of the ecosystem", () => {
    const services = allFiles.flatMap((f) => f.services.map((s) => s.typeName));
    expect(services.sort()).toEqual([
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
      "marketdata.MarketDataService",
      "marketdata.v1.MarketDataService",
      "trading.v1.RiskService",
      "trading.v1.TradingService",
    ]);
  });

  it("cannot be changed by a consumer", () => {
    expect(Object.isFrozen(allFiles)).toBe(true);
  });
});
