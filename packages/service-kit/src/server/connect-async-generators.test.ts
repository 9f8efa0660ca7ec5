import {
  createAsyncIterable,
  pipe,
  transformAppend,
  transformCatchFinally,
} from "@connectrpc/connect/protocol";
import { describe, expect, it } from "vitest";

// patches/@connectrpc+connect+2.1.2.patch (and the connect-node one) replace the helper that
// connect's ES2017 build runs its async generators on with a class of the same algorithm, to
// save ~8 KB of heap per open stream. These tests hold the patched generators to the behaviour
// of the native async generators they were compiled from.

type Step = "next" | "return" | "throw";
type Outcome = { resolved: IteratorResult<unknown> } | { rejected: string };

/** A source of 1, 2, 3 (or an error after `failAfter` values) that logs when its `finally` runs. */
async function* source(log: string[], failAfter?: number): AsyncGenerator<number> {
  try {
    for (let value = 1; value <= 3; value++) {
      if (value - 1 === failAfter) throw new Error(`source failed after ${failAfter}`);
      yield value;
    }
  } finally {
    log.push("source finally");
  }
}

/** What connect's `transformAppend` was compiled from, when nothing is appended. */
async function* nativePassThrough(iterable: AsyncIterable<number>): AsyncGenerator<number> {
  for await (const chunk of iterable) yield chunk;
}

/** Runs `steps` on `iterator` one after the other and records every outcome and log line. */
async function run(iterator: AsyncIterator<unknown>, steps: readonly Step[], log: string[]) {
  const outcomes: Outcome[] = [];
  for (const step of steps) {
    const call =
      step === "next"
        ? iterator.next()
        : step === "return"
          ? (iterator.return?.("stopped") ?? Promise.reject(new Error("no return")))
          : (iterator.throw?.(new Error("thrown in")) ?? Promise.reject(new Error("no throw")));
    outcomes.push(
      await call.then(
        (resolved) => ({ resolved }),
        (error: unknown) => ({ rejected: (error as Error).message }),
      ),
    );
  }
  return { outcomes, log };
}

async function compare(steps: readonly Step[], failAfter?: number) {
  const patchedLog: string[] = [];
  const patched = transformAppend<number>(() => undefined)(source(patchedLog, failAfter));
  const nativeLog: string[] = [];
  const native = nativePassThrough(source(nativeLog, failAfter));
  const [actual, expected] = await Promise.all([
    run(patched[Symbol.asyncIterator](), steps, patchedLog),
    run(native, steps, nativeLog),
  ]);
  expect(actual).toEqual(expected);
  return actual;
}

describe("connect's async generators (patched helper)", () => {
  it("run on the patched class, whose methods are shared rather than closures per generator", () => {
    const generator = createAsyncIterable([1]);
    expect(generator.constructor.name, "patches/@connectrpc+connect+2.1.2.patch not applied").toBe(
      "AsyncGeneratorOnGenerator",
    );
    expect(Object.hasOwn(generator, "next")).toBe(false);
  });

  it("yield every value, then stay done", async () => {
    const { outcomes, log } = await compare(["next", "next", "next", "next", "next"]);
    expect(outcomes.map((o) => ("resolved" in o ? o.resolved.value : o))).toEqual([
      1,
      2,
      3,
      undefined,
      undefined,
    ]);
    expect(log).toEqual(["source finally"]);
  });

  it("stop early on return(), running the source's finally", async () => {
    const { outcomes, log } = await compare(["next", "return", "next"]);
    expect(outcomes[1]).toEqual({ resolved: { done: true, value: "stopped" } });
    expect(log).toEqual(["source finally"]);
  });

  it("end at once on a return() before the first value, never starting the source", async () => {
    const { log } = await compare(["return", "next"]);
    expect(log).toEqual([]);
  });

  it("pass a source's failure to the consumer once, then stay done", async () => {
    const { outcomes } = await compare(["next", "next", "next"], 1);
    expect(outcomes[1]).toEqual({ rejected: "source failed after 1" });
    expect(outcomes[2]).toEqual({ resolved: { done: true, value: undefined } });
  });

  it("end with the error of a throw() into them, closing the source", async () => {
    const { outcomes, log } = await compare(["next", "throw", "next"]);
    expect(outcomes[1]).toEqual({ rejected: "thrown in" });
    expect(log).toEqual(["source finally"]);
  });

  it("answer next() calls made before earlier ones settled, in order", async () => {
    const patched = transformAppend<number>(() => undefined)(source([]))[Symbol.asyncIterator]();
    const results = await Promise.all([patched.next(), patched.next(), patched.next()]);
    expect(results.map((result) => result.value)).toEqual([1, 2, 3]);
  });

  it("still tell transformCatchFinally how the stream ended", async () => {
    const seen: unknown[] = [];
    const drain = async (failAfter?: number) => {
      const stream = pipe(
        source([], failAfter),
        transformCatchFinally<number>((error) => {
          seen.push(error instanceof Error ? error.message : error);
        }),
      );
      for await (const _ of stream);
    };
    await drain();
    await drain(2);
    expect(seen).toEqual([undefined, "source failed after 2"]);
  });
});
