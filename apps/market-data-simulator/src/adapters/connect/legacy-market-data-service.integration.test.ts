import { fileURLToPath } from "node:url";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import {
  MarketDataService as LegacyMarketDataService,
  ScenarioType,
} from "@tse/proto/marketdata/market_data_pb";
import { repoRoot, type SpawnedService, spawnService } from "@tse/service-kit/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const entry = fileURLToPath(new URL("../../main.ts", import.meta.url));

interface LegacyClient extends grpc.Client {
  getPrice(
    request: object,
    callback: (error: grpc.ServiceError | null, response: Record<string, unknown>) => void,
  ): void;
  generateSimulation(
    request: object,
    callback: (error: grpc.ServiceError | null, response: Record<string, unknown>) => void,
  ): void;
  healthCheck(
    request: object,
    callback: (error: grpc.ServiceError | null, response: Record<string, unknown>) => void,
  ): void;
  streamPrices(request: object): grpc.ClientReadableStream<Record<string, unknown>>;
  streamScenario(request: object): grpc.ClientReadableStream<Record<string, unknown>>;
}

/** Reads a server stream to its end; rejects with the stream's error. */
function readAll(
  stream: grpc.ClientReadableStream<Record<string, unknown>>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  return new Promise((resolve, reject) => {
    stream.on("data", (item: Record<string, unknown>) => items.push(item));
    stream.on("error", reject);
    stream.on("end", () => resolve(items));
  });
}

const definition = protoLoader.loadSync(
  `${repoRoot}protobuf-schemas/legacy/marketdata/market_data.proto`,
  {
    includeDirs: [`${repoRoot}protobuf-schemas/legacy`],
    keepCase: true,
    defaults: true,
    enums: String,
  },
);
const LegacyService = (
  grpc.loadPackageDefinition(definition) as unknown as {
    marketdata: { MarketDataService: grpc.ServiceClientConstructor };
  }
).marketdata.MarketDataService;

function call<T>(
  invoke: (callback: (error: grpc.ServiceError | null, response: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) =>
    invoke((error, response) => (error ? reject(error) : resolve(response))),
  );
}

