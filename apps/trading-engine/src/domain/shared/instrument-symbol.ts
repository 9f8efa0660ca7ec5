/**
 * The form of an instrument symbol: base and quote asset, each 2–10 upper-case letters or
 * digits, joined by "-" (`BTC-USD`); so at most 21 characters.
 */
const INSTRUMENT_SYMBOL = /^[A-Z0-9]{2,10}-[A-Z0-9]{2,10}$/;

/** Whether `value` has the form of an instrument symbol (it may still be unknown). */
export function isInstrumentSymbol(value: string): boolean {
  return INSTRUMENT_SYMBOL.test(value);
}
