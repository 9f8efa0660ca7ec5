import * as http from "node:http";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HOSTILE_STRINGS } from "./rpc-fuzz.js";

/** One REST route to fuzz: its template, and valid values of its path and query parameters. */
export interface RestFuzzRoute {
  /** The route template, e.g. `/api/v1/market/price/:asset`. */
  readonly path: string;
  /** Valid values per path parameter (`asset` → `BTC`, `BTC-USD`). */
  readonly pathValues?: Readonly<Record<string, readonly string[]>>;
  /** Every query parameter the route reads, with valid values. */
  readonly query?: Readonly<Record<string, readonly string[]>>;
  /** The route streams (SSE): a 200 is checked from its headers, then the request is dropped. */
  readonly stream?: boolean;
  /** Statuses the route may answer besides 200 and 4xx (503 for a readiness probe). */
  readonly alsoAllowed?: readonly number[];
}

/** Query values that break naive number and list parsing. */
const HOSTILE_QUERY_VALUES: readonly string[] = Object.freeze([
  "NaN",
  "Infinity",
  "-Infinity",
  "-1",
  "0",
  "-0",
  "1.5",
  "1e3",
  "0x10",
  "+1",
  " 1",
  "99999999999999999999999",
  "9007199254740993",
  "true",
  "null",
  "undefined",
  "[]",
  "{}",
  ",",
  ",,,",
  "BTC,,ETH",
  Array.from({ length: 200 }, () => "BTC").join(","),
]);

/**
 * {@link HOSTILE_STRINGS} short enough for a request line: an oversized request head is refused
 * before any route sees it (431, or the connection is closed mid-write), which is not what the
 * routes are fuzzed for.
 */
const HOSTILE_PARAMETERS = HOSTILE_STRINGS.filter((value) => value.length <= 1_000);

/** Raw (already encoded) fragments with broken or tricky percent-encoding and dot segments. */
const RAW_FRAGMENTS = [
  "%",
  "%zz",
  "%E0%A4%A",
  "%00",
  "%2e%2e%2f",
  "..",
  ".",
  "%2F",
  "%u0041",
  "%C0%AF",
];

/** Percent-encodes every byte of `value` except unreserved ASCII (lone surrogates → U+FFFD). */
function encode(value: string): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** A raw path segment or query value: a valid one, a hostile one (encoded) or a raw fragment. */
function rawValue(valid: readonly string[], hostile: readonly string[]): fc.Arbitrary<string> {
  const choices: fc.WeightedArbitrary<string>[] = [
    { arbitrary: fc.constantFrom(...hostile).map(encode), weight: 3 },
    { arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }).map(encode), weight: 2 },
    { arbitrary: fc.constantFrom(...RAW_FRAGMENTS), weight: 1 },
  ];
  if (valid.length > 0)
    choices.push({ arbitrary: fc.constantFrom(...valid).map(encode), weight: 4 });
  return fc.oneof(...choices);
}

/** A request target for `route`: every path parameter filled, query parameters hostile or not. */
function arbitraryTarget(route: RestFuzzRoute): fc.Arbitrary<string> {
  const segments = route.path
    .split("/")
    .map((segment) =>
      segment.startsWith(":")
        ? rawValue(route.pathValues?.[segment.slice(1)] ?? [], HOSTILE_PARAMETERS)
        : fc.constant(segment),
    );
  const parameter = (name: string, valid: readonly string[]) =>
    fc.array(
      rawValue(valid, [...HOSTILE_QUERY_VALUES, ...HOSTILE_PARAMETERS]).map(
        (value) => `${name}=${value}`,
      ),
      { maxLength: 2 },
    );
  const query = Object.entries(route.query ?? {}).map(([name, valid]) => parameter(name, valid));
  const unknown = fc.array(
    fc
      .tuple(rawValue([], HOSTILE_PARAMETERS), rawValue([], HOSTILE_QUERY_VALUES))
      .map(([name, value]) => `${name}=${value}`),
    { maxLength: 1 },
  );
  return fc.tuple(fc.tuple(...segments), fc.tuple(unknown, ...query)).map(([path, params]) => {
    const search = params.flat();
    return `${path.join("/")}${search.length === 0 ? "" : `?${search.join("&")}`}`;
  });
}

/** GETs `target` on 127.0.0.1:`port` over HTTP/1.1 as is (no normalisation); status and body. */
function rawGet(
  port: number,
  target: string,
  stream: boolean,
): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: "127.0.0.1", port, path: target, agent: false, timeout: 20_000 },
      (response) => {
        const status = response.statusCode ?? 0;
        const contentType = String(response.headers["content-type"] ?? "");
        if (stream && status === 200) {
          response.destroy();
          resolve({ status, contentType, body: "" });
          return;
        }
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          body += chunk;
        });
        response.on("end", () => resolve({ status, contentType, body }));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer to GET ${target}`)));
    request.on("error", reject);
  });
}

/** Statuses a hostile REST request may get: a refusal of the request, never a server fault. */
const CLIENT_STATUSES = new Set([200, 400, 404, 405, 414, 429, 431]);

/**
 * A vitest suite that fuzzes each of `routes` on a running service with hostile path and query
 * parameters (encoded hostile strings, number look-alikes, broken percent-encoding, dot
 * segments, repeated and unknown parameters), sent raw over HTTP/1.1: every answer is a 200 or a
 * 4xx — a JSON `{error:{code,message}}` body for the service's own refusals — never a 5xx, and
 * the service still serves afterwards. `numRuns` per route (env `FUZZ_RUNS` overrides it).
 */
export function describeRestFuzz(
  title: string,
  options: {
    readonly routes: readonly RestFuzzRoute[];
    /** The HTTP port of the running service. */
    readonly port: () => number;
    readonly numRuns: number;
  },
): void {
  const numRuns = Number(process.env.FUZZ_RUNS ?? options.numRuns);
  describe(title, () => {
    it.each(options.routes.map((route) => [route.path, route] as const))(
      "GET %s answers hostile parameters with 200 or a 4xx",
      async (_path, route) => {
        const port = options.port();
        await fc.assert(
          fc.asyncProperty(arbitraryTarget(route), async (target) => {
            const { status, contentType, body } = await rawGet(port, target, route.stream === true);
            const allowed = CLIENT_STATUSES.has(status) || route.alsoAllowed?.includes(status);
            expect(allowed, `${status} ${body.slice(0, 200)}`).toBe(true);
            // Node's HTTP parser answers some malformed targets itself (400/414/431, no body).
            if (status === 404 || status === 405 || status === 429) {
              expect(contentType).toMatch(/^application\/json/);
            }
            if (status >= 400 && status < 500 && contentType.startsWith("application/json")) {
              const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
              expect(typeof parsed.error?.code).toBe("string");
              expect(typeof parsed.error?.message).toBe("string");
            }
          }),
          { numRuns },
        );
        const health = await rawGet(port, "/api/v1/health", false);
        expect(health.status).toBe(200);
      },
    );
  });
}
