import { describe, expect, it } from "vitest";
import { exposureWarning } from "./exposure-warning.js";

const open = { tokens: [], protectReads: false };

describe("exposureWarning", () => {
  it.each(["0.0.0.0", "::", "10.1.2.3", "trading.internal"])(
    "warns of %s without tokens",
    (host) => {
      expect(exposureWarning(host, open)).toMatch(/without AUTH_TOKENS/);
    },
  );

  it.each(["127.0.0.1", "::1", "localhost", "LOCALHOST"])("is quiet on loopback %s", (host) => {
    expect(exposureWarning(host, open)).toBeUndefined();
  });

  it("is quiet with tokens", () => {
    expect(
      exposureWarning("0.0.0.0", { tokens: ["t".repeat(20)], protectReads: false }),
    ).toBeUndefined();
  });
});
