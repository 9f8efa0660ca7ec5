import {
  checkOptionalDate,
  checkOrder,
  checkPage,
  type Page,
  ValidationError,
} from "@tse/field-checks";

/** Sort direction of a time-ordered query. */
export type SortOrder = "asc" | "desc";

/**
 * The part every time-series query shares (`PriceFeedQuery`, `SnapshotQuery`): a half-open
 * time range, a page and an order.
 */
export interface TimeRangeQuery {
  /** Only records with `timestamp >= from`. */
  readonly from?: Date;
  /** Only records with `timestamp < to`. */
  readonly to?: Date;
  /** At most this many (an integer ≥ 0); absent means all. */
  readonly limit?: number;
  /** Skip this many first (an integer ≥ 0, after ordering); absent means 0. */
  readonly offset?: number;
  /** By `timestamp` (ties by id); `desc` (newest first) when absent. */
  readonly order?: SortOrder;
}

/** A {@link TimeRangeQuery} after {@link checkTimeRangeQuery}: every default applied. */
export interface CheckedTimeRange extends Page {
  readonly from: Date | undefined;
  readonly to: Date | undefined;
  readonly order: SortOrder;
}

/**
 * Checks a time-series query: that it is an object, then its own filters (`checkFilters`, so
 * their errors come first), then the range, page and order, applying their defaults (`order`
 * `desc`, `offset` 0, no limit). Throws a `ValidationError` naming the first bad field.
 */
export function checkTimeRangeQuery<Q extends TimeRangeQuery, Filters extends object>(
  query: Q,
  checkFilters: (query: Q) => Filters,
): Filters & CheckedTimeRange {
  if (typeof query !== "object" || query === null) {
    throw new ValidationError("query", "must be an object", query);
  }
  return {
    ...checkFilters(query),
    from: checkOptionalDate("from", query.from),
    to: checkOptionalDate("to", query.to),
    ...checkPage(query.limit, query.offset),
    order: checkOrder(query.order, "desc"),
  };
}
