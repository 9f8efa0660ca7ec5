import { validateInstanceName } from "./instance-name.js";
import { DISCOVERY_PREFIX } from "./reserved-names.js";

/**
 * The prefix of every service's entries in the shared registry
 * (docs/data-model.md#service-discovery).
 */
export const DISCOVERY_SERVICES_PREFIX = `${DISCOVERY_PREFIX}services:`;

/**
 * The index of the shared registry: a sorted set whose members are `<service>:<instanceLabel>`
 * of every registered instance, so discovery finds the entries without `SCAN` (which would show
 * every instance's key names, and which the ecosystem's ACL users may not run).
 */
export const DISCOVERY_INDEX_KEY = `${DISCOVERY_PREFIX}instances`;

/**
 * The shared discovery key of one instance: `registry:services:<serviceName>:<instanceLabel>`
 * (docs/data-model.md#service-discovery), e.g.
 * `registry:services:market-data-simulator:market-data-sim-001`.
 *
 * Contract: `instanceLabel` is the instance name, or the service name for a single instance
 * (the `instance` constant label). Both arguments must pass `validateInstanceName`, else a
 * `RangeError` naming the argument and the rule is thrown — so the key never holds a glob
 * character or an extra `:` segment. This key is the one exception to "every key under the
 * instance namespace".
 */
export function discoveryKey(serviceName: string, instanceLabel: string): string {
  assertLabel("service name", serviceName);
  assertLabel("instance label", instanceLabel);
  return `${DISCOVERY_SERVICES_PREFIX}${serviceName}:${instanceLabel}`;
}

/**
 * The discovery key of a resolved identity: `discoveryKey(identity.serviceName,
 * identity.constantLabels.instance)`, with the same contract.
 */
export function discoveryKeyOf(identity: {
  readonly serviceName: string;
  readonly constantLabels: { readonly instance: string };
}): string {
  return discoveryKey(identity.serviceName, identity.constantLabels.instance);
}

/**
 * The `SCAN MATCH` pattern that finds every registered instance of a service:
 * `registry:services:<serviceName>:*`.
 *
 * Contract: `serviceName` must pass `validateInstanceName` (else a `RangeError`), so the pattern
 * has no glob character but the final `*`, and matches exactly the keys
 * {@link discoveryKey} builds for that service (a service's name can never be a `:`-prefix of
 * another's, as names hold no `:`).
 */
export function discoveryPattern(serviceName: string): string {
  assertLabel("service name", serviceName);
  return `${DISCOVERY_SERVICES_PREFIX}${serviceName}:*`;
}

function assertLabel(what: string, value: string): void {
  const check = validateInstanceName(value);
  if (!check.ok) {
    throw new RangeError(`discovery ${what} ${check.reason}, got ${JSON.stringify(value)}`);
  }
}
