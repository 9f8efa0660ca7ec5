import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";

/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range google.protobuf.Timestamp allows. */
const MIN_SECONDS = -62_135_596_800n;
const MAX_SECONDS = 253_402_300_799n;

/** The last epoch millisecond a google.protobuf.Timestamp can hold (9999-12-31T23:59:59.999Z). */
export const MAX_TIMESTAMP_MS = Number(MAX_SECONDS) * 1_000 + 999;

/**
 * Epoch milliseconds of a request's Timestamp field, `undefined` when it is unset. Throws
 * `InvalidArgument` naming `field` for a value the Timestamp type does not allow (before year 1,
 * after year 9999, or nanos outside [0, 10⁹)), which would otherwise become NaN downstream.
 */
export function requestTimestampMs(
  field: string,
  timestamp: Timestamp | undefined,
): number | undefined {
  if (timestamp === undefined) return undefined;
  if (
    timestamp.seconds < MIN_SECONDS ||
    timestamp.seconds > MAX_SECONDS ||
    timestamp.nanos < 0 ||
    timestamp.nanos > 999_999_999
  ) {
    throw new ConnectError(
      `${field} must be a valid Timestamp between 0001-01-01 and 9999-12-31 with nanos in [0, 999999999]`,
      Code.InvalidArgument,
    );
  }
  return timestampMs(timestamp);
}
