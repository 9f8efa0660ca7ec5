import {
  create,
  createFileRegistry,
  type DescFile,
  fromBinary,
  type MessageInitShape,
} from "@bufbuild/protobuf";
import {
  type FileDescriptorProto,
  FileDescriptorProtoSchema,
  file_google_protobuf_descriptor,
  file_google_protobuf_timestamp,
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
} from "@bufbuild/protobuf/wkt";
import { Code, createClient, createRouterTransport } from "@connectrpc/connect";
import { file_grpc_health_v1_health, Health } from "@tse/proto/grpc/health/v1/health_pb";
import * as v1 from "@tse/proto/grpc/reflection/v1/reflection_pb";
import * as v1alpha from "@tse/proto/grpc/reflection/v1alpha/reflection_pb";
import { describe, expect, it } from "vitest";
import { createReflectionServiceImpls, registerReflection } from "./reflection-service.js";

// A schema with what the generated protocol files lack: imports (a well-known type and
// descriptor.proto), nested and enum types, a oneof, and an extension.
const fixtureProto = create(FileDescriptorProtoSchema, {
  name: "tse/fixture/v1/fixture.proto",
  package: "tse.fixture.v1",
  syntax: "proto3",
  dependency: ["google/protobuf/timestamp.proto", "google/protobuf/descriptor.proto"],
  messageType: [
    {
      name: "Tick",
      field: [
        {
          name: "at",
          number: 1,
          label: Label.OPTIONAL,
          type: Type.MESSAGE,
          typeName: ".google.protobuf.Timestamp",
          jsonName: "at",
        },
        {
          name: "side",
          number: 2,
          label: Label.OPTIONAL,
          type: Type.ENUM,
          typeName: ".tse.fixture.v1.Side",
          jsonName: "side",
        },
        {
          name: "price",
          number: 3,
          label: Label.OPTIONAL,
          type: Type.DOUBLE,
          oneofIndex: 0,
          jsonName: "price",
        },
      ],
      oneofDecl: [{ name: "value" }],
      nestedType: [{ name: "Inner" }],
    },
  ],
  enumType: [
    {
      name: "Side",
      value: [
        { name: "SIDE_UNSPECIFIED", number: 0 },
        { name: "SIDE_BUY", number: 1 },
      ],
    },
  ],
  service: [
    {
      name: "TickService",
      method: [
        { name: "GetTick", inputType: ".tse.fixture.v1.Tick", outputType: ".tse.fixture.v1.Tick" },
      ],
    },
  ],
  extension: [
    {
      name: "table_name",
      number: 50001,
      label: Label.OPTIONAL,
      type: Type.STRING,
      extendee: ".google.protobuf.MessageOptions",
      jsonName: "tableName",
    },
  ],
});
const fixtureRegistry = createFileRegistry(fixtureProto, (name) =>
  [file_google_protobuf_timestamp, file_google_protobuf_descriptor].find(
    (f) => f.proto.name === name,
  ),
);
const fixtureFile = fixtureRegistry.getFile(fixtureProto.name) as DescFile;

const serviceNames = [
  "grpc.health.v1.Health",
  "tse.fixture.v1.TickService",
  "grpc.reflection.v1.ServerReflection",
  "grpc.reflection.v1alpha.ServerReflection",
];

type Request = MessageInitShape<typeof v1.ServerReflectionRequestSchema>;
type Response = {
  validHost: string;
  originalRequest?: { host: string; messageRequest: { case: string | undefined } } | undefined;
  messageResponse: v1.ServerReflectionResponse["messageResponse"];
};

/** Sends `requests` on one stream of the given version and collects the answers. */
type Ask = (requests: Request[]) => Promise<Response[]>;

function transport() {
  return createRouterTransport((router) => {
    router.service(Health, {});
    registerReflection(router, {
      files: [file_grpc_health_v1_health, fixtureFile],
      serviceNames: ["grpc.health.v1.Health", "tse.fixture.v1.TickService"],
    });
  });
}

