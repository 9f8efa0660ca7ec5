/** A capacity limit of an {@link UpdateStreamHub} was reached. */
export class StreamLimitError extends Error {
  override readonly name = "StreamLimitError";
}

/** One subscriber's stream of updates, in batches. */
export interface UpdateSubscription<T> {
  /**
   * The updates since the previous batch, each item once in its latest state, in the order of
   * their last change; waits while there are none; `undefined` once closed.
   */
  next(): Promise<T[] | undefined>;
  /** Ends the subscription. Idempotent. */
  close(): void;
  /** Whether it was closed because its queue overflowed (a client too slow to keep up). */
  readonly overflowed: boolean;
}

interface Subscriber<T> {
  readonly accepts: (item: T) => boolean;
  readonly pending: Map<string, T>;
  wake: (() => void) | undefined;
  closed: boolean;
  overflowed: boolean;
}

/**
 * Fans engine updates (orders, positions) out to stream subscribers. Updates of one key (an
 * order id, a position) waiting for a subscriber collapse into the latest — which, for an order,
 * carries every fill — so nothing a client needs is lost. A subscriber whose queue still holds
 * `maxQueue` distinct keys is too slow: it is closed with `overflowed`, never allowed to grow
 * without bound or to slow the others. `publish` never waits.
 */
export class UpdateStreamHub<T> {
  readonly #subscribers = new Set<Subscriber<T>>();
  readonly #keyOf: (item: T) => string;
  readonly #limits: { readonly maxSubscribers: number; readonly maxQueue: number };

  constructor(
    keyOf: (item: T) => string,
    limits: { readonly maxSubscribers: number; readonly maxQueue: number },
  ) {
    this.#keyOf = keyOf;
    this.#limits = limits;
  }

  /** Open subscriptions. */
  get size(): number {
    return this.#subscribers.size;
  }

  /** Subscribes to the items `accepts` lets through; throws {@link StreamLimitError} when full. */
  subscribe(accepts: (item: T) => boolean = () => true): UpdateSubscription<T> {
    if (this.#subscribers.size >= this.#limits.maxSubscribers) {
      throw new StreamLimitError(`at most ${this.#limits.maxSubscribers} streams at once`);
    }
    const subscriber: Subscriber<T> = {
      accepts,
      pending: new Map(),
      wake: undefined,
      closed: false,
      overflowed: false,
    };
    this.#subscribers.add(subscriber);
    const close = () => {
      if (subscriber.closed) return;
      subscriber.closed = true;
      this.#subscribers.delete(subscriber);
      subscriber.wake?.();
    };
    return {
      async next() {
        while (subscriber.pending.size === 0 && !subscriber.closed) {
          await new Promise<void>((resolve) => {
            subscriber.wake = resolve;
          });
          subscriber.wake = undefined;
        }
        if (subscriber.closed) return undefined;
        const batch = [...subscriber.pending.values()];
        subscriber.pending.clear();
        return batch;
      },
      close,
      get overflowed() {
        return subscriber.overflowed;
      },
    };
  }

  /** Queues `items` for every subscriber that accepts them. */
  publish(items: readonly T[]): void {
    for (const subscriber of [...this.#subscribers]) {
      let added = false;
      for (const item of items) {
        if (!subscriber.accepts(item)) continue;
        const key = this.#keyOf(item);
        subscriber.pending.delete(key);
        subscriber.pending.set(key, item);
        added = true;
      }
      if (subscriber.pending.size > this.#limits.maxQueue) {
        subscriber.overflowed = true;
        subscriber.pending.clear();
        subscriber.closed = true;
        this.#subscribers.delete(subscriber);
        subscriber.wake?.();
      } else if (added) {
        subscriber.wake?.();
      }
    }
  }

  /** Closes every subscription (shutdown). */
  closeAll(): void {
    for (const subscriber of [...this.#subscribers]) {
      subscriber.closed = true;
      this.#subscribers.delete(subscriber);
      subscriber.wake?.();
    }
  }
}
