/** A client stream a test holds open, from {@link trackStream}. */
export interface TrackedStream {
  /** Messages received so far. */
  readonly messages: number;
  /** Resolves once the stream is over: with its error, or `undefined` for a clean end. */
  readonly ended: Promise<unknown>;
}

/**
 * Runs `consume` — a loop over one client stream (RPC or HTTP body) that calls `onMessage` per
 * message — in the background and tracks it, for tests that hold many streams open across a
 * fault or a shutdown and then check how each one ended. `ended` never rejects.
 */
export function trackStream(consume: (onMessage: () => void) => Promise<void>): TrackedStream {
  let messages = 0;
  const ended = consume(() => {
    messages += 1;
  }).then(
    () => undefined,
    (error: unknown) => error ?? new Error("the stream failed without an error"),
  );
  return {
    get messages() {
      return messages;
    },
    ended,
  };
}
