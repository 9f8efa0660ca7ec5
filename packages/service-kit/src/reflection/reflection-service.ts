import { Code, type ConnectRouter, type ServiceImpl } from "@connectrpc/connect";
import { messageOf } from "@tse/error-text";
import * as v1 from "@tse/proto/grpc/reflection/v1/reflection_pb";
import * as v1alpha from "@tse/proto/grpc/reflection/v1alpha/reflection_pb";
import { DescriptorIndex, type DescriptorSource, filesOf } from "./descriptor-index.js";

/**
 * What reflection lists.
 */
export interface ReflectionOptions {
  /**
   * Full names of the services the server exposes (e.g. `"grpc.health.v1.Health"`), answered
   * verbatim and in this order to `list_services`. With `createReflectionServiceImpls` list the
   * reflection services too if you want them listed; `registerReflection` adds them itself.
   */
  readonly serviceNames: readonly string[];
}

/**
 * The two wire versions of the reflection service, sharing one answerer.
 */
export interface ReflectionServiceImpls {
  /** Serves `grpc.reflection.v1.ServerReflection`. */
  readonly v1: ServiceImpl<typeof v1.ServerReflection>;
  /** Serves `grpc.reflection.v1alpha.ServerReflection`, which older clients still use. */
  readonly v1alpha: ServiceImpl<typeof v1alpha.ServerReflection>;
}

/** The full names of both reflection services. */
export const REFLECTION_SERVICE_NAMES: readonly string[] = [
  v1.ServerReflection.typeName,
  v1alpha.ServerReflection.typeName,
];

type MessageRequest =
  | v1.ServerReflectionRequest["messageRequest"]
  | v1alpha.ServerReflectionRequest["messageRequest"];

// Both versions' responses have this shape; only their type names differ.
type Answer =
  | { case: "fileDescriptorResponse"; value: { fileDescriptorProto: Uint8Array[] } }
  | {
      case: "allExtensionNumbersResponse";
      value: { baseTypeName: string; extensionNumber: number[] };
    }
  | { case: "listServicesResponse"; value: { service: { name: string }[] } }
  | { case: "errorResponse"; value: { errorCode: number; errorMessage: string } };

/**
 * Implements gRPC server reflection (`ServerReflectionInfo`, v1 and v1alpha) over protobuf-es
 * descriptors, so that `grpcurl`, `buf curl` and Postman work without a local schema.
 *
 * Contract, for every request on the bidirectional stream, one response that echoes the
 * request's `host` as `valid_host` and the request as `original_request`:
 * - `list_services` → `options.serviceNames`.
 * - `file_by_filename` → the serialized `FileDescriptorProto` of that file, then those of its
 *   transitive dependencies (well-known types included), each once.
 * - `file_containing_symbol` → the same for the file declaring a service, method
 *   (`pkg.Service.Method`), message, field, oneof, enum, enum value or extension.
 * - `file_containing_extension` → the same for the file declaring that extension.
 * - `all_extension_numbers_of_type` → the extension numbers known for a known message type
 *   (possibly none).
 * - Anything not found → `error_response` with code 5 (NOT_FOUND); a request with no question
 *   → code 3 (INVALID_ARGUMENT). Failures are answers, never stream errors, so one bad
 *   question does not end a client's session.
 *
 * The reflection protocol's own files are always served, whatever `source` holds.
 *
 * @throws Error at construction if a name in `options.serviceNames` is not a service declared
 *   in `source` — a client would otherwise fail later, far from the cause.
 */
export function createReflectionServiceImpls(
  source: DescriptorSource,
  options: ReflectionOptions,
): ReflectionServiceImpls {
  const index = new DescriptorIndex([
    ...filesOf(source),
    v1.file_grpc_reflection_v1_reflection,
    v1alpha.file_grpc_reflection_v1alpha_reflection,
  ]);
  const missing = options.serviceNames.filter((name) => !index.hasService(name));
  if (missing.length > 0) {
    throw new Error(`reflection: no descriptor for service(s) ${missing.join(", ")}`);
  }
  const listed: Answer = {
    case: "listServicesResponse",
    value: { service: options.serviceNames.map((name) => ({ name })) },
  };
  const answer = (request: MessageRequest): Answer => {
    try {
      return answerWith(index, listed, request);
    } catch (error) {
      return failure(Code.Internal, messageOf(error));
    }
  };
  return {
    v1: { serverReflectionInfo: answerEach<v1.ServerReflectionRequest>(answer) },
    v1alpha: { serverReflectionInfo: answerEach<v1alpha.ServerReflectionRequest>(answer) },
  };
}

/**
 * What `registerReflection` needs: the schema and the services to list.
 */
export interface RegisterReflectionOptions extends ReflectionOptions {
  /** The files declaring the listed services; dependencies are followed. */
  readonly files: DescriptorSource;
}

/**
 * Registers both reflection services on `router`, listing `options.serviceNames` plus the two
 * reflection services themselves (each name once, in that order). Same contract as
 * `createReflectionServiceImpls`, including its throw for a service missing from
 * `options.files`.
 */
export function registerReflection(
  router: ConnectRouter,
  options: RegisterReflectionOptions,
): void {
  const serviceNames = [...new Set([...options.serviceNames, ...REFLECTION_SERVICE_NAMES])];
  const impls = createReflectionServiceImpls(options.files, { serviceNames });
  router.service(v1.ServerReflection, impls.v1);
  router.service(v1alpha.ServerReflection, impls.v1alpha);
}

function answerEach<Req extends { host: string; messageRequest: MessageRequest }>(
  answer: (request: MessageRequest) => Answer,
) {
  return async function* (requests: AsyncIterable<Req>) {
    for await (const request of requests) {
      yield {
        validHost: request.host,
        originalRequest: request,
        messageResponse: answer(request.messageRequest),
      };
    }
  };
}

function answerWith(index: DescriptorIndex, listed: Answer, request: MessageRequest): Answer {
  switch (request.case) {
    case "listServices":
      return listed;
    case "fileByFilename": {
      const file = index.file(request.value);
      return file === undefined
        ? failure(Code.NotFound, `file not found: ${request.value}`)
        : files(index.closure(file));
    }
    case "fileContainingSymbol": {
      const file = index.fileContainingSymbol(request.value);
      return file === undefined
        ? failure(Code.NotFound, `symbol not found: ${request.value}`)
        : files(index.closure(file));
    }
    case "fileContainingExtension": {
      const { containingType, extensionNumber } = request.value;
      const file = index.fileContainingExtension(containingType, extensionNumber);
      return file === undefined
        ? failure(Code.NotFound, `extension not found: ${containingType}(${extensionNumber})`)
        : files(index.closure(file));
    }
    case "allExtensionNumbersOfType":
      return index.hasMessage(request.value)
        ? {
            case: "allExtensionNumbersResponse",
            value: {
              baseTypeName: request.value,
              extensionNumber: index.extensionNumbers(request.value),
            },
          }
        : failure(Code.NotFound, `message type not found: ${request.value}`);
    case undefined:
      return failure(Code.InvalidArgument, "empty reflection request");
  }
}

function files(fileDescriptorProto: Uint8Array[]): Answer {
  return { case: "fileDescriptorResponse", value: { fileDescriptorProto } };
}

function failure(errorCode: Code, errorMessage: string): Answer {
  return { case: "errorResponse", value: { errorCode, errorMessage } };
}
