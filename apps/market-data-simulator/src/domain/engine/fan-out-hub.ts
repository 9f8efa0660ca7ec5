/** Limits of a {@link FanOutHub}. */
export interface FanOutLimits {
  /** The most subscriptions open at once (`MAX_SUBSCRIBERS`). */
  readonly maxSubscribers: number;
  /** The most symbols one subscription may name (`MAX_SYMBOLS_PER_STREAM`). */
  readonly maxSymbolsPerSubscription: number;
}

/** Why a subscription was refused; the API answers `ResourceExhausted` / 429 or `InvalidArgument`. */
export class SubscriptionRefusedError extends Error {
  override readonly name = "SubscriptionRefusedError";

  constructor(
    message: string,
    /** `limit`: a capacity limit was reached; `invalid`: the request itself is wrong. */
    readonly kind: "limit" | "invalid",
  ) {
    super(message);
  }
}

/**
 * One subscriber's view of the feed: an async iterator of batches, each holding the newest
 * update of every symbol that changed since the previous batch.
 */
export interface Subscription<U> extends AsyncIterable<U[]> {
  /** The symbols it receives, or `all`. */
  readonly symbols: ReadonlySet<string> | "all";
  /** Updates replaced by a newer one of the same symbol before this subscriber took them. */
  readonly conflated: number;
  /** Updates waiting right now (at most one per key of a subscribed symbol). */
  readonly pending: number;
  /** Waits for the next batch; `undefined` once closed. */
  next(): Promise<U[] | undefined>;
  /** Ends the subscription: a waiting `next` resolves `undefined`. Idempotent. */
  close(): void;
}

/** Observers and keying of a {@link FanOutHub}; every field is optional. */
export interface FanOutOptions<U> {
  /** Told how many updates were replaced by newer ones before their subscriber took them. */
  readonly onConflated?: (count: number) => void;
  /**
   * Names what an update supersedes (default: its symbol, one quote per symbol); a candle feed
   * keys by symbol, interval and open/closed so a closed candle is never replaced by the next
   * open one.
   */
  readonly keyOf?: (update: U) => string;
  /** Called after a subscription opens or closes (e.g. to update a gauge). */
  readonly onSubscriptionsChanged?: () => void;
}

/**
 * A subscription's state and its iterator in one object with its methods on the prototype: a
 * hub holds thousands of idle subscriptions, and per-subscription closures would cost each of
 * them several hundred bytes more.
 */
class HubSubscription<U> implements Subscription<U> {
  readonly pendingByKey = new Map<string, U>();
  conflated = 0;
  closed = false;
  #wake: (() => void) | undefined;

  constructor(
    readonly symbols: ReadonlySet<string> | "all",
    readonly release: (subscription: HubSubscription<U>) => void,
  ) {}

  get pending(): number {
    return this.pendingByKey.size;
  }

  async next(): Promise<U[] | undefined> {
    while (this.pendingByKey.size === 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
    if (this.closed) return undefined;
    const batch = [...this.pendingByKey.values()];
    this.pendingByKey.clear();
    return batch;
  }

  close(): void {
    if (this.closed) return;
    this.end();
    this.release(this);
  }

  /** Marks it closed and wakes a waiting `next` (which then resolves `undefined`). */
  end(): void {
    this.closed = true;
    this.wake();
  }

  /** Wakes a waiting `next`, if any. */
  wake(): void {
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<U[]> {
    try {
      for (;;) {
        const batch = await this.next();
        if (batch === undefined) return;
        yield batch;
      }
    } finally {
      this.close();
    }
  }
}

/**
 * Fans one feed out to many subscribers without letting any of them slow the feed or the others
 * (DESIGN §5). `publish` never waits: it puts each update into every interested subscriber's
 * queue, where it replaces an older, untaken update of the same symbol (conflation). A queue
 * therefore never holds more than one update per subscribed symbol, whatever the subscriber's
 * speed; a slow subscriber simply sees fewer, newer updates, and `onConflated` counts what it
 * missed.
 */
export class FanOutHub<U extends { readonly symbol: string }> {
  readonly #subscribers = new Set<HubSubscription<U>>();
  readonly #limits: FanOutLimits;
  readonly #onConflated: (count: number) => void;
  readonly #keyOf: (update: U) => string;
  readonly #onSubscriptionsChanged: () => void;
  readonly #release = (subscription: HubSubscription<U>): void => {
    this.#subscribers.delete(subscription);
    this.#onSubscriptionsChanged();
  };

  constructor(limits: FanOutLimits, options: FanOutOptions<U> = {}) {
    this.#limits = limits;
    this.#onConflated = options.onConflated ?? (() => undefined);
    this.#keyOf = options.keyOf ?? ((update) => update.symbol);
    this.#onSubscriptionsChanged = options.onSubscriptionsChanged ?? (() => undefined);
  }

  /** Open subscriptions. */
  get size(): number {
    return this.#subscribers.size;
  }

  /** Open subscriptions that receive `symbol` (naming it, or `all`). */
  subscriberCount(symbol: string): number {
    let count = 0;
    for (const subscriber of this.#subscribers) {
      if (subscriber.symbols === "all" || subscriber.symbols.has(symbol)) count += 1;
    }
    return count;
  }

  /**
   * Opens a subscription to `symbols` (`all` for every symbol, including ones added later).
   * Throws a {@link SubscriptionRefusedError} when the hub is full or too many symbols are named.
   */
  subscribe(symbols: readonly string[] | "all"): Subscription<U> {
    if (this.#subscribers.size >= this.#limits.maxSubscribers) {
      throw new SubscriptionRefusedError(
        `the simulator serves at most ${this.#limits.maxSubscribers} streams at once`,
        "limit",
      );
    }
    if (symbols !== "all" && symbols.length > this.#limits.maxSymbolsPerSubscription) {
      throw new SubscriptionRefusedError(
        `a stream may name at most ${this.#limits.maxSymbolsPerSubscription} symbols (got ${symbols.length})`,
        "limit",
      );
    }
    const subscription = new HubSubscription<U>(
      symbols === "all" ? "all" : new Set(symbols),
      this.#release,
    );
    this.#subscribers.add(subscription);
    this.#onSubscriptionsChanged();
    return subscription;
  }

  /** Hands `updates` to every interested subscriber; never waits. */
  publish(updates: readonly U[]): void {
    let conflated = 0;
    for (const subscriber of this.#subscribers) {
      let added = false;
      for (const update of updates) {
        if (subscriber.symbols !== "all" && !subscriber.symbols.has(update.symbol)) continue;
        const key = this.#keyOf(update);
        if (subscriber.pendingByKey.has(key)) {
          subscriber.conflated += 1;
          conflated += 1;
          // Re-insert so the batch lists updates in the order they last changed.
          subscriber.pendingByKey.delete(key);
        }
        subscriber.pendingByKey.set(key, update);
        added = true;
      }
      if (added) subscriber.wake();
    }
    if (conflated > 0) this.#onConflated(conflated);
  }

  /** Closes every subscription (shutdown): their iterators end. */
  closeAll(): void {
    for (const subscriber of [...this.#subscribers]) {
      this.#subscribers.delete(subscriber);
      subscriber.end();
    }
    this.#onSubscriptionsChanged();
  }
}
