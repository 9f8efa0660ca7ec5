import { readFileSync } from "node:fs";
import { ConfigError } from "../config/config-error.js";
import { isValidToken, TOKEN_RULE } from "./auth-settings.js";

/** Who may call what: the accepted bearer tokens (none: unprotected) and whether reads need one. */
export interface AccessPolicy {
  readonly tokens: readonly string[];
  readonly protectReads: boolean;
}

/** The access settings as loaded (see `authSettings`). */
export interface AccessSettingValues {
  readonly authTokens: readonly string[];
  readonly authTokensFile: string | undefined;
  readonly authProtectReads: boolean;
}

/**
 * The policy of `AUTH_TOKENS`, `AUTH_TOKENS_FILE` and `AUTH_PROTECT_READS`: the tokens of both
 * (a file holds one token per line or comma-separated; blank lines and lines starting with `#`
 * are skipped), without duplicates.
 *
 * Throws {@link ConfigError} naming the variable when the file cannot be read, holds no token
 * or an invalid one (named by its line, never quoted), or when reads are to be protected with
 * no token at all. Reads nothing but the file.
 */
export function resolveAccessPolicy(settings: AccessSettingValues): AccessPolicy {
  const tokens = [...settings.authTokens];
  const file = settings.authTokensFile?.trim();
  if (file !== undefined && file !== "") tokens.push(...readTokenFile(file));
  if (settings.authProtectReads && tokens.length === 0) {
    throw new ConfigError(
      "AUTH_PROTECT_READS",
      "invalid configuration: AUTH_PROTECT_READS (--auth-protect-reads) needs AUTH_TOKENS or AUTH_TOKENS_FILE",
    );
  }
  return { tokens: [...new Set(tokens)], protectReads: settings.authProtectReads };
}

function readTokenFile(path: string): string[] {
  const refuse = (reason: string) =>
    new ConfigError(
      "AUTH_TOKENS_FILE",
      `invalid configuration: AUTH_TOKENS_FILE (--auth-tokens-file) ${JSON.stringify(path)} ${reason}`,
    );
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw refuse(`cannot be read (${code})`);
  }
  const tokens: string[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    for (const token of line.split(",").map((t) => t.trim())) {
      if (token === "") continue;
      if (!isValidToken(token))
        throw refuse(`line ${index + 1} is not valid: each token must be ${TOKEN_RULE}`);
      tokens.push(token);
    }
  }
  if (tokens.length === 0) throw refuse("holds no token");
  return tokens;
}
