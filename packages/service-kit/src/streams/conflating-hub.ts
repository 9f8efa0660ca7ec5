import type { OverflowPolicy } from "./overflow-policy.js";
import { StreamRefusedError } from "./stream-refused-error.js";

/** Capacity limits of a {@link ConflatingHub}; a subscription past them is refused. */
export interface ConflatingHubLimits {
  /** The most subscriptions open at once. */
  readonly maxSubscribers: number;
  /** The most topics one subscription may name (default: no limit). */
  readonly maxTopicsPerSubscription?: number;
}

/** How a {@link ConflatingHub} keys, bounds and reports its streams. */
export interface ConflatingHubOptions<U> {
  /**
   * Names what an update supersedes: an untaken update of the same key is replaced by the newer
   * one (one quote per symbol; one state per order id).
   */
  readonly keyOf: (update: U) => string;
  /** Names what a subscription selects an update by (default: its key). */
  readonly topicOf?: (update: U) => string;
  /** What bounds a slow subscriber's queue. */
  readonly overflow: OverflowPolicy;
  readonly limits: ConflatingHubLimits;
  /**
   * Words of the refusal messages: "`server` serves at most N streams at once", "a stream may
   * name at most N `topics`". Without `server` the first reads "at most N streams at once".
   */
  readonly wording?: { readonly server?: string; readonly topics?: string };
  /** Told how many updates were replaced by newer ones before their subscriber took them. */
  readonly onConflated?: (count: number) => void;
  /** Called after a subscription opens or closes, however it closed (e.g. to update a gauge). */
  readonly onSubscriptionsChanged?: () => void;
}

/**
 * One subscriber's view of the stream: batches, each holding the newest untaken update of every
 * key that changed since the previous batch, in the order of their last change.
 */
export interface StreamSubscription<U> extends AsyncIterable<U[]> {
  /** The topics it receives, or `all`. */
  readonly topics: ReadonlySet<string> | "all";
  /** Updates replaced by a newer one of the same key before this subscriber took them. */
  readonly conflated: number;
  /** Updates waiting right now (at most one per key). */
  readonly pending: number;
  /** Whether the hub closed it because its queue overflowed (a client too slow to keep up). */
  readonly overflowed: boolean;
  /** Waits for the next batch; `undefined` once closed, even if updates were waiting. */
  next(): Promise<U[] | undefined>;
  /** Ends the subscription: a waiting `next` resolves `undefined`. Idempotent. */
  close(): void;
}

type Accepts<U> = (update: U) => boolean;

/**
 * A subscription's state and its iterator in one object with its methods on the prototype: a
 * hub holds thousands of idle subscriptions, and per-subscription closures would cost each of
 * them several hundred bytes more.
 */
class HubSubscription<U> implements StreamSubscription<U> {
  readonly pendingByKey = new Map<string, U>();
  conflated = 0;
  closed = false;
  overflowed = false;
  #wake: (() => void) | undefined;

  constructor(
    readonly topics: ReadonlySet<string> | "all",
    readonly accepts: Accepts<U> | undefined,
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
 * Fans one stream of updates out to many subscribers without letting any of them slow the
 * publisher or the others. `publish` never waits: it puts each update into every interested
 * subscriber's queue, where it replaces an older, untaken update of the same key (conflation),
 * so a slow subscriber sees fewer, newer updates — for a state such as an order, the latest one
 * carries everything before it — and `onConflated` counts what it missed. The
 * {@link OverflowPolicy} says what bounds a queue beyond that. Subscriptions past the
 * {@link ConflatingHubLimits} are refused with a {@link StreamRefusedError}.
 */
export class ConflatingHub<U> {
  readonly #subscribers = new Set<HubSubscription<U>>();
  readonly #options: ConflatingHubOptions<U>;
  readonly #topicOf: (update: U) => string;
  readonly #maxPending: number;
  readonly #release = (subscription: HubSubscription<U>): void => {
    this.#subscribers.delete(subscription);
    this.#options.onSubscriptionsChanged?.();
  };

  constructor(options: ConflatingHubOptions<U>) {
    this.#options = options;
    this.#topicOf = options.topicOf ?? options.keyOf;
    this.#maxPending =
      options.overflow.kind === "close" ? options.overflow.maxPending : Number.POSITIVE_INFINITY;
  }

  /** Open subscriptions. */
  get size(): number {
    return this.#subscribers.size;
  }

  /** Open subscriptions that receive `topic` (naming it, or `all`). */
  subscriberCount(topic: string): number {
    let count = 0;
    for (const subscriber of this.#subscribers) {
      if (subscriber.topics === "all" || subscriber.topics.has(topic)) count += 1;
    }
    return count;
  }

  /**
   * Opens a subscription to `topics` (`all` for every topic, including ones that appear later),
   * further narrowed to the updates `accepts` lets through, if given. Throws a
   * {@link StreamRefusedError} when the hub is full or too many topics are named.
   */
  subscribe(
    topics: readonly string[] | "all" = "all",
    accepts?: Accepts<U>,
  ): StreamSubscription<U> {
    const { limits, wording } = this.#options;
    if (this.#subscribers.size >= limits.maxSubscribers) {
      const owner = wording?.server === undefined ? "" : `${wording.server} serves `;
      throw new StreamRefusedError(
        `${owner}at most ${limits.maxSubscribers} streams at once`,
        "limit",
      );
    }
    const maxTopics = limits.maxTopicsPerSubscription ?? Number.POSITIVE_INFINITY;
    if (topics !== "all" && topics.length > maxTopics) {
      throw new StreamRefusedError(
        `a stream may name at most ${maxTopics} ${wording?.topics ?? "topics"} (got ${topics.length})`,
        "limit",
      );
    }
    const subscription = new HubSubscription<U>(
      topics === "all" ? "all" : new Set(topics),
      accepts,
      this.#release,
    );
    this.#subscribers.add(subscription);
    this.#options.onSubscriptionsChanged?.();
    return subscription;
  }

  /** Hands `updates` to every interested subscriber, applying the overflow policy; never waits. */
  publish(updates: readonly U[]): void {
    let conflated = 0;
    for (const subscriber of this.#subscribers) {
      let added = false;
      for (const update of updates) {
        if (subscriber.topics !== "all" && !subscriber.topics.has(this.#topicOf(update))) continue;
        if (subscriber.accepts !== undefined && !subscriber.accepts(update)) continue;
        const key = this.#options.keyOf(update);
        if (subscriber.pendingByKey.has(key)) {
          subscriber.conflated += 1;
          conflated += 1;
          // Re-insert so the batch lists updates in the order they last changed.
          subscriber.pendingByKey.delete(key);
        }
        subscriber.pendingByKey.set(key, update);
        added = true;
      }
      if (subscriber.pendingByKey.size > this.#maxPending) {
        subscriber.overflowed = true;
        subscriber.pendingByKey.clear();
        subscriber.close();
      } else if (added) {
        subscriber.wake();
      }
    }
    if (conflated > 0) this.#options.onConflated?.(conflated);
  }

  /** Closes every subscription (shutdown): their iterators end. */
  closeAll(): void {
    for (const subscriber of [...this.#subscribers]) {
      this.#subscribers.delete(subscriber);
      subscriber.end();
    }
    this.#options.onSubscriptionsChanged?.();
  }
}
