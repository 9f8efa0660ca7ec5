import type { DescService } from "@bufbuild/protobuf";
import { Health } from "@tse/proto/grpc/health/v1/health_pb";
import { ServerReflection as ReflectionV1 } from "@tse/proto/grpc/reflection/v1/reflection_pb";
import { ServerReflection as ReflectionV1alpha } from "@tse/proto/grpc/reflection/v1alpha/reflection_pb";

/**
 * What a call needs when tokens are configured: `write` changes state and always needs a token;
 * `read` needs one only with `AUTH_PROTECT_READS`; `open` never does (probes and scrapers:
 * health, readiness, metrics, and the web pages' static files, which carry no data).
 */
export type AccessLevel = "open" | "read" | "write";

/** How an app classifies one of its RPCs. */
export type RpcAccess = "read" | "write";

/** The classification of every method of one service. */
export interface ServiceAccess {
  readonly service: DescService;
  /** By the method's local name (`startScenario`). */
  readonly methods: Readonly<Record<string, RpcAccess>>;
}

/**
 * Declares, for every method of `service`, whether it reads or writes. For a generated service
 * the compiler demands every method (a method added to the proto fails the build until it is
 * classified); the server refuses to start when a registered method is missing all the same.
 */
export function serviceAccess<S extends DescService>(
  service: S,
  methods: { readonly [K in keyof S["method"]]: RpcAccess },
): ServiceAccess {
  return { service, methods: methods as Readonly<Record<string, RpcAccess>> };
}

/** The kit's own services: gRPC health stays open for probes, reflection is a read. */
const KIT_ACCESS: readonly (readonly [DescService, AccessLevel])[] = [
  [Health, "open"],
  [ReflectionV1, "read"],
  [ReflectionV1alpha, "read"],
];

/** Thrown when a registered RPC has no access class: a programming error, found at start-up. */
export class UnclassifiedRpcError extends Error {
  override readonly name = "UnclassifiedRpcError";
}

/**
 * The access level of every procedure (`/package.Service/Method`) in `procedures`, from the
 * kit's own classification and `declared`. Throws {@link UnclassifiedRpcError} naming every
 * registered procedure nobody classified, and any declared method its service does not have.
 */
export function accessByProcedure(
  procedures: Iterable<string>,
  declared: readonly ServiceAccess[],
): ReadonlyMap<string, AccessLevel> {
  const levels = new Map<string, AccessLevel>();
  for (const [service, level] of KIT_ACCESS) {
    for (const method of service.methods) levels.set(`/${service.typeName}/${method.name}`, level);
  }
  const unknown: string[] = [];
  for (const { service, methods } of declared) {
    for (const [localName, level] of Object.entries(methods)) {
      const method = service.methods.find((m) => m.localName === localName);
      if (method === undefined) unknown.push(`${service.typeName}.${localName}`);
      else levels.set(`/${service.typeName}/${method.name}`, level);
    }
  }
  if (unknown.length > 0) {
    throw new UnclassifiedRpcError(
      `access declared for methods that do not exist: ${unknown.join(", ")}`,
    );
  }
  const unclassified = [...procedures].filter((procedure) => !levels.has(procedure));
  if (unclassified.length > 0) {
    throw new UnclassifiedRpcError(
      `RPCs registered without an access class (declare each read or write with serviceAccess in the composition's rpcAccess): ${unclassified.join(", ")}`,
    );
  }
  return levels;
}
