import { describe, expect, it } from "vitest";
import { numberSchema } from "./setting.js";

describe("numberSchema", () => {
  const speed = numberSchema(0.01, 1_000);

  it("accepts decimals within the range", () => {
    expect(speed.parse("1.5")).toBe(1.5);
    expect(speed.parse(" 100 ")).toBe(100);
    expect(speed.parse(".25")).toBe(0.25);
  });

  it("refuses text, exponents, infinities and values out of range, saying which", () => {
    expect(speed.safeParse("fast").error?.issues[0]?.message).toBe("must be a number");
    expect(speed.safeParse("1e3").success).toBe(false);
    expect(speed.safeParse("Infinity").success).toBe(false);
    expect(speed.safeParse("0").error?.issues[0]?.message).toBe("must be at least 0.01");
    expect(speed.safeParse("1000.5").error?.issues[0]?.message).toBe("must be at most 1000");
  });
});
