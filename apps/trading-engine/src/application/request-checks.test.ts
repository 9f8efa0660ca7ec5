import { describe, expect, it } from "vitest";
import { refusalKind } from "../testing/engine-fixtures.js";
import { checkText } from "./request-checks.js";

describe("checkText", () => {
  it("returns text within the limit unchanged, unicode included", () => {
    expect(checkText("reason", "rebalance — ok ✓")).toBe("rebalance — ok ✓");
    expect(checkText("reason", "a".repeat(200))).toBe("a".repeat(200));
    expect(checkText("reason", "")).toBe("");
  });

  it("refuses text over the limit as invalid, naming the field and the limit", async () => {
    expect(await refusalKind(() => checkText("reason", "a".repeat(201)))).toBe("invalid");
    expect(() => checkText("name", "abcd", 3)).toThrow(
      "name must be at most 3 characters, without control characters",
    );
    expect(checkText("name", "abc", 3)).toBe("abc");
  });

  it.each([
    ["NUL", "\u0000"],
    ["a newline", "\n"],
    ["a carriage return", "\r"],
    ["a tab", "\t"],
    ["ESC", "\u001b"],
    ["DEL", "\u007f"],
  ])("refuses %s, which would reach stores and log lines as it is", async (_, control) => {
    expect(await refusalKind(() => checkText("reason", `stop${control}now`))).toBe("invalid");
  });
});
