/**
 * The gRPC health checking protocol (`grpc.health.v1.Health`): a status registry that the
 * service updates (readiness, shutdown) and the Connect implementation that serves it.
 * `ServingStatus` and `Health` are the generated enum and service descriptor, re-exported so
 * that callers need not reach into the proto package.
 */
export {
  Health,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "@tse/proto/grpc/health/v1/health_pb";
export { createHealthServiceImpl, registerHealthService } from "./health-service.js";
export { HealthStatusRegistry, WHOLE_SERVER } from "./health-status-registry.js";
