/**
 * Thrown when configuration is invalid. Its message is one line that names the variable (and
 * its flag) and the rule it broke, so a service can print it and exit without a stack trace.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";

  constructor(
    /** The environment variable at fault, e.g. `HTTP_PORT`; `argv` for a bad command line. */
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}
