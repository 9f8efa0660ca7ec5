import {
  create,
  type DescMessage,
  type DescMethod,
  type DescMethodUnary,
  type DescService,
  type Message,
  type MessageInitShape,
} from "@bufbuild/protobuf";
import { MethodOptions_IdempotencyLevel as Idempotency } from "@bufbuild/protobuf/wkt";
import {
  type CallOptions,
  Code,
  ConnectError,
  createClient,
  type Transport,
} from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ServerReflection } from "@tse/proto/grpc/reflection/v1/reflection_pb";
import { describe, expect, it } from "vitest";
import { fuzzTransportsOf } from "./rpc-fuzz.js";

/** Two tokens a service under {@link describeAccessControl} accepts (rotation: either works). */
export const ACCESS_TEST_TOKENS = [
  "tse-access-test-token-alpha-0123456789",
  "tse-access-test-token-bravo-9876543210",
] as const;

/** Settings a service must be started with for {@link describeAccessControl}. */
export const ACCESS_CONTROL_ENV: Readonly<Record<string, string>> = Object.freeze({
  AUTH_TOKENS: ACCESS_TEST_TOKENS.join(","),
  LOG_LEVEL: "debug",
});

/** A token no service is configured with, shaped like a real one. */
const WRONG_TOKEN = "tse-access-test-token-wrong-0000000000";

/** One state-changing unary call of the service. */
export interface GuardedWrite {
  readonly method: DescMethod & { readonly methodKind: "unary" };
  /** A request for the refusals (never reaches the handler). */
  readonly request: MessageInitShape<DescMethod["input"]>;
  /**
   * The request sent with a token, built when its turn comes (e.g. naming what an earlier
   * write created); `request` when absent. The service must answer it OK.
   */
  readonly authorizedRequest?: () => Promise<MessageInitShape<DescMethod["input"]>>;
}

/** A {@link GuardedWrite} whose requests the compiler checks against `method`'s input. */
export function guardedWrite<I extends DescMessage, O extends DescMessage>(
  method: DescMethodUnary<I, O>,
  request: MessageInitShape<I>,
  authorizedRequest?: () => Promise<MessageInitShape<I>>,
): GuardedWrite {
  return {
    method,
    request: request as MessageInitShape<DescMethod["input"]>,
    ...(authorizedRequest === undefined
      ? {}
      : {
          authorizedRequest: authorizedRequest as () => Promise<
            MessageInitShape<DescMethod["input"]>
          >,
        }),
  };
}

/** What {@link describeAccessControl} runs against. */
export interface AccessControlTarget {
  readonly httpPort: number;
  readonly grpcPort: number;
  /** Everything the process wrote so far. */
  output(): string;
}

/** The result of a call: `"ok"`, or the code it failed with. */
type Outcome = "ok" | Code;

