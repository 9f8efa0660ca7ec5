import type { CheckedTimeRange } from "../repositories/time-range-query.js";

/**
 * The records of `records` that pass `matches` and lie in `range`'s half-open time range, sorted
 * by `compare` (ascending, or reversed for `desc`) and paged: the `query` of the in-memory time
 * series repositories, so they read like the Postgres table.
 */
export function selectTimeRange<T extends { readonly timestamp: Date }>(
  records: Iterable<T>,
  range: CheckedTimeRange,
  matches: (record: T) => boolean,
  compare: (a: T, b: T) => number,
): T[] {
  const matching = [...records].filter(
    (r) =>
      matches(r) &&
      (range.from === undefined || r.timestamp >= range.from) &&
      (range.to === undefined || r.timestamp < range.to),
  );
  matching.sort(range.order === "asc" ? compare : (a, b) => compare(b, a));
  const end = range.limit === undefined ? undefined : range.offset + range.limit;
  return matching.slice(range.offset, end);
}
