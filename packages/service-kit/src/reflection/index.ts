/**
 * gRPC server reflection (`grpc.reflection.v1` and `v1alpha`) on protobuf-es descriptors, so
 * that `grpcurl` and `buf curl` can call the services without a local schema.
 */
export type { DescriptorSource } from "./descriptor-index.js";
export {
  createReflectionServiceImpls,
  REFLECTION_SERVICE_NAMES,
  type ReflectionOptions,
  type ReflectionServiceImpls,
  type RegisterReflectionOptions,
  registerReflection,
} from "./reflection-service.js";
