/**
 * The behaviour every `ServiceRegistry` must have, as a vitest suite an implementation runs
 * against itself (exported as `@tse/service-discovery/contract`, source condition only).
 */
export {
  describeServiceRegistryContract,
  type ServiceRegistryContractContext,
  type ServiceRegistryFixture,
} from "./service-registry.contract.js";
