import { DISCOVERY_PREFIX, redisNamespaceProblem } from "./overrides.js";

const GLOB_OR_SPACE = /[*?[\]\\\s]/;

/**
 * Builds a key under a namespace: `redisKey("market:data:", "quote", "BTC-USD")` →
 * `market:data:quote:BTC-USD`. Parts are joined with `:`. Throws a `RangeError` for an invalid
 * namespace or a part that is empty or holds a glob character (`* ? [ ] \`) or whitespace, so a
 * key can never match more than itself in a `SCAN` pattern.
 */
export function redisKey(namespace: string, ...parts: readonly string[]): string {
  assertNamespace(namespace);
  if (parts.length === 0)
    throw new RangeError("a Redis key needs at least one part after the namespace");
  for (const part of parts) assertPart(part);
  return `${namespace}${parts.join(":")}`;
}

/**
 * A `SCAN MATCH` pattern for every key under `namespace` and `parts`:
 * `scanPattern("market:data:", "quote")` → `market:data:quote:*`; with no parts,
 * `market:data:*`. Glob characters in the literal part are escaped.
 */
export function scanPattern(namespace: string, ...parts: readonly string[]): string {
  assertNamespace(namespace);
  const literal = parts.length === 0 ? namespace : `${namespace}${parts.join(":")}:`;
  for (const part of parts)
    if (part.length === 0) throw new RangeError("a Redis key part must not be empty");
  return `${escapeGlob(literal)}*`;
}

/** Escapes the glob characters of Redis `MATCH` patterns (`* ? [ ] \`). */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}

/**
 * The shared discovery key of DESIGN §6: `registry:services:<service>:<instance>`, where
 * `instance` is the instance label (the instance name, or the service name when single).
 */
export function discoveryKey(serviceName: string, instance: string): string {
  assertPart(serviceName);
  assertPart(instance);
  return `${DISCOVERY_PREFIX}services:${serviceName}:${instance}`;
}

/** The `SCAN MATCH` pattern of every instance of a service: `registry:services:<service>:*`. */
export function discoveryPattern(serviceName: string): string {
  assertPart(serviceName);
  return `${DISCOVERY_PREFIX}services:${escapeGlob(serviceName)}:*`;
}

function assertNamespace(namespace: string): void {
  const problem = redisNamespaceProblem(namespace);
  if (problem !== undefined)
    throw new RangeError(`invalid Redis namespace ${JSON.stringify(namespace)}: ${problem}`);
}

function assertPart(part: string): void {
  if (part.length === 0) throw new RangeError("a Redis key part must not be empty");
  if (GLOB_OR_SPACE.test(part)) {
    throw new RangeError(
      `a Redis key part must not contain glob characters or whitespace: ${JSON.stringify(part)}`,
    );
  }
}