const versions: [string, Ask][] = [
  [
    "v1",
    async (requests) => {
      const client = createClient(v1.ServerReflection, transport());
      const out: Response[] = [];
      for await (const response of client.serverReflectionInfo(
        (async function* () {
          yield* requests.map((r) => create(v1.ServerReflectionRequestSchema, r));
        })(),
      )) {
        out.push(response);
      }
      return out;
    },
  ],
  [
    "v1alpha",
    async (requests) => {
      const client = createClient(v1alpha.ServerReflection, transport());
      const out: Response[] = [];
      for await (const response of client.serverReflectionInfo(
        (async function* () {
          // The versions differ only in type names, so the same init shapes apply.
          yield* requests.map((r) =>
            create(
              v1alpha.ServerReflectionRequestSchema,
              r as unknown as MessageInitShape<typeof v1alpha.ServerReflectionRequestSchema>,
            ),
          );
        })(),
      )) {
        out.push(response as unknown as Response);
      }
      return out;
    },
  ],
];

function filesOf(response: Response | undefined): FileDescriptorProto[] {
  expect(response?.messageResponse.case).toBe("fileDescriptorResponse");
  if (response?.messageResponse.case !== "fileDescriptorResponse") return [];
  return response.messageResponse.value.fileDescriptorProto.map((bytes) =>
    fromBinary(FileDescriptorProtoSchema, bytes),
  );
}

function errorOf(response: Response | undefined) {
  expect(response?.messageResponse.case).toBe("errorResponse");
  if (response?.messageResponse.case !== "errorResponse") throw new Error("not an error");
  return response.messageResponse.value;
}

describe.each(versions)("server reflection %s", (_version, ask) => {
  it("lists the given services and the reflection services", async () => {
    const [response] = await ask([
      { host: "h", messageRequest: { case: "listServices", value: "*" } },
    ]);
    expect(response?.messageResponse.case).toBe("listServicesResponse");
    if (response?.messageResponse.case !== "listServicesResponse") return;
    expect(response.messageResponse.value.service.map((s) => s.name)).toEqual(serviceNames);
  });

  it("finds the file of a service and of a method", async () => {
    const responses = await ask([
      { messageRequest: { case: "fileContainingSymbol", value: "grpc.health.v1.Health" } },
      { messageRequest: { case: "fileContainingSymbol", value: "grpc.health.v1.Health.Check" } },
    ]);
    for (const response of responses) {
      expect(filesOf(response).map((f) => f.name)).toEqual(["grpc/health/v1/health.proto"]);
    }
  });

  it("finds messages, nested types, fields, oneofs, enums, enum values and extensions", async () => {
    const symbols = [
      "tse.fixture.v1.Tick",
      "tse.fixture.v1.Tick.Inner",
      "tse.fixture.v1.Tick.at",
      "tse.fixture.v1.Tick.value",
      "tse.fixture.v1.Side",
      "tse.fixture.v1.SIDE_BUY",
      "tse.fixture.v1.Side.SIDE_BUY",
      "tse.fixture.v1.table_name",
      ".tse.fixture.v1.TickService.GetTick",
      "grpc.health.v1.HealthCheckResponse.ServingStatus",
      "google.protobuf.Timestamp",
    ];
    const responses = await ask(
      symbols.map((value) => ({ messageRequest: { case: "fileContainingSymbol", value } })),
    );
    expect(responses.map((r) => filesOf(r)[0]?.name)).toEqual([
      ...Array<string>(9).fill("tse/fixture/v1/fixture.proto"),
      "grpc/health/v1/health.proto",
      "google/protobuf/timestamp.proto",
    ]);
  });

  it("serves a file by name with its dependencies, decodable, the requested file first", async () => {
    const [response] = await ask([
      { messageRequest: { case: "fileByFilename", value: "tse/fixture/v1/fixture.proto" } },
    ]);
    const files = filesOf(response);
    expect(files.map((f) => f.name)).toEqual([
      "tse/fixture/v1/fixture.proto",
      "google/protobuf/timestamp.proto",
      "google/protobuf/descriptor.proto",
    ]);
    const [fixture, timestamp] = files;
    expect(fixture?.service[0]?.method[0]?.name).toBe("GetTick");
    expect(fixture?.dependency).toEqual(fixtureProto.dependency);
    expect(timestamp?.messageType[0]?.name).toBe("Timestamp");
  });

  it("answers extension questions", async () => {
    const responses = await ask([
      {
        messageRequest: {
          case: "fileContainingExtension",
          value: { containingType: "google.protobuf.MessageOptions", extensionNumber: 50001 },
        },
      },
      {
        messageRequest: {
          case: "allExtensionNumbersOfType",
          value: "google.protobuf.MessageOptions",
        },
      },
      { messageRequest: { case: "allExtensionNumbersOfType", value: "tse.fixture.v1.Tick" } },
      {
        messageRequest: {
          case: "fileContainingExtension",
          value: { containingType: "google.protobuf.MessageOptions", extensionNumber: 50002 },
        },
      },
      { messageRequest: { case: "allExtensionNumbersOfType", value: "no.such.Type" } },
    ]);
    expect(filesOf(responses[0])[0]?.name).toBe("tse/fixture/v1/fixture.proto");
    expect(responses[1]?.messageResponse).toMatchObject({
      case: "allExtensionNumbersResponse",
      value: { baseTypeName: "google.protobuf.MessageOptions", extensionNumber: [50001] },
    });
    expect(responses[2]?.messageResponse).toMatchObject({
      case: "allExtensionNumbersResponse",
      value: { baseTypeName: "tse.fixture.v1.Tick", extensionNumber: [] },
    });
    expect(errorOf(responses[3]).errorCode).toBe(Code.NotFound);
    expect(errorOf(responses[4]).errorCode).toBe(Code.NotFound);
  });

  it("answers unknown symbols and files with NOT_FOUND and keeps the stream going", async () => {
    const responses = await ask([
      { messageRequest: { case: "fileContainingSymbol", value: "no.such.Service" } },
      { messageRequest: { case: "fileByFilename", value: "no/such.proto" } },
      { messageRequest: { case: undefined } },
      { messageRequest: { case: "listServices", value: "" } },
    ]);
    expect(responses).toHaveLength(4);
    expect(errorOf(responses[0])).toMatchObject({ errorCode: 5 });
    expect(errorOf(responses[0]).errorMessage).toContain("no.such.Service");
    expect(errorOf(responses[1])).toMatchObject({ errorCode: 5 });
    expect(errorOf(responses[1]).errorMessage).toContain("no/such.proto");
    expect(errorOf(responses[2]).errorCode).toBe(Code.InvalidArgument);
    expect(responses[3]?.messageResponse.case).toBe("listServicesResponse");
  });

  it("echoes the host and the original request in every response", async () => {
    const responses = await ask([
      { host: "a.example", messageRequest: { case: "listServices", value: "" } },
      { host: "b.example", messageRequest: { case: "fileContainingSymbol", value: "nope" } },
    ]);
    expect(responses.map((r) => r.validHost)).toEqual(["a.example", "b.example"]);
    expect(responses.map((r) => r.originalRequest?.host)).toEqual(["a.example", "b.example"]);
    expect(responses.map((r) => r.originalRequest?.messageRequest.case)).toEqual([
      "listServices",
      "fileContainingSymbol",
    ]);
  });
});

