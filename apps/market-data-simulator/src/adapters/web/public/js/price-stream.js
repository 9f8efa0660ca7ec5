// The live quotes of every symbol, from the Server-Sent Events stream of DESIGN §4.3.
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
 * Subscribes to `/api/v1/stream/prices` and hands every quote to `onQuotes`. The browser's
 * EventSource reconnects by itself after a dropped connection; when it gives up (the server
 * answered with an error) or the stream goes silent, this reconnects with backoff. `onState`
 * hears `reconnecting` from the first sign of trouble until events flow again.
 */
export class PriceStream {
  /** @type {EventSource | undefined} */
  #source;
  #lastEventAt = 0;
  #attempt = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #retry;
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
    this.#connect();
    setInterval(() => {
      if (this.#source !== undefined && Date.now() - this.#lastEventAt > SILENCE_LIMIT_MS) {
        this.#reconnectLater();
      }
    }, 2_000);
  }

  #connect() {
    const source = new EventSource("/api/v1/stream/prices");
    this.#source = source;
    this.#lastEventAt = Date.now();
    /**
     * @template T the event's JSON
     * @param {(data: T) => readonly PriceBody[]} quotesOf
     */
    const handler = (quotesOf) => (/** @type {MessageEvent<string>} */ event) => {
      this.#lastEventAt = Date.now();
      this.#attempt = 0;
      this.#onState("live");
      this.#onQuotes(quotesOf(JSON.parse(event.data)));
    };
    source.addEventListener(
      "prices",
      handler((/** @type {Record<string, PriceBody>} */ all) => Object.values(all)),
    );
    source.addEventListener(
      "price",
      handler((/** @type {{ data: PriceBody }} */ one) => [one.data]),
    );
    source.addEventListener("error", () => {
      this.#onState("reconnecting");
      if (source.readyState === EventSource.CLOSED) this.#reconnectLater();
    });
  }

  #reconnectLater() {
    this.#source?.close();
    this.#source = undefined;
    this.#onState("reconnecting");
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => this.#connect(), backoffMs(this.#attempt++));
  }
}
