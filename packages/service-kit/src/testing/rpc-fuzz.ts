import { setMaxListeners } from "node:events";
import {
  create,
  type DescEnum,
  type DescField,
  type DescMessage,
  type DescMethod,
  type DescService,
  type Message,
  ScalarType,
  toBinary,
  toJsonString,
} from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/**
 * Strings that break naive validation: empty and blank, SQL and glob metacharacters, path
 * traversal, separators of the Redis namespace, NUL and control characters, a lone surrogate,
 * non-ASCII letters and emoji, look-alikes of valid symbols, and a 100 000-character string.
 */
export const HOSTILE_STRINGS: readonly string[] = Object.freeze([
  "",
  " ",
  "'",
  '"',
  "'; drop table candles; --",
  '"; drop schema public cascade; --',
  "public",
  "pg_catalog",
  "information_schema.tables",
  "..",
  "../../etc/passwd",
  "*",
  "registry:services:*",
  "a:b:",
  "%00",
  "\u0000",
  "\u0007\r\n",
  "\ud800",
  "ünïcödé",
  "比特币-USD",
  "🚀-USD",
  "btc-usd",
  "BTC-USD ",
  "BTC--USD",
  "x".repeat(100_000),
]);

/** What {@link arbitraryMessage} should mix in so properties get past the first check. */
export interface FuzzHints {
  /** Valid values for any string field (symbols, ids the service knows). */
  readonly strings?: readonly string[];
  /** Valid values for string fields by their proto name (`strategy_id`, `symbol`, ...). */
  readonly stringsByField?: Readonly<Record<string, readonly string[]>>;
  /** Length of an oversized repeated field (default 2 000). */
  readonly oversizedRepeated?: number;
}

/** How deep nested messages are generated; deeper fields stay unset. */
const MAX_DEPTH = 3;

const INT32_EDGES = [0, 1, -1, 2 ** 31 - 1, -(2 ** 31)];
const UINT32_EDGES = [0, 1, 2 ** 32 - 1, 2 ** 31];
const INT64_EDGES = [0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n)];
const UINT64_EDGES = [0n, 1n, 2n ** 64n - 1n, 2n ** 32n, 2n ** 63n];
const DOUBLE_EDGES = [
  0,
  -0,
  1,
  -1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e15,
  -1e15,
];
/** Timestamp seconds around and beyond the valid range (0001-01-01 … 9999-12-31). */
const TIMESTAMP_SECONDS = [
  0n,
  -1n,
  1_700_000_000n,
  253_402_300_799n,
  253_402_300_800n,
  -62_135_596_800n,
  -62_135_596_801n,
  2n ** 62n,
  -(2n ** 62n),
];

function edgesOr<T>(edges: readonly T[], any: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...edges), weight: 2 },
    { arbitrary: any, weight: 1 },
  );
}

function stringArbitrary(field: DescField, hints: FuzzHints): fc.Arbitrary<string> {
  const valid = [...(hints.stringsByField?.[field.name] ?? []), ...(hints.strings ?? [])];
  const choices: fc.WeightedArbitrary<string>[] = [
    { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 3 },
    { arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }), weight: 2 },
    { arbitrary: fc.string({ unit: "binary", maxLength: 40 }), weight: 1 },
  ];
  if (valid.length > 0) choices.push({ arbitrary: fc.constantFrom(...valid), weight: 4 });
  return fc.oneof(...choices);
}

function scalarArbitrary(
  type: ScalarType,
  field: DescField,
  hints: FuzzHints,
): fc.Arbitrary<unknown> {
  switch (type) {
    case ScalarType.STRING:
      return stringArbitrary(field, hints);
    case ScalarType.BOOL:
      return fc.boolean();
    case ScalarType.BYTES:
      return fc.uint8Array({ maxLength: 64 });
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return edgesOr(DOUBLE_EDGES, fc.double());
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return edgesOr(INT32_EDGES, fc.integer());
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return edgesOr(UINT32_EDGES, fc.nat({ max: 2 ** 32 - 1 }));
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return edgesOr(INT64_EDGES, fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }));
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return edgesOr(UINT64_EDGES, fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
  }
}

/** Known values of an enum, and unknown ones (open enums keep them on the wire). */
function enumArbitrary(desc: DescEnum): fc.Arbitrary<number> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...desc.values.map((v) => v.number)), weight: 3 },
    { arbitrary: fc.constantFrom(-1, 99, 2 ** 31 - 1, -(2 ** 31)), weight: 1 },
  );
}

function messageArbitrary(
  desc: DescMessage,
  hints: FuzzHints,
  depth: number,
): fc.Arbitrary<unknown> {
  if (desc.typeName === "google.protobuf.Timestamp") {
    return fc
      .record({
        seconds: edgesOr(TIMESTAMP_SECONDS, fc.bigInt({ min: 0n, max: 4_000_000_000n })),
        nanos: edgesOr([0, -1, 999_999_999, 1_000_000_000, 2 ** 31 - 1], fc.nat(999_999_999)),
      })
      .map((init) => create(desc, init));
  }
  return arbitraryMessage(desc, hints, depth + 1);
}

