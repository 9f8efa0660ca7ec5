/**
 * An error a REST handler throws to answer with a 4xx/5xx status and the JSON body
 * `{error: {code, message}}`. `code` is a stable machine-readable word (`invalid_parameter`,
 * `not_found`, ...); `message` is for people.
 */
export class HttpError extends Error {
  override readonly name = "HttpError";

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  /** 400 `invalid_parameter`: a malformed or out-of-range request parameter. */
  static badRequest(message: string): HttpError {
    return new HttpError(400, "invalid_parameter", message);
  }

  /** 404 `not_found`. */
  static notFound(message: string): HttpError {
    return new HttpError(404, "not_found", message);
  }
}
