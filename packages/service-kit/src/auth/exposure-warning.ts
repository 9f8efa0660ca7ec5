import type { AccessPolicy } from "./access-policy.js";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "::1", "localhost"]);

/**
 * The start-up warning of an unprotected service that other machines can reach: `HOST` is not
 * a loopback address and no token is configured. `undefined` when there is nothing to warn of.
 */
export function exposureWarning(host: string, policy: AccessPolicy): string | undefined {
  if (policy.tokens.length > 0 || LOOPBACK_HOSTS.has(host.toLowerCase())) return undefined;
  return `listening on ${host} without AUTH_TOKENS: anyone who can reach this service can make every state-changing call; set AUTH_TOKENS or AUTH_TOKENS_FILE, or HOST=127.0.0.1`;
}
