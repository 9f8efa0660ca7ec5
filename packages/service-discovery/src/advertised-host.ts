import { hostname } from "node:os";

/**
 * The host other services reach an instance at: the machine's host name when it listens on
 * every interface (`0.0.0.0`, `::`), the address it listens on otherwise.
 */
export function advertisedHost(listenHost: string): string {
  return listenHost === "0.0.0.0" || listenHost === "::" ? hostname() : listenHost;
}
