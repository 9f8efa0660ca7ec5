import type {
  DescEnum,
  DescExtension,
  DescFile,
  DescMessage,
  FileRegistry,
} from "@bufbuild/protobuf";
import { toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";

/**
 * Where reflection finds its schema: generated `DescFile`s (e.g. `file_grpc_health_v1_health`,
 * or `SomeService.file`) or a protobuf-es `FileRegistry`. Dependencies are followed, so
 * well-known types such as `google/protobuf/timestamp.proto` need not be listed.
 */
export type DescriptorSource = readonly DescFile[] | FileRegistry;

/** The files of `source`, without their dependencies (the index follows those itself). */
export function filesOf(source: DescriptorSource): Iterable<DescFile> {
  return "kind" in source ? source.files : source;
}

/**
 * The lookups server reflection needs, over a set of files closed under their dependencies.
 *
 * Contract:
 * - Files are keyed by their proto path (`grpc/health/v1/health.proto`); when two distinct
 *   `DescFile`s share a path the first one wins.
 * - Symbols are fully qualified names without a leading dot: packages' services, methods
 *   (`pkg.Service.Method`), messages, fields, oneofs, enums, enum values (both in protobuf's
 *   scope, `pkg.VALUE`, and under their enum, `pkg.Enum.VALUE`) and extensions.
 * - `closure` returns serialized `FileDescriptorProto`s, the given file first, then each
 *   transitive dependency once.
 */
export class DescriptorIndex {
  readonly #files = new Map<string, DescFile>();
  readonly #symbols = new Map<string, DescFile>();
  readonly #messages = new Set<string>();
  readonly #services = new Set<string>();
  // extendee full name → extension number → declaring file
  readonly #extensions = new Map<string, Map<number, DescFile>>();
  readonly #serialized = new Map<DescFile, Uint8Array>();

  constructor(files: Iterable<DescFile>) {
    for (const file of files) this.#addFile(file);
  }

  /** The file with this proto path, or `undefined`. */
  file(path: string): DescFile | undefined {
    return this.#files.get(path);
  }

  /** The file declaring this fully qualified symbol (a leading dot is tolerated), or `undefined`. */
  fileContainingSymbol(symbol: string): DescFile | undefined {
    return this.#symbols.get(symbol.startsWith(".") ? symbol.slice(1) : symbol);
  }

  /** Whether a service with this full name is known. */
  hasService(typeName: string): boolean {
    return this.#services.has(typeName);
  }

  /** Whether a message with this full name is known (extension questions are about messages). */
  hasMessage(typeName: string): boolean {
    return this.#messages.has(typeName);
  }

  /** The file declaring extension `number` of `extendee`, or `undefined`. */
  fileContainingExtension(extendee: string, number: number): DescFile | undefined {
    return this.#extensions.get(extendee)?.get(number);
  }

  /** The known extension numbers of `extendee`, ascending; empty if it has none. */
  extensionNumbers(extendee: string): number[] {
    return [...(this.#extensions.get(extendee)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /** `file` and its transitive dependencies as serialized `FileDescriptorProto`s, `file` first. */
  closure(file: DescFile): Uint8Array[] {
    const seen = new Set<DescFile>();
    const out: Uint8Array[] = [];
    const visit = (f: DescFile): void => {
      if (seen.has(f)) return;
      seen.add(f);
      out.push(this.#serialize(f));
      for (const dep of f.dependencies) visit(dep);
    };
    visit(file);
    return out;
  }

  #serialize(file: DescFile): Uint8Array {
    let bytes = this.#serialized.get(file);
    if (bytes === undefined) {
      bytes = toBinary(FileDescriptorProtoSchema, file.proto);
      this.#serialized.set(file, bytes);
    }
    return bytes;
  }

  #addFile(file: DescFile): void {
    if (this.#files.has(file.proto.name)) return;
    this.#files.set(file.proto.name, file);
    for (const dep of file.dependencies) this.#addFile(dep);
    for (const service of file.services) {
      this.#symbol(service.typeName, file);
      this.#services.add(service.typeName);
      for (const method of service.methods)
        this.#symbol(`${service.typeName}.${method.name}`, file);
    }
    for (const message of file.messages) this.#addMessage(message, file);
    for (const desc of file.enums) this.#addEnum(desc, file);
    for (const ext of file.extensions) this.#addExtension(ext, file);
  }

  #addMessage(message: DescMessage, file: DescFile): void {
    this.#symbol(message.typeName, file);
    this.#messages.add(message.typeName);
    for (const field of message.fields) this.#symbol(`${message.typeName}.${field.name}`, file);
    for (const oneof of message.oneofs) this.#symbol(`${message.typeName}.${oneof.name}`, file);
    for (const nested of message.nestedMessages) this.#addMessage(nested, file);
    for (const nested of message.nestedEnums) this.#addEnum(nested, file);
    for (const ext of message.nestedExtensions) this.#addExtension(ext, file);
  }

  #addEnum(desc: DescEnum, file: DescFile): void {
    this.#symbol(desc.typeName, file);
    // Protobuf scopes enum values beside their enum, but people also write Enum.VALUE.
    const scope = desc.typeName.slice(0, Math.max(0, desc.typeName.lastIndexOf(".")));
    for (const value of desc.values) {
      this.#symbol(scope === "" ? value.name : `${scope}.${value.name}`, file);
      this.#symbol(`${desc.typeName}.${value.name}`, file);
    }
  }

  #addExtension(ext: DescExtension, file: DescFile): void {
    this.#symbol(ext.typeName, file);
    let byNumber = this.#extensions.get(ext.extendee.typeName);
    if (byNumber === undefined) {
      byNumber = new Map();
      this.#extensions.set(ext.extendee.typeName, byNumber);
    }
    if (!byNumber.has(ext.number)) byNumber.set(ext.number, file);
  }

  #symbol(name: string, file: DescFile): void {
    if (!this.#symbols.has(name)) this.#symbols.set(name, file);
  }
}
