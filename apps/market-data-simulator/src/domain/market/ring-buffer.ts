/**
 * A fixed-capacity buffer keeping the most recent items: O(1) push, the oldest overwritten when
 * full. For the trade tape and in-memory candle history, which take many pushes per second.
 */
export class RingBuffer<T> {
  readonly #items: (T | undefined)[];
  #next = 0;
  #size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError("capacity must be an integer ≥ 1");
    this.#items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#size < this.capacity) this.#size += 1;
  }

  /** The oldest item kept, or `undefined` when empty. */
  oldest(): T | undefined {
    return this.#size === 0
      ? undefined
      : this.#items[(this.#next - this.#size + this.capacity) % this.capacity];
  }

  /** The last `count` items (all when absent), oldest first. */
  latest(count = this.#size): T[] {
    const n = Math.max(0, Math.min(count, this.#size));
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) {
      out[i] = this.#items[(this.#next - n + i + this.capacity) % this.capacity] as T;
    }
    return out;
  }
}
