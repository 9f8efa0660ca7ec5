import { createHash, timingSafeEqual } from "node:crypto";

/** What an `Authorization` header proves: a configured token, nothing, or a wrong credential. */
export type TokenCheck = "valid" | "missing" | "invalid";

const BEARER = /^Bearer +(\S+) *$/i;

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/**
 * The bearer tokens a service accepts. Only SHA-256 digests are kept; a presented token is
 * hashed and compared with every digest by `crypto.timingSafeEqual` (equal lengths by
 * construction), all of them every time, so the time taken says nothing about how much of a
 * token matched or which one did.
 */
export class BearerTokens {
  readonly #digests: readonly Buffer[];

  /** @param tokens at least one token */
  constructor(tokens: readonly string[]) {
    if (tokens.length === 0) throw new Error("BearerTokens needs at least one token");
    this.#digests = tokens.map(digest);
  }

  /** How many tokens are accepted. */
  get count(): number {
    return this.#digests.length;
  }

  /**
   * Checks an `Authorization` header value: `valid` for `Bearer <a configured token>`,
   * `missing` when there is no header (or an empty one), `invalid` for anything else — another
   * scheme, a malformed value or an unknown token.
   */
  check(authorization: string | undefined | null): TokenCheck {
    if (authorization === undefined || authorization === null || authorization.trim() === "") {
      return "missing";
    }
    const presented = BEARER.exec(authorization)?.[1];
    if (presented === undefined) return "invalid";
    const candidate = digest(presented);
    let matched = false;
    for (const known of this.#digests) {
      // Non-short-circuiting: every digest is compared whatever matched before.
      matched = timingSafeEqual(known, candidate) || matched;
    }
    return matched ? "valid" : "invalid";
  }
}
