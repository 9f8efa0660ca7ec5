import { describe, expect, it } from "vitest";
import { interleavedRounds } from "./interleaved-rounds.js";

describe("interleavedRounds", () => {
  it("alternates which side runs first, resets before each trial and drops warm-up rounds", async () => {
    const order: string[] = [];
    const result = await interleavedRounds({
      rounds: 2,
      warmup: 1,
      reset: async () => void order.push("reset"),
      candidate: async (round) => {
        order.push(`c${round}`);
        return 10;
      },
      baseline: async (round) => {
        order.push(`b${round}`);
        return 10;
      },
    });
    expect(order.filter((step) => step !== "reset")).toEqual(["c0", "b0", "b1", "c1", "c2", "b2"]);
    expect(order.filter((step) => step === "reset")).toHaveLength(6);
    expect(result.candidate.rounds).toBe(2);
    expect(result.baseline.rounds).toBe(2);
  });

  it("reports units per second of the injected clock", async () => {
    let now = 0n;
    const result = await interleavedRounds({
      rounds: 3,
      warmup: 0,
      clock: () => now,
      candidate: async () => {
        now += 2_000_000_000n;
        return 100;
      },
      baseline: async () => {
        now += 500_000_000n;
        return 100;
      },
    });
    expect(result.candidate.median).toBe(50);
    expect(result.baseline.median).toBe(200);
  });
});
