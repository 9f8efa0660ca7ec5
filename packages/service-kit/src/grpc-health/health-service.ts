import { Code, ConnectError, type ConnectRouter, type ServiceImpl } from "@connectrpc/connect";
import { Health } from "@tse/proto/grpc/health/v1/health_pb";
import type { HealthStatusRegistry } from "./health-status-registry.js";

/**
 * Implements `grpc.health.v1.Health` on top of `registry`; register it with
 * `router.service(Health, createHealthServiceImpl(registry))`.
 *
 * Contract, per the gRPC health checking protocol:
 * - `Check` answers the stored status of the requested service (`""` is the whole server), or
 *   fails with `NOT_FOUND` if the service is unknown.
 * - `Watch` sends the current status at once — `SERVICE_UNKNOWN` for an unknown service, which
 *   is not an error: the call stays open and reports the service's status once it becomes
 *   known — then one message per change, never the same status twice in a row. The stream
 *   ends when the client cancels, the deadline passes, or the server's shutdown signal aborts
 *   the handler context; it never fails on its own.
 */
export function createHealthServiceImpl(
  registry: HealthStatusRegistry,
): ServiceImpl<typeof Health> {
  return {
    check(request) {
      const status = registry.get(request.service);
      if (status === undefined) {
        throw new ConnectError(`unknown service "${request.service}"`, Code.NotFound);
      }
      return { status };
    },
    async *watch(request, context) {
      for await (const status of registry.watch(request.service, context.signal)) {
        yield { status };
      }
    },
  };
}

/**
 * Registers `grpc.health.v1.Health`, answered from `registry`, on `router`; same contract as
 * `createHealthServiceImpl`.
 */
export function registerHealthService(router: ConnectRouter, registry: HealthStatusRegistry): void {
  router.service(Health, createHealthServiceImpl(registry));
}
