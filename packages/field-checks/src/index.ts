/**
 * @tse/field-checks — the checks a record's fields pass before any store sees them. Each throws
 * one {@link ValidationError} naming the field, the broken rule and the value, so a service
 * catches one class for every adapter, and returns the value as a column stores it (decimals
 * rounded half away from zero as `numeric` does, UUIDs in lower case, dates copied).
 */

export {
  checkBoolean,
  checkDate,
  checkDecimal,
  checkEnum,
  checkFreeText,
  checkInteger,
  checkMetadata,
  checkObject,
  checkOptionalDate,
  checkOrder,
  checkPage,
  checkText,
  checkUuid,
  type DecimalColumn,
  isUuid,
  type JsonValue,
  type Metadata,
  type Page,
  PERCENT_COLUMN,
  roundDecimal,
  type Sign,
  validateBatch,
  validateObjectBatch,
} from "./field-checks.js";
export { SYMBOL_PATTERN, validateSymbol } from "./symbol.js";
export { ValidationError } from "./validation-error.js";
