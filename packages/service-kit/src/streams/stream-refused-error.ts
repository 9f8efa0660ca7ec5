/**
 * Why a {@link ConflatingHub} refused a subscription. An API answers `kind: "limit"` with
 * `ResourceExhausted` / 429 and `kind: "invalid"` with `InvalidArgument` / 400.
 */
export class StreamRefusedError extends Error {
  override readonly name = "StreamRefusedError";

  constructor(
    message: string,
    /** `limit`: a capacity limit was reached; `invalid`: the request itself is wrong. */
    readonly kind: "limit" | "invalid",
  ) {
    super(message);
  }
}
