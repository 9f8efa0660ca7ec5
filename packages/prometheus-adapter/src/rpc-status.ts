import { Code, ConnectError } from "@connectrpc/connect";

/**
 * The `status` label values of the RPC metrics: `OK` for success, otherwise the name of the
 * Connect `Code` in upper snake case. They are the gRPC status names, except that Connect's
 * `Canceled` is spelled `CANCELED` (gRPC writes `CANCELLED`).
 */
export const RPC_STATUS_NAMES: Readonly<Record<Code | 0, string>> = Object.freeze({
  0: "OK",
  [Code.Canceled]: "CANCELED",
  [Code.Unknown]: "UNKNOWN",
  [Code.InvalidArgument]: "INVALID_ARGUMENT",
  [Code.DeadlineExceeded]: "DEADLINE_EXCEEDED",
  [Code.NotFound]: "NOT_FOUND",
  [Code.AlreadyExists]: "ALREADY_EXISTS",
  [Code.PermissionDenied]: "PERMISSION_DENIED",
  [Code.ResourceExhausted]: "RESOURCE_EXHAUSTED",
  [Code.FailedPrecondition]: "FAILED_PRECONDITION",
  [Code.Aborted]: "ABORTED",
  [Code.OutOfRange]: "OUT_OF_RANGE",
  [Code.Unimplemented]: "UNIMPLEMENTED",
  [Code.Internal]: "INTERNAL",
  [Code.Unavailable]: "UNAVAILABLE",
  [Code.DataLoss]: "DATA_LOSS",
  [Code.Unauthenticated]: "UNAUTHENTICATED",
});

/** The `status` label value of a Connect `Code` (see {@link RPC_STATUS_NAMES}); `UNKNOWN` for an unlisted number. */
export function rpcStatusName(code: Code): string {
  return RPC_STATUS_NAMES[code] ?? "UNKNOWN";
}

/**
 * The `status` label value of an RPC that failed with `error`: a `ConnectError`'s code; when
 * `signal` (the request's signal) was aborted, the code of its reason if that is a
 * `ConnectError` (e.g. `DEADLINE_EXCEEDED`), else `CANCELED`; anything else `INTERNAL`, the
 * code a Connect server answers for a non-Connect error.
 */
export function rpcErrorStatus(error: unknown, signal?: AbortSignal): string {
  if (error instanceof ConnectError) return rpcStatusName(error.code);
  if (signal?.aborted === true) return rpcAbortStatus(signal);
  return "INTERNAL";
}

/**
 * The `status` label value of an RPC whose request `signal` was aborted (or whose response the
 * server stopped reading early): the reason's code if it is a `ConnectError`, else `CANCELED`.
 */
export function rpcAbortStatus(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.aborted === true ? signal.reason : undefined;
  return reason instanceof ConnectError ? rpcStatusName(reason.code) : "CANCELED";
}
