/**
 * @tse/instance-naming — service identity (docs/data-model.md#instance-identity).
 *
 * Validates `SERVICE_NAME`, `SERVICE_INSTANCE_NAME` and the `SCHEMA_NAME` / `REDIS_NAMESPACE`
 * overrides, derives the Postgres schema and Redis namespace of an instance and the Prometheus
 * constant labels, and builds the names that use them: quoted SQL identifiers, Redis keys and
 * `SCAN` patterns, and the shared discovery keys (docs/data-model.md#service-discovery).
 *
 * Every rejection of a setting is an {@link InvalidIdentityError} naming the variable; every
 * rejection of a key or identifier built at run time is a `RangeError`.
 */

export { aclKeyPatterns } from "./acl-key-patterns.js";
export {
  DEFAULT_NAMESPACES,
  deriveRedisNamespace,
  deriveSchema,
  SINGLE_INSTANCE_SCHEMA,
} from "./derive-names.js";
export {
  DISCOVERY_INDEX_KEY,
  DISCOVERY_SERVICES_PREFIX,
  discoveryKey,
  discoveryKeyOf,
  discoveryPattern,
} from "./discovery-keys.js";
export { INSTANCE_KEYS, KEY_FAMILIES } from "./instance-keys.js";
export {
  assertInstanceName,
  INSTANCE_NAME_PATTERN,
  MAX_INSTANCE_NAME_LENGTH,
  type NameValidation,
  validateInstanceName,
} from "./instance-name.js";
export { InvalidIdentityError } from "./invalid-identity-error.js";
export {
  MAX_NAMESPACE_LENGTH,
  SCHEMA_NAME_PATTERN,
  validateRedisNamespace,
  validateSchemaName,
} from "./overrides.js";
export { escapeGlob, type NamespaceSource, redisKey, scanPattern } from "./redis-keys.js";
export {
  DISCOVERY_PREFIX,
  reservedNamespaceReason,
  reservedSchemaReason,
  reservedSegmentReason,
} from "./reserved-names.js";
export {
  type ConstantLabels,
  DEFAULT_ENVIRONMENT,
  type IdentityDefaults,
  type IdentityInput,
  identityFromEnv,
  resolveServiceIdentity,
  type ServiceIdentity,
} from "./service-identity.js";
export { MAX_IDENTIFIER_BYTES, qualifiedName, quoteIdentifier } from "./sql-identifier.js";
