import type { ServiceRegistration } from "./service-registration.js";
import type { ServiceRegistry } from "./service-registry.js";

/**
 * One live instance of `service`: the one named `instance`, or the first by instance name when
 * `instance` is absent or empty. `undefined` when none is registered (or not that one).
 */
export async function findInstance(
  registry: ServiceRegistry,
  service: string,
  instance?: string,
): Promise<ServiceRegistration | undefined> {
  const instances = await registry.discover(service);
  return instance === undefined || instance === ""
    ? instances[0]
    : instances.find((registration) => registration.instance === instance);
}
