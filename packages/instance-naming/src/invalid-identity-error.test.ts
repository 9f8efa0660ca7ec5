import { describe, expect, it } from "vitest";
import { InvalidIdentityError } from "./invalid-identity-error.js";

describe("InvalidIdentityError", () => {
  it("is an Error carrying the variable, the rule and the value", () => {
    const error = new InvalidIdentityError("SCHEMA_NAME", "must end well", "x");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("InvalidIdentityError");
    expect(error.variable).toBe("SCHEMA_NAME");
    expect(error.reason).toBe("must end well");
    expect(error.value).toBe("x");
    expect(error.message).toBe('SCHEMA_NAME must end well, got "x"');
    expect(String(error)).toBe('InvalidIdentityError: SCHEMA_NAME must end well, got "x"');
  });

  it.each([
    ["a\nb", '"a\\nb"'],
    ["a\r\nb", '"a\\r\\nb"'],
    ["a\u2028b", '"a\\u2028b"'],
    ["a\u2029b", '"a\\u2029b"'],
    ["a\u0085b", '"a\\u0085b"'],
    ["a\u007fb", '"a\\u007fb"'],
    ["a\u001bb", '"a\\u001bb"'],
  ])("keeps the message on one line for %j", (value, shown) => {
    const error = new InvalidIdentityError("SERVICE_INSTANCE_NAME", "must be valid", value);
    expect(error.message).toBe(`SERVICE_INSTANCE_NAME must be valid, got ${shown}`);
    expect(error.message).not.toMatch(/[\n\r\u0085\u2028\u2029]/);
    expect(error.value).toBe(value);
  });

  it("shortens long values in the message but keeps them whole in value", () => {
    const value = "x".repeat(500);
    const error = new InvalidIdentityError("REDIS_NAMESPACE", "must be short", value);
    expect(error.message).toBe(`REDIS_NAMESPACE must be short, got "${"x".repeat(80)}…"`);
    expect(error.value).toBe(value);
  });
});
