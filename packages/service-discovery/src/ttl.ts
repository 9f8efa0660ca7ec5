/** Throws a `RangeError` unless `ttlMs` is an integer number of milliseconds >= 1. */
export function assertTtlMs(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1) {
    throw new RangeError(`a TTL must be an integer number of milliseconds >= 1, got ${ttlMs}`);
  }
}
