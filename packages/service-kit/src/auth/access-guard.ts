import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { AccessPolicy } from "./access-policy.js";
import { BearerTokens } from "./bearer-tokens.js";
import type { AccessLevel } from "./rpc-access.js";

/** Reads one request header by its lower-case name. */
export type HeaderLookup = (name: string) => string | undefined;

/** Why a call is refused, in the terms of both RPC (Connect `Code`) and REST (HTTP status). */
export interface Refusal {
  readonly code: Code.Unauthenticated | Code.PermissionDenied;
  readonly status: 401 | 403;
  /** The REST error code: `unauthenticated` or `permission_denied`. */
  readonly errorCode: string;
  readonly message: string;
  /** The `WWW-Authenticate` challenge of a 401 (RFC 6750). */
  readonly challenge?: string;
}

/** What {@link AccessGuard} needs besides the policy. */
export interface AccessGuardOptions {
  /** The realm of the `WWW-Authenticate` challenge: the service name. */
  readonly realm: string;
  /** Whether a write may come from the request's `Origin` (see `createCors`). */
  readonly originMayWrite: (header: HeaderLookup) => boolean;
}

/**
 * Decides whether a call may proceed, for RPCs and REST alike: `open` calls always; a `write`
 * only from an origin allowed to write (a browser page of another site is refused even when it
 * skipped the preflight) and, when tokens are configured, with a valid bearer token; a `read`
 * needs a token only when reads are protected. Never logs and never keeps a presented token.
 */
export class AccessGuard {
  readonly #tokens: BearerTokens | undefined;
  readonly #challenge: string;

  constructor(
    private readonly policy: AccessPolicy,
    private readonly options: AccessGuardOptions,
  ) {
    this.#tokens = policy.tokens.length === 0 ? undefined : new BearerTokens(policy.tokens);
    this.#challenge = `Bearer realm="${options.realm.replaceAll(/["\\]/g, "")}"`;
  }

  /** `undefined` when a call of `level` with these headers may proceed, else why not. */
  check(level: AccessLevel, header: HeaderLookup): Refusal | undefined {
    if (level === "open") return undefined;
    if (level === "write" && !this.options.originMayWrite(header)) {
      const origin = (header("origin") ?? "").slice(0, 100);
      return {
        code: Code.PermissionDenied,
        status: 403,
        errorCode: "permission_denied",
        message: `origin ${JSON.stringify(origin)} may not make state-changing calls (see CORS_ALLOWED_ORIGINS)`,
      };
    }
    if (this.#tokens === undefined || (level === "read" && !this.policy.protectReads)) {
      return undefined;
    }
    const result = this.#tokens.check(header("authorization"));
    if (result === "valid") return undefined;
    return {
      code: Code.Unauthenticated,
      status: 401,
      errorCode: "unauthenticated",
      ...(result === "missing"
        ? {
            message:
              level === "write"
                ? "this call changes state: it needs a bearer token (Authorization: Bearer <token>)"
                : "this service needs a bearer token for reads too (Authorization: Bearer <token>)",
            challenge: this.#challenge,
          }
        : {
            message: "the bearer token is not valid",
            challenge: `${this.#challenge}, error="invalid_token"`,
          }),
    };
  }
}

/** The Connect error of a refusal; a 401's challenge travels as `WWW-Authenticate`. */
export function refusalError(refusal: Refusal): ConnectError {
  return new ConnectError(
    refusal.message,
    refusal.code,
    refusal.challenge === undefined ? undefined : { "www-authenticate": refusal.challenge },
  );
}

/**
 * A Connect interceptor that lets an RPC reach its handler only when `guard` allows it at the
 * procedure's level (`levels`, keyed by `/package.Service/Method`; a procedure missing there
 * counts as a write). Serves every protocol on both ports, since they share one handler.
 */
export function accessInterceptor(
  guard: AccessGuard,
  levels: ReadonlyMap<string, AccessLevel>,
): Interceptor {
  return (next) => async (req) => {
    const level = levels.get(`/${req.service.typeName}/${req.method.name}`) ?? "write";
    const refusal = guard.check(level, (name) => req.header.get(name) ?? undefined);
    if (refusal !== undefined) throw refusalError(refusal);
    return next(req);
  };
}
