import { Code, ConnectError, createClient, createRouterTransport } from "@connectrpc/connect";
import { Health } from "@tse/proto/grpc/health/v1/health_pb";
import { describe, expect, it } from "vitest";
import { boundErrorMessages, MAX_ERROR_MESSAGE_LENGTH } from "./bounded-error-messages.js";

const client = createClient(
  Health,
  createRouterTransport(
    (router) =>
      router.service(Health, {
        check(request) {
          throw new ConnectError(`unknown service ${request.service}`, Code.NotFound);
        },
        async *watch(request) {
          yield {};
          throw new ConnectError(`unknown service ${request.service}`, Code.NotFound);
        },
      }),
    { router: { interceptors: [boundErrorMessages()] } },
  ),
);

async function errorOf(act: () => Promise<unknown>): Promise<ConnectError> {
  const error = await act().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectError);
  return error as ConnectError;
}

describe("boundErrorMessages", () => {
  it("cuts a long unary or stream error message and keeps its code", async () => {
    const huge = "x".repeat(100_000);
    const unary = await errorOf(() => client.check({ service: huge }));
    const streamed = await errorOf(async () => {
      for await (const _ of client.watch({ service: huge }));
    });
    for (const error of [unary, streamed]) {
      expect(error.code).toBe(Code.NotFound);
      expect(error.rawMessage).toHaveLength(MAX_ERROR_MESSAGE_LENGTH + 1);
      expect(error.rawMessage.endsWith("…")).toBe(true);
    }
  });

  it("leaves a short message as it is", async () => {
    const error = await errorOf(() => client.check({ service: "nope" }));
    expect(error.rawMessage).toBe("unknown service nope");
  });
});
