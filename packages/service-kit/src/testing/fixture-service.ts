// A minimal service process for the shutdown test: the kit with no service-specific parts.
import { runServiceMain } from "../server/run-service.js";

await runServiceMain({
  serviceName: "kit-fixture-service",
  version: "0.0.1",
  summary: "fixture",
  ports: { http: 0, grpc: 0 },
  settings: {},
  compose: () => ({ readiness: { postgres: "disabled", redis: "disabled" } }),
});
