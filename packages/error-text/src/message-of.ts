/**
 * The text of a thrown value: an `Error`'s message, anything else as `String(value)`. JavaScript
 * may throw anything, so a `catch` that reports what went wrong turns it into text with this.
 */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
