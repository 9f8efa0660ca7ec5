import { randomUUID } from "node:crypto";
import {
  checkDate,
  checkDecimal,
  checkMetadata,
  checkUuid,
  type Metadata,
  PERCENT_COLUMN,
  ValidationError,
} from "@tse/field-checks";
import { checkBidAsk } from "./bid-ask.js";
import { validateSymbol } from "./market-symbol.js";

/**
 * The market state of a symbol at one instant, as stored in `market_snapshots`. Its fields are
 * those of the validated record below, declared once there.
 */
export type MarketSnapshot = {
  readonly [Field in keyof ValidatedMarketSnapshot]: ValidatedMarketSnapshot[Field];
};

/** A snapshot as a caller gives it: the id and metadata may be left out. */
export type MarketSnapshotInput = Omit<MarketSnapshot, "snapshotId" | "metadata"> & {
  readonly snapshotId?: string;
  readonly metadata?: Metadata;
};

/**
 * The records validateMarketSnapshot produces: frozen, so still valid, and constructed nowhere
 * else, so the private brand marks a snapshot validated. It replaced a WeakSet of validated
 * records, whose add and lookup cost more than the rest of validation on batches of 100 000
 * snapshots.
 */
class ValidatedMarketSnapshot {
  // A private field rather than the prototype: `instanceof` can be fooled by
  // `Object.setPrototypeOf`, a private brand cannot.
  readonly #validated = true;
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
  /** Any finite percentage below 10^16 in size, 4 decimals (`numeric(20,4)`). */
  readonly priceChangePercent24h: number;
  readonly timestamp: Date;
  readonly metadata: Metadata;

  constructor(record: MarketSnapshot) {
    this.snapshotId = record.snapshotId;
    this.symbol = record.symbol;
    this.lastPrice = record.lastPrice;
    this.bid = record.bid;
    this.ask = record.ask;
    this.spread = record.spread;
    this.volume24h = record.volume24h;
    this.priceChange24h = record.priceChange24h;
    this.priceChangePercent24h = record.priceChangePercent24h;
    this.timestamp = record.timestamp;
    this.metadata = record.metadata;
    Object.freeze(this);
  }

  /** Whether validateMarketSnapshot returned `value`. */
  static is(value: unknown): value is ValidatedMarketSnapshot {
    return typeof value === "object" && value !== null && #validated in value;
  }
}

/**
 * Validates a snapshot and returns the record to store (a copy).
 *
 * Contract: throws a `ValidationError` for an invalid symbol or id; a last price, bid or ask
 * that is not a finite number > 0; a bid above the ask; a negative spread or volume; a
 * non-finite price change; a percentage that is not finite or does not fit `numeric(20,4)`; an
 * invalid `Date`; or metadata that is not a JSON object. Assigns a random `snapshotId` when
 * absent; rounds decimals to the column scales (8, percentage 4).
 *
 * The record is frozen; given a record it returned, it returns that record at once (the
 * write-behind buffer validates on enqueue, the repository again on write).
 */
export function validateMarketSnapshot(input: MarketSnapshotInput): MarketSnapshot {
  if (ValidatedMarketSnapshot.is(input)) return input;
  if (typeof input !== "object" || input === null) {
    throw new ValidationError("snapshot", "must be an object", input);
  }
  const { bid, ask } = checkBidAsk(input);
  return new ValidatedMarketSnapshot({
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
}