function elementArbitrary(
  field: DescField,
  hints: FuzzHints,
  depth: number,
): fc.Arbitrary<unknown> {
  if (field.fieldKind === "list") {
    if (field.listKind === "scalar") return scalarArbitrary(field.scalar, field, hints);
    if (field.listKind === "enum") return enumArbitrary(field.enum);
    return messageArbitrary(field.message, hints, depth);
  }
  if (field.fieldKind === "map") {
    if (field.mapKind === "scalar") return scalarArbitrary(field.scalar, field, hints);
    if (field.mapKind === "enum") return enumArbitrary(field.enum);
    return messageArbitrary(field.message, hints, depth);
  }
  if (field.fieldKind === "scalar") return scalarArbitrary(field.scalar, field, hints);
  if (field.fieldKind === "enum") return enumArbitrary(field.enum);
  return messageArbitrary(field.message, hints, depth);
}

function fieldArbitrary(field: DescField, hints: FuzzHints, depth: number): fc.Arbitrary<unknown> {
  const element = elementArbitrary(field, hints, depth);
  if (field.fieldKind === "list") {
    const oversized = hints.oversizedRepeated ?? 2_000;
    return fc.oneof(
      { arbitrary: fc.array(element, { maxLength: 4 }), weight: 4 },
      {
        arbitrary: element
          .filter((value) => encodedSize(field, value) <= 1_024)
          .map((value) => Array.from({ length: oversized }, () => value)),
        weight: 1,
      },
    );
  }
  if (field.fieldKind === "map") {
    const key =
      field.mapKey === ScalarType.STRING
        ? stringArbitrary(field, hints)
        : (
            scalarArbitrary(field.mapKey, field, hints) as fc.Arbitrary<number | bigint | boolean>
          ).map(String);
    return fc.dictionary(key, element, { maxKeys: 4 });
  }
  return element;
}

/**
 * A fast-check arbitrary of `desc` messages built from the descriptor alone, for fuzzing an RPC:
 * each field is missing or holds a hostile value for its type — NaN, ±Infinity, -0, extremes and
 * negatives for numbers; empty, unicode, binary and {@link HOSTILE_STRINGS} for strings (mixed
 * with the valid `hints`); unknown enum values; Timestamps outside the valid range or with
 * invalid nanos; repeated fields empty, short or oversized; every oneof case or none. Nested
 * messages are generated the same way down to a small depth.
 */
function arbitraryMessage(
  desc: DescMessage,
  hints: FuzzHints = {},
  depth = 0,
): fc.Arbitrary<Message> {
  if (depth >= MAX_DEPTH) return fc.constant(create(desc));
  const parts: Record<string, fc.Arbitrary<unknown>> = {};
  for (const member of desc.members) {
    if (member.kind === "oneof") {
      parts[member.localName] = fc.oneof(
        fc.constant(undefined),
        ...member.fields.map((field) =>
          fieldArbitrary(field, hints, depth).map((value) => ({ case: field.localName, value })),
        ),
      );
    } else {
      parts[member.localName] = fc.option(fieldArbitrary(member, hints, depth), {
        nil: undefined,
        freq: 3,
      });
    }
  }
  return fc.record(parts).map((init) => {
    const defined = Object.fromEntries(Object.entries(init).filter(([, v]) => v !== undefined));
    return create(desc, defined as never) as Message;
  });
}

/** A transport to fuzz through, and whether it carries JSON (which cannot encode every value). */
export interface FuzzTransport {
  readonly name: string;
  readonly transport: Transport;
  readonly json: boolean;
}

/**
 * Every protocol a service serves, for fuzzing its process: gRPC on the gRPC port (h2c), and on
 * the HTTP port Connect binary over HTTP/1.1, Connect JSON over h2c and gRPC-Web over HTTP/1.1.
 */
export function fuzzTransportsOf(ports: {
  readonly httpPort: number;
  readonly grpcPort: number;
}): FuzzTransport[] {
  const http = `http://127.0.0.1:${ports.httpPort}`;
  return [
    {
      name: "grpc",
      json: false,
      transport: createGrpcTransport({ baseUrl: `http://127.0.0.1:${ports.grpcPort}` }),
    },
    {
      name: "connect+proto/http1.1",
      json: false,
      transport: createConnectTransport({
        baseUrl: http,
        httpVersion: "1.1",
        useBinaryFormat: true,
      }),
    },
    {
      name: "connect+json/h2c",
      json: true,
      transport: createConnectTransport({ baseUrl: http, httpVersion: "2" }),
    },
    {
      name: "grpc-web/http1.1",
      json: false,
      transport: createGrpcWebTransport({ baseUrl: http, httpVersion: "1.1" }),
    },
  ];
}

