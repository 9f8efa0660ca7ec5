/**
 * Test helpers shared by every `MetricsPort` implementation (exported as
 * `@tse/metrics-port/testing`, source condition only; not part of the published build): the
 * conformance suite {@link describeMetricsPortContract}, helpers that parse a text exposition,
 * and `promtool check metrics`. The suite imports vitest, which the workspace provides.
 */
export {
  bucketBounds,
  familyHelp,
  familyTypes,
  findSamples,
  parseSamples,
  type Sample,
  sampleValue,
} from "./exposition-samples.js";
export {
  CONTRACT_CONSTANT_LABELS,
  describeMetricsPortContract,
  type MetricsPortContractContext,
  type MetricsPortContractOptions,
} from "./metrics-port.contract.js";
export { findPromtool, type PromtoolResult, promtoolCheckMetrics } from "./promtool.js";
