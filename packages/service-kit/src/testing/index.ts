/**
 * Test helpers shared by the workspace's service tests (exported as `@tse/service-kit/testing`
 * through the source condition only; not part of the published build).
 */

export {
  describeServiceProcess,
  type ServiceProcessExpectations,
} from "./service-process-suite.js";
export { repoRoot, runServiceToExit, type SpawnedService, spawnService } from "./spawn-service.js";
export { until } from "./until.js";
