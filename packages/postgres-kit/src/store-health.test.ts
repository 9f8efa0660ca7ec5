import { describe, expect, it } from "vitest";
import { postgresStoreHealth } from "./store-health.js";

const signal = new AbortController().signal;
const ok = async () => {};

describe("postgresStoreHealth", () => {
  it("is ok when the probe answers and writes do not fail", async () => {
    await expect(postgresStoreHealth(ok, signal, () => undefined)).resolves.toEqual({
      ok: true,
      detail: "ok",
    });
  });

  it("reports a failing probe before asking about writes", async () => {
    let asked = false;
    const health = await postgresStoreHealth(
      async () => {
        throw new Error("connection refused");
      },
      signal,
      () => {
        asked = true;
        return "writes failing";
      },
    );
    expect(health).toEqual({ ok: false, detail: "query failed: connection refused" });
    expect(asked).toBe(false);
  });

  it("reports the write problem when there is one", async () => {
    await expect(postgresStoreHealth(ok, signal, () => "writes failing")).resolves.toEqual({
      ok: false,
      detail: "writes failing",
    });
  });
});
