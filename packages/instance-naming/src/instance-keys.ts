/**
 * The first part of every Redis key an instance owns under its namespace `<ns>`
 * (docs/data-model.md#redis-keys):
 * - key families, always followed by more parts: `<ns>quote:<symbol>` (latest quote),
 *   `<ns>prices:<symbol>` (price stream), `<ns>cache:<key>` (generic cache);
 * - single keys: `<ns>quote-index` (the symbols that have a latest quote) and `<ns>health`
 *   (the readiness probe's key).
 *
 * Stores build their keys from these (with `redisKey`), and `aclKeyPatterns` grants exactly
 * them, so the two cannot drift apart.
 */
export const INSTANCE_KEYS = Object.freeze({
  quote: "quote",
  prices: "prices",
  cache: "cache",
  quoteIndex: "quote-index",
  health: "health",
} as const);

/**
 * The key families of {@link INSTANCE_KEYS}. No `-` segment of an instance name (nor `:`
 * segment of a `REDIS_NAMESPACE` override) may be one of them — see `aclKeyPatterns`.
 */
export const KEY_FAMILIES: readonly string[] = Object.freeze([
  INSTANCE_KEYS.quote,
  INSTANCE_KEYS.prices,
  INSTANCE_KEYS.cache,
]);
