import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { abortableDelay } from "./abortable-delay.js";

describe("abortableDelay", () => {
  it("leaves no listener on the signal after the delay ran out", async () => {
    const controller = new AbortController();
    for (let i = 0; i < 5; i++) await abortableDelay(1, controller.signal);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("resolves at once when the signal aborts", async () => {
    const controller = new AbortController();
    const waiting = abortableDelay(60_000, controller.signal);
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
  });

  it("resolves at once, without waiting the delay, when the signal has already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = await Promise.race([
      abortableDelay(60_000, controller.signal).then(() => "resolved"),
      new Promise((resolve) => setTimeout(() => resolve("still waiting"), 50)),
    ]);
    expect(outcome).toBe("resolved");
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });
});
