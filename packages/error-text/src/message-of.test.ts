import { describe, expect, it } from "vitest";
import { messageOf } from "./message-of.js";

describe("messageOf", () => {
  it("gives an error's message, without its name or stack", () => {
    expect(messageOf(new RangeError("price must be > 0"))).toBe("price must be > 0");
  });

  it("gives anything else thrown as its string", () => {
    expect(messageOf("connection reset")).toBe("connection reset");
    expect(messageOf(42)).toBe("42");
    expect(messageOf(undefined)).toBe("undefined");
    expect(messageOf({ toString: () => "custom" })).toBe("custom");
  });
});
