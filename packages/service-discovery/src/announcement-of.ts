import type { ServiceIdentity } from "@tse/instance-naming";
import { advertisedHost } from "./advertised-host.js";
import type { Announcement } from "./service-announcer.js";

/**
 * What an instance listening on `listenHost` and `ports` announces: its service, instance name
 * (the service name for a single instance), version and environment from `identity`, the host
 * others reach it at (see {@link advertisedHost}), and status `healthy`.
 */
export function announcementOf(
  identity: Pick<ServiceIdentity, "serviceName" | "version" | "environment" | "constantLabels">,
  listenHost: string,
  ports: { readonly http: number; readonly grpc: number },
): Announcement {
  return {
    service: identity.serviceName,
    instance: identity.constantLabels.instance,
    version: identity.version,
    host: advertisedHost(listenHost),
    httpPort: ports.http,
    grpcPort: ports.grpc,
    status: "healthy",
    environment: identity.environment,
  };
}
