import { EngineRequestError } from "../domain/engine/engine-request-error.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * Checks a free-text field of a request (a reason, a name): at most `max` characters and no
 * control characters, so it can be stored and logged as it is. Throws `invalid` naming it.
 */
export function checkText(field: string, value: string, max = 200): string {
  if (value.length > max || CONTROL_CHARACTERS.test(value)) {
    throw new EngineRequestError(
      "invalid",
      `${field} must be at most ${max} characters, without control characters`,
    );
  }
  return value;
}
