import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./create-logger.js";
import { redactDeep, redactSecrets } from "./redact.js";

describe("redactSecrets", () => {
  it.each([
    ["postgres://app:s3cret@db:5432/x", "postgres://app:***@db:5432/x"],
    [
      "connect to redis://default:p%40ss@127.0.0.1:6379 failed",
      "connect to redis://default:***@127.0.0.1:6379 failed",
    ],
    ["rediss://:onlypass@host", "rediss://:***@host"],
    ["http://host:8080/path", "http://host:8080/path"],
    ["no url here", "no url here"],
    ["sent Authorization: Bearer abc.DEF-123_~+/==", "sent Authorization: Bearer ***"],
    ["bearer s3cr3t-token-value, then", "bearer ***, then"],
  ])("%s", (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it("redacts nested strings and secret-named fields", () => {
    expect(
      redactDeep({ url: "postgres://u:pw@h/d", nested: [{ password: "x", token: 1 }], port: 5 }),
    ).toEqual({
      url: "postgres://u:***@h/d",
      nested: [{ password: "***", token: "***" }],
      port: 5,
    });
  });

  it("redacts tokens under any secret-suffixed name and request headers", () => {
    expect(
      redactDeep({
        authTokens: ["a", "b"],
        marketDataAuthToken: "t",
        authTokensFile: "/run/secrets/tokens",
        headers: { authorization: "Bearer x", cookie: "s=1", "x-api-key": "k", host: "h" },
        tokenCount: 2,
      }),
    ).toEqual({
      authTokens: "***",
      marketDataAuthToken: "***",
      authTokensFile: "/run/secrets/tokens",
      headers: { authorization: "***", cookie: "***", "x-api-key": "***", host: "h" },
      tokenCount: 2,
    });
  });
});

describe("createLogger", () => {
  it("stamps identity on every line and redacts secrets", () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    const logger = createLogger({
      identity: {
        service: "market-data-simulator",
        instance: "sim-1",
        environment: "test",
        version: "9.9.9",
      },
      level: "info",
      destination,
    });
    logger.info({ postgresUrl: "postgres://app:hunter2@db/x" }, "using redis://u:hunter3@r:6379");
    logger.debug("not shown at info");
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? "{}");
    expect(line).toMatchObject({
      level: "info",
      service: "market-data-simulator",
      instance: "sim-1",
      environment: "test",
      version: "9.9.9",
      postgresUrl: "postgres://app:***@db/x",
      msg: "using redis://u:***@r:6379",
    });
    expect(lines[0]).not.toMatch(/hunter/);
  });
});
