import { Code, ConnectError } from "@connectrpc/connect";
import {
  type FanOutHub,
  type Subscription,
  SubscriptionRefusedError,
} from "../../domain/engine/fan-out-hub.js";

/**
 * Opens a hub subscription for a stream RPC, or refuses it: `ResourceExhausted` when the hub
 * is full or too many symbols are named, `InvalidArgument` for a malformed request.
 */
export function subscribeOrRefuse<U extends { readonly symbol: string }>(
  hub: FanOutHub<U>,
  symbols: readonly string[] | "all",
): Subscription<U> {
  try {
    return hub.subscribe(symbols);
  } catch (error) {
    if (error instanceof SubscriptionRefusedError) {
      throw new ConnectError(
        error.message,
        error.kind === "limit" ? Code.ResourceExhausted : Code.InvalidArgument,
      );
    }
    throw error;
  }
}
