export {
  ConflatingHub,
  type ConflatingHubLimits,
  type ConflatingHubOptions,
  type StreamSubscription,
} from "./conflating-hub.js";
export type { OverflowPolicy } from "./overflow-policy.js";
export { StreamRefusedError } from "./stream-refused-error.js";
