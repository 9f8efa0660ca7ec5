/**
 * Test helpers shared by the workspace's service tests (exported as `@tse/service-kit/testing`
 * through the source condition only; not part of the published build).
 */

export {
  ACCESS_CONTROL_ENV,
  ACCESS_TEST_TOKENS,
  type AccessControlTarget,
  describeAccessControl,
  type GuardedWrite,
  guardedWrite,
} from "./access-control-suite.js";
export {
  CHROMIUM_PATH,
  describeWithChromium,
  enterAccessToken,
  launchChromium,
  openWatchedPage,
  paintedPixels,
  SCREENSHOT_DIR,
  type ServedPage,
  saveScreenshot,
  servePageInChromium,
  UNAUTHORIZED_REQUEST_LINE,
  VIEWPORTS,
  type WatchedPage,
} from "./browser-page.js";
export { codeOf } from "./connect-code.js";
export {
  type DependencyFailureExpectation,
  type DependencyFailureTarget,
  describeDependencyFailures,
} from "./dependency-failure-suite.js";
export {
  describeHostileRequests,
  HOSTILE_REQUESTS_ENV,
  type HostileRequestsMethod,
  type HostileRequestsTarget,
} from "./hostile-requests-suite.js";
export { describeRestFuzz, type RestFuzzRoute } from "./rest-fuzz.js";
export {
  CLIENT_ERROR_CODES,
  describeRpcFuzz,
  type FuzzHints,
  type FuzzTransport,
  fuzzTransportsOf,
  type RpcFuzzTarget,
} from "./rpc-fuzz.js";
export { scrapeMetric } from "./scrape-metric.js";
export {
  COMMON_INVALID_SETTINGS,
  describeServiceProcess,
  HOSTILE_IDENTITY_SETTINGS,
  type ServiceProcessExpectations,
} from "./service-process-suite.js";
export { repoRoot, runServiceToExit, type SpawnedService, spawnService } from "./spawn-service.js";
export { type TrackedStream, trackStream } from "./track-stream.js";
export { until } from "./until.js";
