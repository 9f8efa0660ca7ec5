/**
 * Matches the user-info part of a URL (`scheme://user:password@`) anywhere in a text. Only the
 * password is replaced, so logs still say which user connected.
 */
const credentialsInUrl = /([a-z][a-z0-9+.-]*:\/\/)([^\s:@/]*):([^\s@/]*)@/gi;

/** A bearer credential anywhere in a text (an `Authorization` header value quoted in a message). */
const bearerCredential = /\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi;

/** The text that replaces a secret. */
export const REDACTED = "***";

/**
 * Returns `text` with the password of every URL in it replaced by `***`
 * (`redis://app:s3cret@host` → `redis://app:***@host`) and every bearer credential too
 * (`Bearer abc…` → `Bearer ***`). Text without credentials is returned unchanged.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(
      credentialsInUrl,
      (_match, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`,
    )
    .replace(bearerCredential, (_match, scheme: string) => `${scheme} ${REDACTED}`);
}

/**
 * Returns a copy of `value` in which every string (at any depth of plain objects and arrays)
 * has its URL passwords and bearer credentials redacted, and every property whose name ends in
 * a word that says it holds a secret (`password`, `secret`, `token(s)`, `apiKey`,
 * `authorization`, `cookie`: `authTokens`, `marketDataAuthToken`, a request's `authorization`
 * header...) is replaced by `***`.
 */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactSecrets(value);
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = secretKey.test(key) ? REDACTED : redactDeep(item, depth + 1);
  }
  return copy;
}

const secretKey = /(password|passwd|secret|tokens?|api[-_]?key|authorization|cookie)$/i;
