import { ValidationError } from "@tse/field-checks";
import { validateInstanceName } from "@tse/instance-naming";

/**
 * One running service instance in the shared discovery registry
 * (docs/data-model.md#service-discovery), TS side. Its wire form is
 * {@link ServiceRegistrationRecord}; convert with {@link serializeServiceRegistration} and
 * {@link parseServiceRegistration}.
 */
export interface ServiceRegistration {
  /** The service name (`market-data-simulator`); passes `validateInstanceName`. */
  readonly service: string;
  /** The instance label: the instance name, or the service name for a single instance. */
  readonly instance: string;
  readonly version: string;
  /** Host name or address other services connect to. */
  readonly host: string;
  /** 1-65535. */
  readonly httpPort: number;
  /** 1-65535, or 0 when the instance serves no separate gRPC port. */
  readonly grpcPort: number;
  /** e.g. `starting`, `healthy`, `unhealthy`, `stopping`; see {@link STATUS_PATTERN}. */
  readonly status: string;
  readonly environment: string;
  readonly registeredAt: Date;
  readonly lastHeartbeat: Date;
}

/**
 * The JSON stored at `registry:services:<service>:<instance>`. Field names are snake_case exactly
 * as docs/data-model.md#service-discovery fixes them, because services in other languages read
 * them; timestamps are RFC 3339 strings (what Go's `time.Time` writes and reads).
 */
export interface ServiceRegistrationRecord {
  readonly service: string;
  readonly instance: string;
  readonly version: string;
  readonly host: string;
  readonly http_port: number;
  readonly grpc_port: number;
  readonly status: string;
  readonly environment: string;
  readonly registered_at: string;
  readonly last_heartbeat: string;
}

/** A registration status: a lower-case word of at most 32 characters (`healthy`, `not_ready`). */
export const STATUS_PATTERN = /^[a-z][a-z_-]{0,31}$/;

/** A version or environment value: 1-64 printable ASCII characters, no whitespace. */
const LABEL_VALUE = /^[\x21-\x7e]{1,64}$/;

/** A host name or address: 1-255 printable ASCII characters, no whitespace. */
const HOST = /^[\x21-\x7e]{1,255}$/;

/**
 * Thrown when a registration breaks a rule. `field` is the wire (snake_case) name of the field,
 * `reason` the rule; the message is `invalid service registration <field>: <reason>`.
 */
export class ServiceRegistrationError extends ValidationError {
  override readonly name: string = "ServiceRegistrationError";

  constructor(field: string, reason: string) {
    super(field, reason);
    this.message = `invalid service registration ${field}: ${reason}`;
  }
}

/**
 * Checks every rule and returns the registration unchanged.
 *
 * Contract: `service` and `instance` pass `validateInstanceName` (so the discovery key has no
 * glob character or extra segment); `version` and `environment` are 1-64 printable ASCII
 * characters; `host` 1-255; `httpPort` an integer 1-65535; `grpcPort` 0-65535; `status` matches
 * {@link STATUS_PATTERN}; both dates are valid. The first broken rule (in field order) throws a
 * {@link ServiceRegistrationError} naming the wire field.
 */
export function validateServiceRegistration(
  registration: ServiceRegistration,
): ServiceRegistration {
  for (const field of ["service", "instance"] as const) {
    const value: unknown = registration[field];
    if (typeof value !== "string") throw new ServiceRegistrationError(field, "must be a string");
    const check = validateInstanceName(value);
    if (!check.ok) throw new ServiceRegistrationError(field, check.reason);
  }
  requirePattern("version", registration.version, LABEL_VALUE, "1-64 printable ASCII characters");
  requirePattern("host", registration.host, HOST, "1-255 printable ASCII characters");
  requirePort("http_port", registration.httpPort, 1);
  requirePort("grpc_port", registration.grpcPort, 0);
  requirePattern("status", registration.status, STATUS_PATTERN, STATUS_PATTERN.source);
  requirePattern(
    "environment",
    registration.environment,
    LABEL_VALUE,
    "1-64 printable ASCII characters",
  );
  requireDate("registered_at", registration.registeredAt);
  requireDate("last_heartbeat", registration.lastHeartbeat);
  return registration;
}

/** The wire record of a registration, after {@link validateServiceRegistration}. */
export function toRegistrationRecord(registration: ServiceRegistration): ServiceRegistrationRecord {
  validateServiceRegistration(registration);
  return {
    service: registration.service,
    instance: registration.instance,
    version: registration.version,
    host: registration.host,
    http_port: registration.httpPort,
    grpc_port: registration.grpcPort,
    status: registration.status,
    environment: registration.environment,
    registered_at: registration.registeredAt.toISOString(),
    last_heartbeat: registration.lastHeartbeat.toISOString(),
  };
}

/**
 * The registration of a parsed wire record.
 *
 * Contract: every field of {@link ServiceRegistrationRecord} must be present with its JSON type
 * (ports numbers, the rest strings); timestamps are RFC 3339 strings — epoch milliseconds
 * (numbers) are accepted too, for writers that use them. Unknown extra fields are ignored (other
 * services may add some). The result is validated with {@link validateServiceRegistration};
 * any violation throws a {@link ServiceRegistrationError}.
 */
export function fromRegistrationRecord(record: unknown): ServiceRegistration {
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    throw new ServiceRegistrationError("record", "must be a JSON object");
  }
  const source = record as Record<string, unknown>;
  const text = (field: string): string => {
    const value = source[field];
    if (typeof value !== "string") throw new ServiceRegistrationError(field, "must be a string");
    return value;
  };
  const number = (field: string): number => {
    const value = source[field];
    if (typeof value !== "number") throw new ServiceRegistrationError(field, "must be a number");
    return value;
  };
  const date = (field: string): Date => {
    const value = source[field];
    if (typeof value === "number") return new Date(value);
    if (typeof value !== "string" || !RFC3339.test(value)) {
      throw new ServiceRegistrationError(field, "must be an RFC 3339 timestamp");
    }
    return new Date(value);
  };
  return validateServiceRegistration({
    service: text("service"),
    instance: text("instance"),
    version: text("version"),
    host: text("host"),
    httpPort: number("http_port"),
    grpcPort: number("grpc_port"),
    status: text("status"),
    environment: text("environment"),
    registeredAt: date("registered_at"),
    lastHeartbeat: date("last_heartbeat"),
  });
}

/** The JSON text stored in the registry for a registration (validated first). */
export function serializeServiceRegistration(registration: ServiceRegistration): string {
  return JSON.stringify(toRegistrationRecord(registration));
}

/**
 * The registration in registry JSON text. Throws a {@link ServiceRegistrationError} (field
 * `json` for unparsable text) under the rules of {@link fromRegistrationRecord}.
 */
export function parseServiceRegistration(text: string): ServiceRegistration {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ServiceRegistrationError("json", "must be valid JSON");
  }
  return fromRegistrationRecord(parsed);
}

/** RFC 3339 date-time with any fraction precision (Go writes nanoseconds) and a zone. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function requirePattern(field: string, value: unknown, pattern: RegExp, rule: string): void {
  if (typeof value !== "string" || !pattern.test(value)) {
    throw new ServiceRegistrationError(field, `must be ${rule}`);
  }
}

function requirePort(field: string, value: unknown, min: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > 65_535) {
    throw new ServiceRegistrationError(field, `must be an integer ${min}-65535`);
  }
}

function requireDate(field: string, value: unknown): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new ServiceRegistrationError(field, "must be a valid date");
  }
}
