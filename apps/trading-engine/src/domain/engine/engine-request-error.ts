/** Why an engine request was refused; the API maps `kind` to a Connect code. */
export class EngineRequestError extends Error {
  override readonly name = "EngineRequestError";

  constructor(
    readonly kind: "invalid" | "not_found" | "already_exists" | "failed_precondition",
    message: string,
  ) {
    super(message);
  }
}
