/**
 * @tse/instance-naming — service identity (DESIGN §3).
 *
 * Validates `SERVICE_INSTANCE_NAME` and the `SCHEMA_NAME` / `REDIS_NAMESPACE` overrides, derives
 * the Postgres schema and Redis namespace of an instance, and builds the names that use them:
 * quoted SQL identifiers, Redis keys and SCAN patterns, and the shared discovery keys.
 */
export {
  DEFAULT_NAMESPACES,
  deriveRedisNamespace,
  deriveSchema,
  SINGLE_INSTANCE_SCHEMA,
} from "./derive-names.js";
export {
  INSTANCE_NAME_PATTERN,
  MAX_INSTANCE_NAME_LENGTH,
  type NameValidation,
  reservedSchemaReason,
  validateInstanceName,
} from "./instance-name.js";
export { InvalidIdentityError } from "./invalid-identity-error.js";
export {
  DISCOVERY_PREFIX,
  NAMESPACE_PATTERN,
  redisNamespaceProblem,
  SCHEMA_NAME_PATTERN,
  schemaNameProblem,
} from "./overrides.js";
export { discoveryKey, discoveryPattern, escapeGlob, redisKey, scanPattern } from "./redis-keys.js";
export {
  type ConstantLabels,
  type IdentityInput,
  identityFromEnv,
  resolveServiceIdentity,
  type ServiceIdentity,
} from "./service-identity.js";
export { qualifiedName, quoteIdentifier } from "./sql-identifier.js";
