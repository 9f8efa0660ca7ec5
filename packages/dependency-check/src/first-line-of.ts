import { messageOf } from "@tse/error-text";

/**
 * The first line of what was thrown, for a start-up check's one-line message: a driver's
 * message may run on with context lines.
 */
export function firstLineOf(error: unknown): string {
  return messageOf(error).split("\n")[0] ?? "";
}
