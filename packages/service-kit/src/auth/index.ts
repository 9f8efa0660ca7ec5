export type { AccessPolicy } from "./access-policy.js";
export { bearerTokenSchema } from "./auth-settings.js";
export {
  type AccessLevel,
  type RpcAccess,
  type ServiceAccess,
  serviceAccess,
  UnclassifiedRpcError,
} from "./rpc-access.js";
