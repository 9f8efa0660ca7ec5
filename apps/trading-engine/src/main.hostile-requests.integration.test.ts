import { fileURLToPath } from "node:url";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { GetStrategyStatusRequestSchema, TradingService } from "@tse/proto/trading/v1/trading_pb";
import {
  describeHostileRequests,
  HOSTILE_REQUESTS_ENV,
  type SpawnedService,
  spawnService,
  until,
} from "@tse/service-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const entry = fileURLToPath(new URL("./main.ts", import.meta.url));

describe("trading-engine under hostile requests (real process)", () => {
  let service: SpawnedService;
  beforeAll(async () => {
    service = await spawnService(entry, {
      ...HOSTILE_REQUESTS_ENV,
      MARKET_DATA_URL: "http://127.0.0.1:9",
      MAX_STREAMS: "2",
    });
  }, 60_000);
  afterAll(async () => {
    await service?.stop("SIGKILL");
  });

  describeHostileRequests("every protocol", {
    target: () => service,
    restPath: "/api/v1/portfolio",
    unary: {
      method: TradingService.method.getStrategyStatus,
      valid: create(GetStrategyStatusRequestSchema, { strategyId: "no-such-strategy" }),
      quoting: (text) => create(GetStrategyStatusRequestSchema, { strategyId: text }),
    },
  });

  it("serves at most MAX_STREAMS update streams of each kind and ResourceExhausted past it", async () => {
    const client = createClient(
      TradingService,
      createGrpcTransport({ baseUrl: `http://127.0.0.1:${service.grpcPort}` }),
    );
    const open = (kind: "orders" | "portfolio") => {
      const controller = new AbortController();
      const stream =
        kind === "orders"
          ? client.streamOrderUpdates({}, { signal: controller.signal })
          : client.streamPortfolioUpdates({}, { signal: controller.signal });
      const iterator = stream[Symbol.asyncIterator]();
      return { first: iterator.next(), close: () => controller.abort() };
    };
    for (const kind of ["orders", "portfolio"] as const) {
      const held = [open(kind), open(kind)];
      await Promise.all(held.map((s) => s.first));
      const refused = await open(kind).first.catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ConnectError);
      expect((refused as ConnectError).code).toBe(Code.ResourceExhausted);
      held[0]?.close();
      // A slot frees once the server has seen the cancel.
      const again = await until(async () => {
        const next = open(kind);
        return next.first.then(
          () => next,
          () => undefined,
        );
      });
      again.close();
      held[1]?.close();
    }
  });
});
