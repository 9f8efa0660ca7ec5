// The Connect protocol (https://connectrpc.com/docs/protocol) over fetch, with JSON: enough of
// it for this page, so that it needs no client library and no build step.
import { accessRefused, authorizationHeaders } from "./access-token.js";

/** A failed RPC: the Connect error code (`not_found`, `unavailable`, …) and its message. */
export class RpcError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = "RpcError";
    this.code = code;
  }
}

const END_STREAM_FLAG = 0x02;

/**
 * The error of a failed call: `unauthenticated` gets the page's explanation (and opens the
 * token control), anything else the server's message.
 *
 * @param {string | undefined} code
 * @param {string | undefined} message
 * @param {number} status
 */
function rpcError(code, message, status) {
  if (code === "unauthenticated" || status === 401) {
    return new RpcError("unauthenticated", accessRefused());
  }
  return new RpcError(code ?? "unknown", message ?? `HTTP ${status}`);
}

/**
 * Calls a unary RPC at `/<package.Service>/<Method>` of this origin with a JSON request (and the
 * access token, when one is set) and resolves with the JSON response. Rejects with
 * {@link RpcError} when the server answers with an error, and with the fetch error when the
 * network fails or `signal` aborts.
 *
 * @template T the response message's JSON shape
 * @param {string} procedure e.g. `marketdata.v1.MarketDataService/ListScenarios`
 * @param {object} request the request message in the protobuf JSON mapping
 * @param {AbortSignal} [signal]
 * @returns {Promise<T>}
 */
export async function callUnary(procedure, request, signal) {
  const response = await fetch(`/${procedure}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "Connect-Protocol-Version": "1",
      ...authorizationHeaders(),
    },
    body: JSON.stringify(request),
    ...(signal === undefined ? {} : { signal }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw rpcError(body.code, body.message, response.status);
  return body;
}

/**
 * Calls a server-streaming RPC and yields each response message (JSON) as it arrives. Ends when
 * the server ends the stream cleanly; throws {@link RpcError} when it ends with an error or the
 * connection breaks before the end-of-stream message; stops reading when the caller stops
 * iterating or `signal` aborts.
 *
 * @template T the response messages' JSON shape
 * @param {string} procedure e.g. `marketdata.v1.MarketDataService/StreamCandles`
 * @param {object} request the request message in the protobuf JSON mapping
 * @param {AbortSignal} signal
 * @returns {AsyncGenerator<T, void, void>}
 */
export async function* serverStream(procedure, request, signal) {
  const payload = new TextEncoder().encode(JSON.stringify(request));
  const envelope = new Uint8Array(5 + payload.length);
  new DataView(envelope.buffer).setUint32(1, payload.length);
  envelope.set(payload, 5);
  const response = await fetch(`/${procedure}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/connect+json",
      "Connect-Protocol-Version": "1",
      ...authorizationHeaders(),
    },
    body: envelope,
    signal,
  });
  if (!response.ok || response.body === null) {
    const body = await response.json().catch(() => ({}));
    throw rpcError(body.code, body.message, response.status);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = new Uint8Array(0);
  try {
    for (;;) {
      while (buffered.length >= 5) {
        const flags = buffered[0] ?? 0;
        const length = new DataView(buffered.buffer, buffered.byteOffset).getUint32(1);
        if (buffered.length < 5 + length) break;
        const message = JSON.parse(decoder.decode(buffered.subarray(5, 5 + length)));
        buffered = buffered.subarray(5 + length);
        if ((flags & END_STREAM_FLAG) !== 0) {
          if (message.error !== undefined) {
            throw rpcError(message.error.code, message.error.message ?? "", response.status);
          }
          return;
        }
        yield message;
      }
      const { done, value } = await reader.read();
      if (done) throw new RpcError("unavailable", "the stream ended without its end message");
      const joined = new Uint8Array(buffered.length + value.length);
      joined.set(buffered);
      joined.set(value, buffered.length);
      buffered = joined;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}
