import { randomUUID } from "node:crypto";
import { validateSymbol } from "./market-symbol.js";
import {
  checkDate,
  checkDecimal,
  checkMetadata,
  checkUuid,
  type Metadata,
  PERCENT_COLUMN,
  ValidationError,
} from "./validation-error.js";

/** The market state of a symbol at one instant, as stored in `market_snapshots`. */
export interface MarketSnapshot {
  /** uuid, lower case; assigned at validation when not given. Writing the same id twice is a no-op. */
  readonly snapshotId: string;
  readonly symbol: string;
  /** > 0. */
  readonly lastPrice: number;
  /** > 0, ≤ `ask`. */
  readonly bid: number;
  /** > 0, ≥ `bid`. */
  readonly ask: number;
  /** ≥ 0; normally `ask - bid`, not enforced (rounding). */
  readonly spread: number;
  /** ≥ 0. */
  readonly volume24h: number;
  /** Any finite amount, 8 decimals. */
  readonly priceChange24h: number;
  /** Any finite percentage below 10^6 in size, 4 decimals (`numeric(10,4)`). */
  readonly priceChangePercent24h: number;
  readonly timestamp: Date;
  readonly metadata: Metadata;
}

/** A snapshot as a caller gives it: the id and metadata may be left out. */
export type MarketSnapshotInput = Omit<MarketSnapshot, "snapshotId" | "metadata"> & {
  readonly snapshotId?: string;
  readonly metadata?: Metadata;
};

/** Records validateMarketSnapshot produced: frozen, so still valid; validating one again is free. */
const validatedSnapshots = new WeakSet<object>();

/**
 * Validates a snapshot and returns the record to store (a copy).
 *
 * Contract: throws a `ValidationError` for an invalid symbol or id; a last price, bid or ask
 * that is not a finite number > 0; a bid above the ask; a negative spread or volume; a
 * non-finite price change; a percentage that is not finite or does not fit `numeric(10,4)`; an
 * invalid `Date`; or metadata that is not a JSON object. Assigns a random `snapshotId` when
 * absent; rounds decimals to the column scales (8, percentage 4).
 *
 * The record is frozen; given a record it returned, it returns that record at once (the
 * write-behind buffer validates on enqueue, the repository again on write).
 */
export function validateMarketSnapshot(input: MarketSnapshotInput): MarketSnapshot {
  if (validatedSnapshots.has(input as MarketSnapshot)) return input as MarketSnapshot;
  if (typeof input !== "object" || input === null) {
    throw new ValidationError("snapshot", "must be an object", input);
  }
  const bid = checkDecimal("bid", input.bid, "positive");
  const ask = checkDecimal("ask", input.ask, "positive");
  if (bid > ask) throw new ValidationError("bid", `must not be above ask (${ask})`, input.bid);
  const record: MarketSnapshot = Object.freeze({
    snapshotId:
      input.snapshotId === undefined ? randomUUID() : checkUuid("snapshotId", input.snapshotId),
    symbol: validateSymbol(input.symbol),
    lastPrice: checkDecimal("lastPrice", input.lastPrice, "positive"),
    bid,
    ask,
    spread: checkDecimal("spread", input.spread, "non-negative"),
    volume24h: checkDecimal("volume24h", input.volume24h, "non-negative"),
    priceChange24h: checkDecimal("priceChange24h", input.priceChange24h, "any"),
    priceChangePercent24h: checkDecimal(
      "priceChangePercent24h",
      input.priceChangePercent24h,
      "any",
      PERCENT_COLUMN,
    ),
    timestamp: checkDate("timestamp", input.timestamp),
    metadata: checkMetadata("metadata", input.metadata),
  });
  validatedSnapshots.add(record);
  return record;
}
