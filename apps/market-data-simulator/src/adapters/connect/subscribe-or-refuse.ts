import { Code, ConnectError } from "@connectrpc/connect";
import { type ConflatingHub, StreamRefusedError, type StreamSubscription } from "@tse/service-kit";

/**
 * Opens a hub subscription for a stream RPC, or refuses it: `ResourceExhausted` when the hub
 * is full or too many symbols are named, `InvalidArgument` for a malformed request.
 */
export function subscribeOrRefuse<U>(
  hub: ConflatingHub<U>,
  symbols: readonly string[] | "all",
): StreamSubscription<U> {
  try {
    return hub.subscribe(symbols);
  } catch (error) {
    if (error instanceof StreamRefusedError) {
      throw new ConnectError(
        error.message,
        error.kind === "limit" ? Code.ResourceExhausted : Code.InvalidArgument,
      );
    }
    throw error;
  }
}