describe("createReflectionServiceImpls", () => {
  it("accepts a FileRegistry and lists exactly the names given", async () => {
    const impls = createReflectionServiceImpls(fixtureRegistry, {
      serviceNames: ["tse.fixture.v1.TickService"],
    });
    const client = createClient(
      v1.ServerReflection,
      createRouterTransport((router) => router.service(v1.ServerReflection, impls.v1)),
    );
    const responses = [];
    for await (const response of client.serverReflectionInfo(
      (async function* () {
        yield create(v1.ServerReflectionRequestSchema, {
          messageRequest: { case: "listServices", value: "" },
        });
        yield create(v1.ServerReflectionRequestSchema, {
          messageRequest: { case: "fileByFilename", value: "google/protobuf/descriptor.proto" },
        });
      })(),
    )) {
      responses.push(response);
    }
    expect(responses[0]?.messageResponse).toMatchObject({
      case: "listServicesResponse",
      value: { service: [{ name: "tse.fixture.v1.TickService" }] },
    });
    expect(responses[1]?.messageResponse.case).toBe("fileDescriptorResponse");
  });

  it("refuses a service name that no file declares", () => {
    expect(() =>
      createReflectionServiceImpls([fixtureFile], {
        serviceNames: ["tse.fixture.v1.TickService", "tse.fixture.v1.Typo"],
      }),
    ).toThrow(/tse\.fixture\.v1\.Typo/);
  });
});