describe("legacy marketdata.MarketDataService with a standard @grpc/grpc-js client", () => {
  let service: SpawnedService;
  beforeAll(async () => {
    service = await spawnService(entry, { HISTORY_BACKFILL_HOURS: "2", TICK_INTERVAL_MS: "20" });
  });
  afterAll(async () => {
    await service?.stop();
  });

  const clientOn = (port: "http" | "grpc") =>
    new LegacyService(
      `127.0.0.1:${port === "http" ? service.httpPort : service.grpcPort}`,
      grpc.credentials.createInsecure(),
    ) as unknown as LegacyClient;

  it.each(["http", "grpc"] as const)(
    "GetPrice and HealthCheck answer on the %s port",
    async (port) => {
      const client = clientOn(port);
      try {
        const price = await call<Record<string, unknown>>((cb) =>
          client.getPrice({ symbol: "BTC-USD" }, cb),
        );
        expect(price.symbol).toBe("BTC-USD");
        expect(price.price).toBeGreaterThan(0);
        expect(price.source).toBe("market-data-simulator");
        const health = await call<Record<string, unknown>>((cb) => client.healthCheck({}, cb));
        expect(health.status).toBe("SERVING");
        expect((health.details as Record<string, string>).symbols).toBe("BTC-USD,ETH-USD,SOL-USD");
        const missing = await call((cb) => client.getPrice({ symbol: "XRP-USD" }, cb)).catch(
          (e: grpc.ServiceError) => e,
        );
        expect((missing as grpc.ServiceError).code).toBe(grpc.status.NOT_FOUND);
      } finally {
        client.close();
      }
    },
  );

  it("StreamPrices sends changed prices, at most every update_interval_ms (floor 100 ms), with change_info", async () => {
    const client = clientOn("grpc");
    const stream = client.streamPrices({ symbols: ["ETH-USD"], update_interval_ms: 10 });
    const arrivals: number[] = [];
    const updates: Record<string, unknown>[] = [];
    await new Promise<void>((resolve) => {
      stream.on("data", (update: Record<string, unknown>) => {
        arrivals.push(Date.now());
        updates.push(update);
        if (updates.length === 4) {
          stream.cancel();
          resolve();
        }
      });
      stream.on("error", () => resolve());
    });
    client.close();
    // Three gaps of at least ~100 ms (timers may fire a little early).
    expect((arrivals.at(-1) as number) - (arrivals[0] as number)).toBeGreaterThanOrEqual(280);
    // Each update after the first carries a new price.
    const prices = updates.map((u) => u.price as number);
    expect(prices.every((price, i) => i === 0 || price !== prices[i - 1])).toBe(true);
    const info = updates[0]?.change_info as Record<string, number>;
    expect(info.daily_high as number).toBeGreaterThanOrEqual(info.daily_low as number);
    expect(info.daily_volume as number).toBeGreaterThan(0);
  });

  it("GenerateSimulation returns history, a simulated series and computed metrics", async () => {
    const client = clientOn("http");
    try {
      const response = await call<Record<string, unknown>>((cb) =>
        client.generateSimulation(
          { symbol: "SOL-USD", simulation_type: "MONTE_CARLO", parameters: { data_points: 60 } },
          cb,
        ),
      );
      expect(response.historical_data).toHaveLength(60);
      expect(response.simulated_data).toHaveLength(60);
      const metrics = response.similarity_metrics as Record<string, number>;
      expect(metrics.confidence_score).toBeDefined();
      expect(metrics.volatility_similarity as number).toBeGreaterThan(0);
      expect(metrics.volatility_similarity as number).toBeLessThanOrEqual(1);
      expect(metrics.confidence_score as number).toBeGreaterThan(0);
      const tooBig = await call((cb) =>
        client.generateSimulation(
          { symbol: "SOL-USD", parameters: { data_points: 10_000_000 } },
          cb,
        ),
      ).catch((e: grpc.ServiceError) => e);
      expect((tooBig as grpc.ServiceError).code).toBe(grpc.status.INVALID_ARGUMENT);
    } finally {
      client.close();
    }
  });

  it.each(["http", "grpc"] as const)(
    "StreamScenario refuses a start whose path ends after year 9999 on the %s port (gRPC)",
    async (port) => {
      const client = clientOn(port);
      try {
        const error = await readAll(
          client.streamScenario({
            symbol: "BTC-USD",
            scenario_type: "CRASH",
            start_time: { seconds: "253402300740", nanos: 0 },
            duration_minutes: 1,
          }),
        ).catch((e: grpc.ServiceError) => e);
        expect((error as grpc.ServiceError).code).toBe(grpc.status.INVALID_ARGUMENT);
      } finally {
        client.close();
      }
    },
  );

  it("StreamScenario refuses a start whose path ends after year 9999 over Connect JSON", async () => {
    const client = createClient(
      LegacyMarketDataService,
      createConnectTransport({
        baseUrl: `http://127.0.0.1:${service.httpPort}`,
        httpVersion: "1.1",
      }),
    );
    const error = await (async () => {
      for await (const _ of client.streamScenario({
        symbol: "BTC-USD",
        scenarioType: ScenarioType.CRASH,
        startTime: { seconds: 253_402_300_740n, nanos: 0 },
        durationMinutes: 1,
      }));
    })().catch((e: unknown) => ConnectError.from(e));
    expect(error?.code).toBe(Code.InvalidArgument);
  });

  it.each(["http", "grpc"] as const)(
    "StreamScenario streams a private crash path on the %s port and ends with it",
    async (port) => {
      const client = clientOn(port);
      try {
        const before = await call<Record<string, unknown>>((cb) =>
          client.getPrice({ symbol: "BTC-USD" }, cb),
        );
        const updates = await readAll(
          client.streamScenario({
            symbol: "BTC-USD",
            scenario_type: "CRASH",
            parameters: { intensity: 1 },
            duration_minutes: 2,
          }),
        );
        expect(updates).toHaveLength(121);
        expect(updates.every((u) => u.source === "scenario" && u.symbol === "BTC-USD")).toBe(true);
        const first = updates[0]?.price as number;
        const last = updates.at(-1)?.price as number;
        expect(Math.log(last / first)).toBeLessThan(-0.05);
        const info = updates.at(-1)?.change_info as Record<string, number>;
        expect(info.daily_low as number).toBeLessThanOrEqual(last);
        expect(info.daily_high as number).toBeGreaterThan(last);
        expect(info.daily_volume as number).toBeGreaterThan(0);
        const after = await call<Record<string, unknown>>((cb) =>
          client.getPrice({ symbol: "BTC-USD" }, cb),
        );
        // The live feed never saw the crash.
        expect(Math.abs(Math.log((after.price as number) / (before.price as number)))).toBeLessThan(
          0.02,
        );
        for (const [request, code] of [
          [{ symbol: "XRP-USD", scenario_type: "RALLY" }, grpc.status.NOT_FOUND],
          [{ symbol: "BTC-USD", scenario_type: 9 }, grpc.status.INVALID_ARGUMENT],
          [{ symbol: "BTC-USD", duration_minutes: -1 }, grpc.status.INVALID_ARGUMENT],
          [{ symbol: "BTC-USD", duration_minutes: 20_000 }, grpc.status.INVALID_ARGUMENT],
          [{ symbol: "BTC-USD", parameters: { intensity: 11 } }, grpc.status.INVALID_ARGUMENT],
        ] as const) {
          const error = await readAll(client.streamScenario(request)).catch(
            (e: grpc.ServiceError) => e,
          );
          expect((error as grpc.ServiceError).code).toBe(code);
        }
      } finally {
        client.close();
      }
    },
  );
});