/** The outcome of one fuzzed call: `ok`, or the code and message the server answered with. */
type RpcOutcome = { readonly code: "ok" } | { readonly code: Code; readonly message: string };

/**
 * Calls `method` with `request` through `transport`: a unary call to its end, a server stream
 * until `streamMessages` (default 1) responses have arrived (then cancelled). Resolves with the outcome;
 * rejects only for something that is not a ConnectError.
 */
async function callRpc(
  transport: Transport,
  method: DescMethod,
  request: Message,
  options: { readonly timeoutMs?: number; readonly streamMessages?: number } = {},
): Promise<RpcOutcome> {
  const client = createClient(method.parent, transport) as unknown as Record<
    string,
    (request: Message, options: object) => unknown
  >;
  const call = client[method.localName] as (request: Message, options: object) => unknown;
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  try {
    if (method.methodKind === "unary") {
      await call(request, { timeoutMs: options.timeoutMs ?? 20_000 });
      return { code: "ok" };
    }
    if (method.methodKind !== "server_streaming") {
      throw new Error(`${method.name}: only unary and server-streaming methods are fuzzed`);
    }
    let received = 0;
    const stream = call(request, {
      timeoutMs: options.timeoutMs ?? 20_000,
      signal: controller.signal,
    }) as AsyncIterable<unknown>;
    for await (const _ of stream) {
      received += 1;
      if (received >= (options.streamMessages ?? 1)) break;
    }
    return { code: "ok" };
  } catch (error) {
    if (error instanceof ConnectError) return { code: error.code, message: error.rawMessage };
    throw error;
  } finally {
    controller.abort();
  }
}

/** What {@link describeRpcFuzz} fuzzes, resolved once the service runs. */
export interface RpcFuzzTarget {
  /** The transports to alternate between (a JSON one falls back to a binary one per value). */
  readonly transports: readonly FuzzTransport[];
  /** Resolves when the service still serves (e.g. its health endpoint answers 200). */
  readonly stillServing: () => Promise<boolean>;
}

/** The codes a malformed request may get: a refusal of the request, never a server fault. */
export const CLIENT_ERROR_CODES: readonly Code[] = Object.freeze([
  Code.InvalidArgument,
  Code.NotFound,
  Code.AlreadyExists,
  Code.FailedPrecondition,
  Code.OutOfRange,
  Code.ResourceExhausted,
]);

/**
 * A vitest suite that fuzzes every method of `services` with {@link arbitraryMessage} requests
 * through the target's transports (alternating per run): each answer must be OK or one of
 * `allowedCodes` (default {@link CLIENT_ERROR_CODES}) — never `Internal`, `Unknown`, a timeout
 * or a broken connection — and the service must still serve after each method. `numRuns` per
 * method (env `FUZZ_RUNS` overrides it).
 */
export function describeRpcFuzz(
  title: string,
  options: {
    readonly services: readonly DescService[];
    readonly target: () => RpcFuzzTarget;
    readonly hints?: FuzzHints;
    readonly numRuns: number;
    readonly allowedCodes?: readonly Code[];
  },
): void {
  const allowed = new Set<RpcOutcome["code"]>([
    "ok",
    ...(options.allowedCodes ?? CLIENT_ERROR_CODES),
  ]);
  const numRuns = Number(process.env.FUZZ_RUNS ?? options.numRuns);
  const methods = options.services.flatMap((service) => service.methods);
  describe(title, () => {
    it.each(methods.map((method) => [`${method.parent.typeName}/${method.name}`, method] as const))(
      "%s answers every hostile request with OK or a client-error code",
      async (_name, method) => {
        const { transports, stillServing } = options.target();
        const binary = transports.filter((t) => !t.json);
        await fc.assert(
          fc.asyncProperty(
            arbitraryMessage(method.input, options.hints),
            fc.nat(transports.length - 1),
            async (request, pick) => {
              let via = transports[pick] as FuzzTransport;
              if (via.json && !encodesAsJson(method.input, request)) {
                via = binary[pick % binary.length] as FuzzTransport;
              }
              const outcome = await callRpc(via.transport, method, request);
              const shown =
                outcome.code === "ok" ? "ok" : `${Code[outcome.code]}: ${outcome.message}`;
              expect(allowed.has(outcome.code), `${via.name}: ${shown}`).toBe(true);
            },
          ),
          { numRuns },
        );
        expect(await stillServing()).toBe(true);
      },
    );
  });
}

/** Roughly how many bytes one element of a repeated field takes (exact for messages). */
function encodedSize(field: DescField, value: unknown): number {
  if (typeof value === "string") return Buffer.byteLength(value);
  if (value instanceof Uint8Array) return value.length;
  if (field.message !== undefined && typeof value === "object" && value !== null) {
    return toBinary(field.message, value as never).length;
  }
  return 16;
}

function encodesAsJson(desc: DescMessage, message: Message): boolean {
  try {
    toJsonString(desc, message as never);
    return true;
  } catch {
    return false;
  }
}
