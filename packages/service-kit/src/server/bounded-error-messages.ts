import { ConnectError, type Interceptor, type StreamResponse } from "@connectrpc/connect";

/** The longest RPC error message sent, in characters; longer ones are cut and marked `…`. */
export const MAX_ERROR_MESSAGE_LENGTH = 512;

/** `error` with its message cut to {@link MAX_ERROR_MESSAGE_LENGTH}; anything else unchanged. */
function bounded(error: unknown): unknown {
  if (!(error instanceof ConnectError) || error.rawMessage.length <= MAX_ERROR_MESSAGE_LENGTH) {
    return error;
  }
  const cut = new ConnectError(
    `${error.rawMessage.slice(0, MAX_ERROR_MESSAGE_LENGTH)}…`,
    error.code,
    error.metadata,
    undefined,
    error.cause,
  );
  cut.details.push(...error.details);
  return cut;
}

/**
 * A Connect interceptor that bounds the message of every RPC error, thrown by a handler or by
 * its response stream. Refusals often quote the request (`unknown symbol "…"`); over gRPC the
 * message travels in the `grpc-message` trailer, and a trailer past the client's header limit
 * makes HTTP/2 fail the whole connection (FRAME_SIZE_ERROR, then GOAWAY) — every other call
 * multiplexed on it included. Codes, metadata and details are kept.
 */
export function boundErrorMessages(): Interceptor {
  return (next) => async (req) => {
    let res: Awaited<ReturnType<typeof next>>;
    try {
      res = await next(req);
    } catch (error) {
      throw bounded(error);
    }
    if (!res.stream) return res;
    const message: AsyncIterable<unknown> = new BoundedErrorStream(res.message);
    return { ...res, message } as StreamResponse;
  };
}

/**
 * A response stream whose failures carry bounded messages. A class with its methods on the
 * prototype: a server holds thousands of idle streams, and closures per stream would cost
 * each of them more memory.
 */
class BoundedErrorStream<T> implements AsyncIterable<T>, AsyncIterator<T> {
  #iterator: AsyncIterator<T> | undefined;

  constructor(private readonly source: AsyncIterable<T>) {}

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    return this.#source()
      .next()
      .catch((error: unknown) => {
        throw bounded(error);
      });
  }

  return(value?: unknown): Promise<IteratorResult<T>> {
    return this.#source().return?.(value) ?? Promise.resolve({ done: true, value });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    return this.#source().throw?.(error) ?? Promise.reject(error);
  }

  #source(): AsyncIterator<T> {
    this.#iterator ??= this.source[Symbol.asyncIterator]();
    return this.#iterator;
  }
}
