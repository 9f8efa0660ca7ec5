import type { DescService } from "@bufbuild/protobuf";
import type { ConnectRouter, ServiceImpl } from "@connectrpc/connect";
import type { UniversalHandlerOptions } from "@connectrpc/connect/protocol";

/**
 * Handler options of the engine's services: a Connect or gRPC JSON request holding a field or
 * an enum name the schema does not have — a misspelt optional field, a made-up status — is
 * refused with InvalidArgument, instead of being dropped so that the field silently takes its
 * default (connect-es ignores unknown JSON fields unless told otherwise).
 */
export const STRICT_JSON: Partial<UniversalHandlerOptions> = Object.freeze({
  jsonOptions: Object.freeze({ ignoreUnknownFields: false }),
});

/** Registers services on `router` with {@link STRICT_JSON}. */
export function strictJson(router: ConnectRouter): {
  service<T extends DescService>(service: T, implementation: Partial<ServiceImpl<T>>): void;
} {
  return {
    service: (service, implementation) => {
      router.service(service, implementation, STRICT_JSON);
    },
  };
}
