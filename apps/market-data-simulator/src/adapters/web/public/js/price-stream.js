// The live quotes of every symbol, from the Server-Sent Events stream of
// docs/protocols.md#market-data-rest-and-sse.
import { readEventStream } from "@tse/web-kit/event-stream.js";
import { backoffMs } from "@tse/web-kit/retry.js";

/** @typedef {import("@tse/web-kit/connection-status.js").LinkState} LinkState */

/**
 * One quote as `/api/v1/market/price/{asset}` and the SSE events carry it.
 *
 * @typedef {object} PriceBody
 * @property {string} symbol
 * @property {number} price
 * @property {number} bid
 * @property {number} ask
 * @property {number} timestamp epoch milliseconds, simulated time
 * @property {number} change_24h
 * @property {number} change_percent_24h
 * @property {number} high_24h
 * @property {number} low_24h
 * @property {number} volume_24h
 */

/**
 * The server sends a full `prices` event every 15 s even when no quote changes (a stale-feed
 * scenario), so this long without any event means the connection is dead without an error.
 */
const SILENCE_LIMIT_MS = 20_000;

/**
 * Subscribes to `/api/v1/stream/prices` (over fetch, so that the access token goes with it) and
 * hands every quote to `onQuotes`. When the stream fails, ends or goes silent, this reconnects
 * with backoff. `onState` hears `reconnecting` from the first sign of trouble until events flow
 * again.
 */
export class PriceStream {
  /** @type {AbortController | undefined} */
  #connection;
  #lastEventAt = 0;
  #attempt = 0;
  #onQuotes;
  #onState;

  /**
   * @param {(quotes: readonly PriceBody[]) => void} onQuotes
   * @param {(state: LinkState) => void} onState
   */
  constructor(onQuotes, onState) {
    this.#onQuotes = onQuotes;
    this.#onState = onState;
  }

  start() {
    void this.#run();
    setInterval(() => {
      if (Date.now() - this.#lastEventAt > SILENCE_LIMIT_MS) this.#connection?.abort();
    }, 2_000);
  }

  async #run() {
    for (;;) {
      const connection = new AbortController();
      this.#connection = connection;
      this.#lastEventAt = Date.now();
      try {
        for await (const { event, data } of readEventStream(
          "/api/v1/stream/prices",
          connection.signal,
        )) {
          const quotes =
            event === "prices"
              ? Object.values(/** @type {Record<string, PriceBody>} */ (JSON.parse(data)))
              : event === "price"
                ? [/** @type {{ data: PriceBody }} */ (JSON.parse(data)).data]
                : [];
          this.#lastEventAt = Date.now();
          this.#attempt = 0;
          this.#onState("live");
          this.#onQuotes(quotes);
        }
      } catch {
        // A failed or silent stream: reconnected below.
      }
      connection.abort();
      this.#connection = undefined;
      this.#onState("reconnecting");
      await new Promise((resolve) => setTimeout(resolve, backoffMs(this.#attempt++)));
    }
  }
}
