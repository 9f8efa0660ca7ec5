import { deriveRedisNamespace, deriveSchema } from "./derive-names.js";
import { validateInstanceName } from "./instance-name.js";
import { InvalidIdentityError } from "./invalid-identity-error.js";
import { redisNamespaceProblem, schemaNameProblem } from "./overrides.js";

/** The Prometheus constant labels of DESIGN §3. */
export interface ConstantLabels {
  readonly service: string;
  /** The instance name, or the service name for a single instance. */
  readonly instance: string;
  readonly version: string;
}

/** Who a running service is, and the names it must use for its data. */
export interface ServiceIdentity {
  readonly serviceName: string;
  /** `""` for a single instance. */
  readonly instanceName: string;
  readonly version: string;
  readonly environment: string;
  /** The Postgres schema every table lives in. */
  readonly schema: string;
  /** The prefix of every Redis key (except the shared discovery registry). */
  readonly redisNamespace: string;
  readonly isSingleInstance: boolean;
  readonly constantLabels: ConstantLabels;
}

/** The raw identity settings, as read from configuration. */
export interface IdentityInput {
  readonly serviceName: string;
  /** `""` (or absent) for a single instance. */
  readonly instanceName?: string;
  readonly version: string;
  readonly environment?: string;
  /** `SCHEMA_NAME`: wins over derivation when given. */
  readonly schemaName?: string;
  /** `REDIS_NAMESPACE`: wins over derivation when given. */
  readonly redisNamespace?: string;
}

/**
 * Validates the identity settings and derives the schema and Redis namespace (DESIGN §3).
 * Explicit `schemaName` / `redisNamespace` overrides win and are validated too.
 *
 * Throws {@link InvalidIdentityError} naming the variable (`SERVICE_NAME`,
 * `SERVICE_INSTANCE_NAME`, `SERVICE_VERSION`, `SCHEMA_NAME`, `REDIS_NAMESPACE`) for the first
 * broken rule. The result is frozen.
 */
export function resolveServiceIdentity(input: IdentityInput): ServiceIdentity {
  const serviceCheck = validateInstanceName(input.serviceName);
  if (!serviceCheck.ok)
    throw new InvalidIdentityError("SERVICE_NAME", serviceCheck.reason, input.serviceName);
  const instanceName = input.instanceName ?? "";
  if (instanceName !== "") {
    const check = validateInstanceName(instanceName);
    if (!check.ok)
      throw new InvalidIdentityError("SERVICE_INSTANCE_NAME", check.reason, instanceName);
  }
  if (!/^[\x21-\x7e]{1,64}$/.test(input.version)) {
    throw new InvalidIdentityError(
      "SERVICE_VERSION",
      "must be 1-64 printable ASCII characters without spaces",
      input.version,
    );
  }
  const schema = input.schemaName ?? deriveSchema(instanceName);
  if (input.schemaName !== undefined) {
    const problem = schemaNameProblem(input.schemaName);
    if (problem !== undefined)
      throw new InvalidIdentityError("SCHEMA_NAME", problem, input.schemaName);
  }
  const redisNamespace =
    input.redisNamespace ?? deriveRedisNamespace(input.serviceName, instanceName);
  if (input.redisNamespace !== undefined) {
    const problem = redisNamespaceProblem(input.redisNamespace);
    if (problem !== undefined)
      throw new InvalidIdentityError("REDIS_NAMESPACE", problem, input.redisNamespace);
  }
  return Object.freeze({
    serviceName: input.serviceName,
    instanceName,
    version: input.version,
    environment: input.environment ?? "development",
    schema,
    redisNamespace,
    isSingleInstance: instanceName === "",
    constantLabels: Object.freeze({
      service: input.serviceName,
      instance: instanceName === "" ? input.serviceName : instanceName,
      version: input.version,
    }),
  });
}

/**
 * Reads the identity from environment variables (`SERVICE_NAME`, `SERVICE_INSTANCE_NAME`,
 * `SERVICE_VERSION`, `ENVIRONMENT`, `SCHEMA_NAME`, `REDIS_NAMESPACE`) with the service's
 * defaults, and resolves it like {@link resolveServiceIdentity}. Empty overrides count as unset.
 */
export function identityFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  defaults: { readonly serviceName: string; readonly version: string },
): ServiceIdentity {
  const nonEmpty = (value: string | undefined) =>
    value === undefined || value === "" ? undefined : value;
  const schemaName = nonEmpty(env.SCHEMA_NAME);
  const redisNamespace = nonEmpty(env.REDIS_NAMESPACE);
  return resolveServiceIdentity({
    serviceName: nonEmpty(env.SERVICE_NAME) ?? defaults.serviceName,
    instanceName: env.SERVICE_INSTANCE_NAME ?? "",
    version: nonEmpty(env.SERVICE_VERSION) ?? defaults.version,
    environment: nonEmpty(env.ENVIRONMENT) ?? "development",
    ...(schemaName === undefined ? {} : { schemaName }),
    ...(redisNamespace === undefined ? {} : { redisNamespace }),
  });
}
