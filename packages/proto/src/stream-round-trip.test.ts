import { create, equals, fromBinary, fromJson, toBinary, toJson } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import {
  BatchKind,
  type StreamPricesResponse,
  StreamPricesResponseSchema,
} from "./gen/marketdata/v1/market_data_pb.js";

/** A snapshot batch of two quotes, with a sequence beyond 2^53 to catch any loss to `number`. */
function snapshot(): StreamPricesResponse {
  return create(StreamPricesResponseSchema, {
    kind: BatchKind.SNAPSHOT,
    updates: [
      {
        symbol: "BTC-USD",
        last: 64_250.5,
        bid: 64_250,
        ask: 64_251,
        bidSize: 0.75,
        askSize: 1.25,
        change24h: -512.25,
        changePercent24h: -0.79,
        high24h: 65_010,
        low24h: 63_900.5,
        volume24h: 1_234.5678,
        timestamp: timestampFromMs(Date.UTC(2025, 0, 2, 3, 4, 5, 678)),
        sequence: 9_007_199_254_740_993n,
      },
      {
        symbol: "ETH-USD",
        last: 3_100.1,
        bid: 3_100,
        ask: 3_100.2,
        timestamp: timestampFromMs(Date.UTC(2025, 0, 2, 3, 4, 5, 700)),
        sequence: 1n,
      },
    ],
  });
}

describe("StreamPricesResponse round trip", () => {
  it("survives binary encoding unchanged", () => {
    const message = snapshot();
    const decoded = fromBinary(
      StreamPricesResponseSchema,
      toBinary(StreamPricesResponseSchema, message),
    );
    expect(equals(StreamPricesResponseSchema, decoded, message)).toBe(true);
    expect(decoded.updates.map((q) => q.sequence)).toEqual([9_007_199_254_740_993n, 1n]);
    expect(decoded.kind).toBe(BatchKind.SNAPSHOT);
  });

  it("survives JSON encoding unchanged, in the canonical JSON mapping", () => {
    const message = snapshot();
    const json = toJson(StreamPricesResponseSchema, message);
    expect(json).toMatchObject({
      kind: "BATCH_KIND_SNAPSHOT",
      updates: [
        {
          symbol: "BTC-USD",
          change24h: -512.25,
          // uint64 is a string in JSON, so no precision is lost.
          sequence: "9007199254740993",
          timestamp: "2025-01-02T03:04:05.678Z",
        },
        { symbol: "ETH-USD", sequence: "1" },
      ],
    });
    const decoded = fromJson(StreamPricesResponseSchema, JSON.parse(JSON.stringify(json)));
    expect(equals(StreamPricesResponseSchema, decoded, message)).toBe(true);
  });

  it("tells an update batch from a snapshot after decoding", () => {
    const update = create(StreamPricesResponseSchema, {
      kind: BatchKind.UPDATE,
      updates: [{ symbol: "SOL-USD", last: 150, sequence: 42n }],
    });
    const decoded = fromBinary(
      StreamPricesResponseSchema,
      toBinary(StreamPricesResponseSchema, update),
    );
    expect(decoded.kind).toBe(BatchKind.UPDATE);
    expect(equals(StreamPricesResponseSchema, decoded, snapshot())).toBe(false);
  });
});