/** Calls `method` with `request` and settles with its outcome (streams: their first message). */
async function outcomeOf(
  transport: Transport,
  method: DescMethod,
  request: Message,
  options: CallOptions,
): Promise<Outcome> {
  const client = createClient(method.parent, transport) as unknown as Record<
    string,
    (request: Message, options: CallOptions) => Promise<unknown> | AsyncIterable<unknown>
  >;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5_000);
  try {
    const call = client[method.localName] as (
      request: Message,
      options: CallOptions,
    ) => Promise<unknown> | AsyncIterable<unknown>;
    const result = call(request, { ...options, signal: controller.signal });
    if (Symbol.asyncIterator in result) {
      for await (const _ of result) break;
    } else {
      await result;
    }
    return "ok";
  } catch (error) {
    return ConnectError.from(error).code;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

const bearer = (token: string): CallOptions => ({
  headers: { authorization: `Bearer ${token}` },
});

const grpcTransportOf = (port: number) =>
  createGrpcTransport({ baseUrl: `http://127.0.0.1:${port}` });

/** The services a server lists through gRPC server reflection. */
async function reflectedServices(grpcPort: number): Promise<string[]> {
  const client = createClient(ServerReflection, grpcTransportOf(grpcPort));
  async function* ask() {
    yield { messageRequest: { case: "listServices" as const, value: "" } };
  }
  for await (const response of client.serverReflectionInfo(ask())) {
    if (response.messageResponse.case === "listServicesResponse") {
      return response.messageResponse.value.service.map((service) => service.name);
    }
  }
  throw new Error("no listServices response");
}

/**
 * The access-control contract of a service (issue 19 item 17), run against its real process
 * started with {@link ACCESS_CONTROL_ENV} (two bearer tokens, reads open):
 *
 * - every write is refused without a token, with a wrong one or with another scheme, as
 *   `Unauthenticated` over gRPC on both ports, Connect (JSON and binary) and gRPC-Web, and
 *   changes nothing (`state` reads the same before and after);
 * - a Connect write without a token is HTTP 401 with `WWW-Authenticate: Bearer`;
 * - either token lets every write through, and something changes;
 * - every RPC the server lists is classified: exactly `writes` need a token, every other method
 *   (the proto's NO_SIDE_EFFECTS ones included) answers without one; REST reads, health,
 *   readiness and /metrics stay open;
 * - no token, valid or not, appears in the process output.
 */
export function describeAccessControl(
  title: string,
  options: {
    readonly target: () => AccessControlTarget;
    /** Every service the app registers (health and reflection are the kit's). */
    readonly services: readonly DescService[];
    /** Every state-changing method, each with a request it accepts (applied in this order). */
    readonly writes: readonly GuardedWrite[];
    /** Reads what the writes could change, without a token, as comparable JSON. */
    readonly state: () => Promise<unknown>;
    /** A REST read of the service answering 200 to a plain GET. */
    readonly restPath: string;
  },
): void {
  const writePaths = options.writes.map((w) => `/${w.method.parent.typeName}/${w.method.name}`);
  const requestOf = (write: GuardedWrite) => create(write.method.input, write.request) as Message;

  describe(title, () => {
    it("refuses every write without a token on every protocol and both ports, changing nothing", async () => {
      const target = options.target();
      const before = await options.state();
      for (const { name, transport } of [
        ...fuzzTransportsOf(target),
        {
          name: "grpc on the HTTP port",
          transport: grpcTransportOf(target.httpPort),
        },
      ]) {
        for (const write of options.writes) {
          const outcome = await outcomeOf(transport, write.method, requestOf(write), {});
          expect(outcome, `${write.method.name} over ${name}`).toBe(Code.Unauthenticated);
        }
      }
      expect(await options.state()).toEqual(before);
    });

    it("refuses a wrong token, an empty one and another scheme, changing nothing", async () => {
      const target = options.target();
      const transport = grpcTransportOf(target.grpcPort);
      const before = await options.state();
      const refused = [
        bearer(WRONG_TOKEN),
        bearer(`${ACCESS_TEST_TOKENS[0]}x`),
        bearer(ACCESS_TEST_TOKENS[0].slice(0, -1)),
        { headers: { authorization: "Bearer " } },
        { headers: { authorization: `Basic ${ACCESS_TEST_TOKENS[0]}` } },
        { headers: { authorization: ACCESS_TEST_TOKENS[0] } },
      ];
      for (const write of options.writes) {
        for (const callOptions of refused) {
          const outcome = await outcomeOf(transport, write.method, requestOf(write), callOptions);
          expect(outcome, `${write.method.name} with ${JSON.stringify(callOptions)}`).toBe(
            Code.Unauthenticated,
          );
        }
      }
      expect(await options.state()).toEqual(before);
    });

    it("answers a Connect write without a token with 401 and WWW-Authenticate: Bearer", async () => {
      const { httpPort } = options.target();
      for (const path of writePaths) {
        const response = await fetch(`http://127.0.0.1:${httpPort}${path}`, {
          method: "POST",
          headers: { "Content-Type": "application/json", "Connect-Protocol-Version": "1" },
          body: "{}",
        });
        expect(response.status, path).toBe(401);
        expect(response.headers.get("www-authenticate"), path).toMatch(/^Bearer\b/);
        expect(((await response.json()) as { code: string }).code).toBe("unauthenticated");
      }
    });

    it("classifies every RPC it serves: exactly the writes need a token", async () => {
      const target = options.target();
      const served = await reflectedServices(target.grpcPort);
      const known = [
        ...options.services.map((s) => s.typeName),
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
      ];
      expect([...served].sort()).toEqual([...known].sort());
      const transport = grpcTransportOf(target.grpcPort);
      for (const service of options.services) {
        for (const method of service.methods) {
          if (method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming")
            continue;
          const path = `/${service.typeName}/${method.name}`;
          const outcome = await outcomeOf(transport, method, create(method.input), {});
          if (writePaths.includes(path)) {
            expect(outcome, path).toBe(Code.Unauthenticated);
            expect(method.idempotency, path).not.toBe(Idempotency.NO_SIDE_EFFECTS);
          } else {
            expect(outcome, path).not.toBe(Code.Unauthenticated);
          }
        }
      }
    });

    it("keeps REST reads, health, readiness and /metrics open", async () => {
      const { httpPort } = options.target();
      for (const path of [options.restPath, "/api/v1/health", "/metrics", "/api/v1/metrics"]) {
        const response = await fetch(`http://127.0.0.1:${httpPort}${path}`);
        expect(response.status, path).toBe(200);
      }
      const ready = await fetch(`http://127.0.0.1:${httpPort}/api/v1/ready`);
      expect([200, 503]).toContain(ready.status);
    });

    it("lets every write through with either token, and something changes", async () => {
      const target = options.target();
      const transports = fuzzTransportsOf(target);
      const before = await options.state();
      for (const [index, write] of options.writes.entries()) {
        const token = ACCESS_TEST_TOKENS[index % 2] as string;
        const { name, transport } = transports[index % transports.length] as {
          name: string;
          transport: Transport;
        };
        const request =
          write.authorizedRequest === undefined
            ? requestOf(write)
            : (create(write.method.input, await write.authorizedRequest()) as Message);
        const outcome = await outcomeOf(transport, write.method, request, bearer(token));
        expect(outcome, `${write.method.name} over ${name}`).toBe("ok");
      }
      expect(await options.state()).not.toEqual(before);
    });

    it("never writes a token to its output", () => {
      const output = options.target().output();
      expect(output.length).toBeGreaterThan(0);
      for (const token of [...ACCESS_TEST_TOKENS, WRONG_TOKEN]) {
        expect(output).not.toContain(token);
        expect(output).not.toContain(token.slice(0, 24));
      }
    });
  });
}
