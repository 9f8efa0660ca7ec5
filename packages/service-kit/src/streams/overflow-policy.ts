/**
 * What a {@link ConflatingHub} does with a subscriber that does not keep up. Every policy
 * conflates first — a newer update replaces the untaken one of the same key — so a queue holds
 * at most one update per key; the policy says what bounds it beyond that.
 *
 * - `conflate`: nothing more; the key space bounds the queue (e.g. one quote per symbol). Use it
 *   only when the keys a subscriber can receive are few and known.
 * - `close`: a subscription whose queue holds more than `maxPending` distinct keys is closed and
 *   marked `overflowed`, so a client too slow for an open-ended key space (order ids) can never
 *   grow without bound; it reconnects and starts again from a snapshot.
 */
export type OverflowPolicy =
  | { readonly kind: "conflate" }
  | { readonly kind: "close"; readonly maxPending: number };
