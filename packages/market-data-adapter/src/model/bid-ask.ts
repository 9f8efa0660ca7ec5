import { checkDecimal, ValidationError } from "@tse/field-checks";

/** A bid and an ask as {@link checkBidAsk} returns them. */
export interface BidAsk {
  readonly bid: number;
  readonly ask: number;
}

/**
 * Checks the bid and ask of a stored record (price feed, snapshot): each a finite decimal > 0
 * (rounded to 8 places, as stored), the bid not above the ask. Returns both rounded; throws a
 * `ValidationError` naming `bid` or `ask` otherwise.
 */
export function checkBidAsk(input: BidAsk): BidAsk {
  const bid = checkDecimal("bid", input.bid, "positive");
  const ask = checkDecimal("ask", input.ask, "positive");
  if (bid > ask) throw new ValidationError("bid", `must not be above ask (${ask})`, input.bid);
  return { bid, ask };
}
