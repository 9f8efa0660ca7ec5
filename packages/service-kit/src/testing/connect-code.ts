import { type Code, ConnectError } from "@connectrpc/connect";

/**
 * The Connect code a call was refused with, or `undefined` when it succeeded: for asserting
 * which error a request gets. Anything thrown counts as a Connect error (`ConnectError.from`:
 * Unknown for a plain error, Canceled for an abort).
 */
export async function codeOf(call: Promise<unknown>): Promise<Code | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return ConnectError.from(error).code;
  }
}
