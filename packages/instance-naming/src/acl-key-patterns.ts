import { INSTANCE_KEYS, KEY_FAMILIES } from "./instance-keys.js";
import { type NamespaceSource, redisKey } from "./redis-keys.js";

/**
 * The Redis ACL key patterns (without the leading `~`) that grant the instance of `source` its
 * keys and nothing else: `<ns>quote:*`, `<ns>prices:*`, `<ns>cache:*`, and `<ns>quote-index`
 * and `<ns>health` literally — never `<ns>*`.
 *
 * Contract: the namespace must pass `validateRedisNamespace` (else a `RangeError`), so the
 * patterns hold no glob character but the final `*` of each family. For two different accepted
 * namespaces, no key the other instance owns matches one of these patterns — also when one
 * namespace extends the other (`market:data:sim:binance:` and `market:data:sim:binance:eu:`),
 * because the segment that follows the shorter namespace inside the longer one is never a key
 * family (instance names and namespace overrides with such a segment are refused) and the
 * single keys are matched whole. Under `<ns>*` the shorter one's user would own the other's keys.
 */
export function aclKeyPatterns(source: NamespaceSource): string[] {
  const patterns = KEY_FAMILIES.map((family) => `${redisKey(source, family)}:*`);
  patterns.push(redisKey(source, INSTANCE_KEYS.quoteIndex), redisKey(source, INSTANCE_KEYS.health));
  return patterns;
}
