import { type DestinationStream, type Logger, type LoggerOptions, pino } from "pino";
import { redactDeep, redactSecrets } from "./redact.js";

/** The identity fields stamped on every log line. */
export interface LogIdentity {
  readonly service: string;
  readonly instance: string;
  readonly environment: string;
  readonly version: string;
}

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  readonly identity: LogIdentity;
  /** pino level name; `silent` logs nothing. */
  readonly level: string;
  /** Where lines go; standard output when absent (tests pass a stream to read them). */
  readonly destination?: DestinationStream;
}

/**
 * Creates the service's structured JSON logger (pino). Every line carries `service`,
 * `instance`, `environment` and `version`; passwords in URLs and secret-named fields are
 * redacted from messages and from logged objects, so a connection string can be logged safely.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const pinoOptions: LoggerOptions = {
    level: options.level,
    base: { ...options.identity },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redactDeep(object) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const redacted = args.map((arg) => (typeof arg === "string" ? redactSecrets(arg) : arg));
        method.apply(this, redacted as Parameters<typeof method>);
      },
    },
  };
  return options.destination === undefined
    ? pino(pinoOptions)
    : pino(pinoOptions, options.destination);
}

export type { Logger };
