import { deriveRedisNamespace, deriveSchema } from "./derive-names.js";
import { assertInstanceName } from "./instance-name.js";
import { InvalidIdentityError } from "./invalid-identity-error.js";
import { validateRedisNamespace, validateSchemaName } from "./overrides.js";

/** The environment a service runs in when `ENVIRONMENT` is not set. */
export const DEFAULT_ENVIRONMENT = "development";

/**
 * The Prometheus constant labels of docs/data-model.md#instance-identity, attached to every metric
 * of the service.
 */
export interface ConstantLabels {
  /** The service name. */
  readonly service: string;
  /** The instance name, or the service name for a single instance; never empty. */
  readonly instance: string;
  /** The service version. */
  readonly version: string;
}

/** Who a running service is, and the names it must use for its data. Frozen. */
export interface ServiceIdentity {
  /** A name that passes `validateInstanceName`, e.g. `market-data-simulator`. */
  readonly serviceName: string;
  /** A name that passes `validateInstanceName`, or `""` for a single instance. */
  readonly instanceName: string;
  readonly version: string;
  readonly environment: string;
  /** The Postgres schema every table lives in (unquoted; quote it with `quoteIdentifier`). */
  readonly schema: string;
  /** The prefix of every Redis key (except the shared discovery registry); ends with `:`. */
  readonly redisNamespace: string;
  /** `true` exactly when `instanceName` is `""`. */
  readonly isSingleInstance: boolean;
  readonly constantLabels: ConstantLabels;
}

/** The raw identity settings, as read from configuration. */
export interface IdentityInput {
  /** `SERVICE_NAME`. */
  readonly serviceName: string;
  /** `SERVICE_INSTANCE_NAME`; `""` or absent for a single instance. */
  readonly instanceName?: string | undefined;
  /** `SERVICE_VERSION`. */
  readonly version: string;
  /** `ENVIRONMENT`; absent means `development`. */
  readonly environment?: string | undefined;
  /** `SCHEMA_NAME`: when present, wins over derivation (and `""` is rejected, not ignored). */
  readonly schemaName?: string | undefined;
  /** `REDIS_NAMESPACE`: when present, wins over derivation (and `""` is rejected, not ignored). */
  readonly redisNamespace?: string | undefined;
}

/** A version or environment label: 1-64 printable ASCII characters, no whitespace. */
const LABEL_VALUE = /^[\x21-\x7e]{1,64}$/;

/**
 * Validates the identity settings and derives the names the service must use
 * (docs/data-model.md#instance-identity).
 *
 * Contract:
 * - `serviceName` must pass `validateInstanceName`; a non-empty `instanceName` too (`""` or
 *   absent means a single instance); `version` and `environment` (default `development`) must
 *   be 1-64 printable ASCII characters without whitespace.
 * - `schema`: the `schemaName` override when present (validated by `validateSchemaName`), else
 *   the instance name with `-` → `_`, or `public` for a single instance.
 * - `redisNamespace`: the `redisNamespace` override when present (validated by
 *   `validateRedisNamespace`), else the instance name with `-` → `:` plus `:`, or for a single
 *   instance the service's default namespace (`market:data:`, `trading:engine:`, else the
 *   service name derived the same way).
 * - `constantLabels` = `{ service, instance, version }`, `instance` being the instance name, or
 *   the service name for a single instance. Overrides do not change the labels.
 * - Rules are checked in the order `SERVICE_NAME`, `SERVICE_INSTANCE_NAME`, `SERVICE_VERSION`,
 *   `ENVIRONMENT`, `SCHEMA_NAME`, `REDIS_NAMESPACE`; the first broken one throws an
 *   {@link InvalidIdentityError} whose `variable` is that variable.
 * - The result and its `constantLabels` are frozen.
 */
export function resolveServiceIdentity(input: IdentityInput): ServiceIdentity {
  const { serviceName, version } = input;
  const instanceName = input.instanceName ?? "";
  const environment = input.environment ?? DEFAULT_ENVIRONMENT;
  assertInstanceName(serviceName, "SERVICE_NAME");
  if (instanceName !== "") assertInstanceName(instanceName, "SERVICE_INSTANCE_NAME");
  assertLabelValue("SERVICE_VERSION", version);
  assertLabelValue("ENVIRONMENT", environment);
  const schema = input.schemaName ?? deriveSchema(instanceName);
  if (input.schemaName !== undefined) {
    const check = validateSchemaName(input.schemaName);
    if (!check.ok) throw new InvalidIdentityError("SCHEMA_NAME", check.reason, input.schemaName);
  }
  const redisNamespace = input.redisNamespace ?? deriveRedisNamespace(serviceName, instanceName);
  if (input.redisNamespace !== undefined) {
    const check = validateRedisNamespace(input.redisNamespace);
    if (!check.ok) {
      throw new InvalidIdentityError("REDIS_NAMESPACE", check.reason, input.redisNamespace);
    }
  }
  const isSingleInstance = instanceName === "";
  return Object.freeze({
    serviceName,
    instanceName,
    version,
    environment,
    schema,
    redisNamespace,
    isSingleInstance,
    constantLabels: Object.freeze({
      service: serviceName,
      instance: isSingleInstance ? serviceName : instanceName,
      version,
    }),
  });
}

/** The values `identityFromEnv` uses when a variable is unset or empty. */
export interface IdentityDefaults {
  /** The service's own name, e.g. `market-data-simulator`. */
  readonly serviceName: string;
  /** The app's package version. */
  readonly version: string;
}

/**
 * Reads the identity from environment variables and resolves it with
 * {@link resolveServiceIdentity} (same rules, same errors).
 *
 * Contract:
 * - `SERVICE_NAME` and `SERVICE_VERSION` default to `defaults`; `ENVIRONMENT` to `development`;
 *   `SERVICE_INSTANCE_NAME` to `""` (a single instance).
 * - `SCHEMA_NAME` and `REDIS_NAMESPACE` override the derived names when set.
 * - A variable set to `""` counts as unset. Values are not trimmed: a stray space is a start-up
 *   error, not silently fixed.
 * - Invalid values throw an {@link InvalidIdentityError} naming the variable.
 */
export function identityFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  defaults: IdentityDefaults,
): ServiceIdentity {
  const read = (variable: string): string | undefined => {
    const value = env[variable];
    return value === "" ? undefined : value;
  };
  return resolveServiceIdentity({
    serviceName: read("SERVICE_NAME") ?? defaults.serviceName,
    instanceName: read("SERVICE_INSTANCE_NAME") ?? "",
    version: read("SERVICE_VERSION") ?? defaults.version,
    environment: read("ENVIRONMENT") ?? DEFAULT_ENVIRONMENT,
    schemaName: read("SCHEMA_NAME"),
    redisNamespace: read("REDIS_NAMESPACE"),
  });
}

function assertLabelValue(variable: string, value: string): void {
  if (!LABEL_VALUE.test(value)) {
    throw new InvalidIdentityError(
      variable,
      "must be 1-64 printable ASCII characters without whitespace",
      value,
    );
  }
}
