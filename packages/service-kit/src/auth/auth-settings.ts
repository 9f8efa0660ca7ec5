import { z } from "zod";
import { booleanSchema, listSchema, setting, stringSchema } from "../config/setting.js";

/** The shortest token accepted: anything shorter can be guessed. */
export const MIN_TOKEN_LENGTH = 16;

/** The longest token accepted: far above any generated secret, far below a header limit. */
export const MAX_TOKEN_LENGTH = 1024;

/** RFC 6750 `b64token`: what may follow `Bearer ` in an Authorization header. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** The rule a token must follow, as the start-up error states it (never quoting a token). */
export const TOKEN_RULE = `${MIN_TOKEN_LENGTH} to ${MAX_TOKEN_LENGTH} characters of A-Z a-z 0-9 - . _ ~ + / (then optional =), e.g. from \`openssl rand -hex 32\``;

/** Whether `token` may be configured: a b64token of an unguessable length. */
export function isValidToken(token: string): boolean {
  return (
    token.length >= MIN_TOKEN_LENGTH && token.length <= MAX_TOKEN_LENGTH && B64TOKEN.test(token)
  );
}

/**
 * One bearer token a client sends (e.g. a service's token for a protected peer); empty means
 * none. Same rule as `AUTH_TOKENS`; mark the setting `secret`.
 */
export const bearerTokenSchema: z.ZodType<string> = z
  .string()
  .trim()
  .refine((token) => token === "" || isValidToken(token), {
    message: `must be empty or a token of ${TOKEN_RULE}`,
  });

/** Comma-separated tokens; empty means none. Errors name a token by its position only. */
const tokenListSchema: z.ZodType<readonly string[]> = listSchema.superRefine((tokens, context) => {
  const bad = tokens.findIndex((token) => !isValidToken(token));
  if (bad !== -1) {
    context.addIssue({
      code: "custom",
      message: `token ${bad + 1} is not valid: each token must be ${TOKEN_RULE}`,
    });
  }
});

/**
 * The access-control settings every service has (issue 19 item 17): the bearer tokens that
 * protect state-changing calls, from the environment and/or a file (a mounted secret), and
 * whether reads need a token too. Without any token the service is unprotected.
 */
export function authSettings() {
  return {
    authTokens: setting({
      env: "AUTH_TOKENS",
      description:
        "Comma-separated bearer tokens (several for rotation). When set (or AUTH_TOKENS_FILE), every state-changing call needs 'Authorization: Bearer <token>'. Secret.",
      default: "",
      schema: tokenListSchema,
      secret: true,
    }),
    authTokensFile: setting({
      env: "AUTH_TOKENS_FILE",
      description:
        "File of bearer tokens (one per line, '#' comments), e.g. a mounted secret; joins AUTH_TOKENS. Read at start-up.",
      schema: stringSchema,
    }),
    authProtectReads: setting({
      env: "AUTH_PROTECT_READS",
      description:
        "Reads need a token too (needs tokens). Health, readiness, /metrics, gRPC health and the web pages' files stay open.",
      default: "false",
      schema: booleanSchema,
    }),
  } as const;
}

/** The settings object returned by {@link authSettings}. */
export type AuthSettings = ReturnType<typeof authSettings>;
