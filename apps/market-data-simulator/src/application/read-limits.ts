/**
 * How much one read may ask for, whichever API it comes through (`marketdata.v1` and REST): a
 * request that leaves a size out gets its `default`, one above `max` is refused as invalid. The
 * order book is further bounded by the depth the simulator keeps.
 */
export const READ_LIMITS = Object.freeze({
  /** Candles of one history query. */
  candles: Object.freeze({ default: 500, max: 5_000 }),
  /** Price levels per side of an order book. */
  depth: Object.freeze({ default: 20, max: 100 }),
  /** Recent trades of one query. */
  trades: Object.freeze({ default: 100, max: 1_000 }),
});
