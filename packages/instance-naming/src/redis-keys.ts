import { validateRedisNamespace } from "./overrides.js";

/** Where a key's namespace comes from: the namespace itself, or an identity that carries one. */
export type NamespaceSource = string | { readonly redisNamespace: string };

/** The characters Redis `MATCH` patterns treat specially. */
const GLOB = /[*?[\]\\]/g;

/**
 * Builds the Redis key `<namespace><part1>:<part2>:…`, e.g.
 * `redisKey("market:data:sim:001:", "quote", "BTC-USD")` → `market:data:sim:001:quote:BTC-USD`.
 *
 * Contract:
 * - `source` is a namespace or an identity (its `redisNamespace`); the namespace must pass
 *   `validateRedisNamespace` (ends with `:`, no glob characters, not under `registry:`).
 * - At least one part; each part is one non-empty segment: no `:` (so a part cannot reach into
 *   another namespace, e.g. a single instance's `market:data:` + `sim:001:x` landing in
 *   instance `market-data-sim-001`'s keys), no glob character (`* ? [ ] \`), no whitespace or
 *   control character — so the key is literal in any `SCAN MATCH` pattern.
 * - Violations throw a `RangeError` naming the offending value; nothing is ever sanitised.
 * - The result always starts with the namespace.
 */
export function redisKey(source: NamespaceSource, ...parts: readonly string[]): string {
  const namespace = namespaceOf(source);
  if (parts.length === 0) {
    throw new RangeError("a Redis key needs at least one part after the namespace");
  }
  for (const part of parts) assertSegment(part, { globAllowed: false });
  return `${namespace}${parts.join(":")}`;
}

/**
 * A `SCAN MATCH` pattern for every key under the namespace and the given leading parts:
 * `scanPattern("market:data:")` → `market:data:*`,
 * `scanPattern("market:data:", "quote")` → `market:data:quote:*`.
 *
 * Contract:
 * - `source` is validated as in {@link redisKey}; each part must be a non-empty segment without
 *   `:`, whitespace or control characters. Violations throw a `RangeError`.
 * - The literal prefix (namespace, then each part followed by `:`) has its glob characters
 *   escaped with `\`, so it matches only itself; a single `*` is appended.
 * - Note: a namespace that is a prefix of another (the single instance's `market:data:` and
 *   instance `market-data-sim-001`'s `market:data:sim:001:`) matches that one's keys too.
 */
export function scanPattern(source: NamespaceSource, ...parts: readonly string[]): string {
  const namespace = namespaceOf(source);
  for (const part of parts) assertSegment(part, { globAllowed: true });
  const literal = `${namespace}${parts.map((part) => `${part}:`).join("")}`;
  return `${escapeGlob(literal)}*`;
}

/**
 * Escapes the characters Redis `MATCH` patterns treat specially (`*`, `?`, `[`, `]`, `\`) with a
 * backslash, so the result matches exactly `text`. Every other character is kept as is.
 */
export function escapeGlob(text: string): string {
  return text.replace(GLOB, (char) => `\\${char}`);
}

function namespaceOf(source: NamespaceSource): string {
  const namespace = typeof source === "string" ? source : source.redisNamespace;
  const check = validateRedisNamespace(namespace);
  if (!check.ok) {
    throw new RangeError(`invalid Redis namespace ${JSON.stringify(namespace)}: ${check.reason}`);
  }
  return namespace;
}

function assertSegment(part: string, options: { readonly globAllowed: boolean }): void {
  const fail = (rule: string): never => {
    throw new RangeError(`a Redis key part ${rule}: ${JSON.stringify(part)}`);
  };
  if (part.length === 0) fail("must not be empty");
  if (part.includes(":")) fail("must not contain ':' (one part is one segment)");
  if (/[\s\p{Cc}]/u.test(part)) {
    fail("must not contain whitespace or control characters");
  }
  if (!options.globAllowed && /[*?[\]\\]/.test(part)) {
    fail("must not contain glob characters (* ? [ ] \\)");
  }
}
