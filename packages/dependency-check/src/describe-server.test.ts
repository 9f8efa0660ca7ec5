import { describe, expect, it } from "vitest";
import { configuredUrl, describeServer } from "./describe-server.js";

describe("describeServer", () => {
  it("shows host, port and database, never the credentials", () => {
    expect(describeServer("postgres://trader:secret@db.internal:5432/trading")).toBe(
      "db.internal:5432/trading",
    );
    expect(describeServer("redis://user:pw@127.0.0.1:6379")).toBe("127.0.0.1:6379");
  });

  it("says so instead of throwing on a URL it cannot parse", () => {
    expect(describeServer("not a url")).toBe("(unparseable URL)");
  });
});

describe("configuredUrl", () => {
  it("reads an absent or blank setting as none", () => {
    expect(configuredUrl(undefined)).toBeUndefined();
    expect(configuredUrl("  ")).toBeUndefined();
    expect(configuredUrl("redis://127.0.0.1:6379")).toBe("redis://127.0.0.1:6379");
  });
});
