import { INSTANCE_KEYS, type NamespaceSource, redisKey } from "@tse/instance-naming";
import { createClient, ErrorReply } from "redis";
import { RedisUnavailableError } from "./redis-unavailable-error.js";

/** The node-redis client type the stores use (RESP3, no extra modules loaded on connect). */
export type RedisClient = ReturnType<typeof createClient>;

/** Default per-command (and per-pipeline) deadline: 1 s. See {@link RedisConnectionOptions}. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 1_000;
/** Default TCP connect + handshake deadline of one connection attempt: 2 s. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
/** Default time {@link RedisConnection.connect} waits for the first ready connection: 10 s. */
export const DEFAULT_STARTUP_TIMEOUT_MS = 10_000;
/** Default first reconnect delay: 100 ms (doubling per failed attempt). */
export const DEFAULT_RECONNECT_INITIAL_DELAY_MS = 100;
/** Default reconnect delay cap: 5 s. */
export const DEFAULT_RECONNECT_MAX_DELAY_MS = 5_000;

/** The connection's life cycle, as reported to {@link RedisConnectionOptions.onStateChange}. */
export type RedisConnectionState = "connecting" | "ready" | "reconnecting" | "closed";

/** Reconnect backoff settings. */
export interface ReconnectOptions {
  /** The delay before the first retry, ms (>= 10; default 100). */
  readonly initialDelayMs?: number;
  /** The delay never exceeds this, ms (default 5 000). */
  readonly maxDelayMs?: number;
}

/** Options of {@link createRedisConnection}. */
export interface RedisConnectionOptions {
  /** `redis://[user[:password]@]host[:port][/db]` (or `rediss://`). */
  readonly url: string;
  /** The instance namespace: {@link RedisConnection.health} reads `<ns>health` under it. */
  readonly namespace: NamespaceSource;
  /**
   * Deadline of every single command and of every pipeline round trip, ms (default 1 000).
   * Every command these stores send is O(1) or a bounded batch that takes well under a
   * millisecond on a healthy Redis, so one that has not answered in a second means Redis or the
   * network is in trouble; failing then keeps publishers and the readiness check (cached ~1 s,
   * probed with 1-3 s timeouts by orchestrators) responsive, where node-redis' 5 s default
   * would hold them. node-redis applies no timeout to pipelines, so the connection races them
   * against this deadline itself.
   */
  readonly commandTimeoutMs?: number;
  /** Deadline of one TCP connect + handshake attempt, ms (default 2 000). */
  readonly connectTimeoutMs?: number;
  /** How long {@link RedisConnection.connect} waits for the first ready connection (default 10 000). */
  readonly startupTimeoutMs?: number;
  /** Exponential reconnect backoff with jitter; see {@link reconnectDelay}. */
  readonly reconnect?: ReconnectOptions;
  /**
   * Receives every error the client emits (a failed reconnect attempt, a lost socket). Required:
   * an unhandled `error` event would crash the process, and a silent one hides outages. At most
   * one call per reconnect attempt, so the backoff also bounds the log rate.
   */
  readonly onError: (error: Error) => void;
  /** Told about state changes (for logs and metrics); optional. */
  readonly onStateChange?: (state: RedisConnectionState) => void;
  /** Random source in [0, 1) for the backoff jitter; default `Math.random` (tests pin it). */
  readonly random?: () => number;
}

/** The outcome of {@link RedisConnection.health}; never a rejection. */
export type RedisHealth =
  | { readonly ok: true; readonly latencyMs: number }
  | { readonly ok: false; readonly reason: string };

/** One Redis client with deliberate timeouts, reconnects and ACL-safe health checks. */
export interface RedisConnection {
  /** The node-redis client. Prefer {@link run} for commands, to get uniform unavailability errors. */
  readonly client: RedisClient;
  /** The deadline of each command / pipeline, ms. */
  readonly commandTimeoutMs: number;
  /** How long {@link connect} waits for the first ready connection, ms. */
  readonly startupTimeoutMs: number;
  /** Whether the client is connected and past its handshake right now. */
  readonly isReady: boolean;
  /**
   * Starts the client (once; later calls just wait) and resolves when it is ready. Rejects with a
   * {@link RedisUnavailableError} after `startupTimeoutMs` (its message carries the last
   * connection error, e.g. `ECONNREFUSED`) or when `signal` aborts; the client keeps
   * reconnecting in the background then, so the service can start not-ready and recover.
   * Rejects at once, with the server's reply as its `cause`, when Redis refuses the handshake
   * (`WRONGPASS`, `NOAUTH`, ...): waiting cannot fix credentials.
   */
  connect(signal?: AbortSignal): Promise<void>;
  /**
   * Checks Redis with `EXISTS <ns>health` — a read the ecosystem ACL (`+@read +@write +@keyspace
   * -@dangerous`) permits, unlike `PING`, `INFO` or `CLIENT`. Answers at once with `ok: false`
   * when not connected; otherwise within `commandTimeoutMs` (or sooner if `signal` aborts).
   * Never rejects.
   */
  health(signal?: AbortSignal): Promise<RedisHealth>;
  /**
   * Runs `work` (commands or a pipeline on {@link client}) with the connection's guarantees:
   * fails at once with a {@link RedisUnavailableError} when not connected; rejects with one
   * after `commandTimeoutMs` (node-redis does not time out pipelines itself); driver errors of
   * an outage (timeout, offline, closed, socket lost) become {@link RedisUnavailableError}s.
   * Errors Redis answers (`ErrorReply`, e.g. `NOPERM`) pass through unchanged.
   */
  run<T>(operation: string, work: (client: RedisClient) => Promise<T>): Promise<T>;
  /** Closes the client: waits up to `commandTimeoutMs` for replies in flight, then drops the socket. Idempotent. */
  close(): Promise<void>;
}

/**
 * The delay before reconnect attempt `retries` (0-based): `base = min(maxDelayMs,
 * initialDelayMs × 2^retries)`, then "equal jitter" — uniformly in `[base/2, base)` — so many
 * instances do not reconnect in lock step, and the delay never drops near zero (no hot loop
 * while Redis is down).
 */
export function reconnectDelay(
  retries: number,
  options: ReconnectOptions = {},
  random: () => number = Math.random,
): number {
  const initial = Math.max(10, options.initialDelayMs ?? DEFAULT_RECONNECT_INITIAL_DELAY_MS);
  const max = Math.max(initial, options.maxDelayMs ?? DEFAULT_RECONNECT_MAX_DELAY_MS);
  const base = Math.min(max, initial * 2 ** Math.min(retries, 30));
  return Math.round(base / 2 + (random() * base) / 2);
}

/**
 * Creates (does not connect) a node-redis client for the ecosystem's Redis.
 *
 * Settings and why:
 * - per-command timeout `commandTimeoutMs` (default 1 s) instead of node-redis' implicit 5 s;
 *   pipelines get the same deadline through {@link RedisConnection.run};
 * - `disableOfflineQueue: true`: while disconnected, commands fail at once instead of piling up
 *   in memory and running late against a recovered Redis — quotes are perishable, and callers
 *   report not-ready instead;
 * - reconnect forever with {@link reconnectDelay} (exponential, jittered, capped), also after a
 *   connect timeout;
 * - `disableClientInfo: true`: node-redis 5+ otherwise sends `CLIENT SETINFO` on every connect,
 *   which ACL users without `@connection` may not run (the failures are ignored by the driver,
 *   but would still fill the server's ACL log); no client `name` (that would send `CLIENT
 *   SETNAME`/`HELLO SETNAME`), no `pingInterval` (`PING` is not granted), and
 *   `maintNotifications: "disabled"` (a Redis Enterprise `CLIENT` handshake command);
 * - RESP3: the handshake is `HELLO 3 [AUTH user pass]`, which Redis allows any user (like `AUTH`).
 */
export function createRedisConnection(options: RedisConnectionOptions): RedisConnection {
  const commandTimeoutMs = positive(
    "commandTimeoutMs",
    options.commandTimeoutMs,
    DEFAULT_COMMAND_TIMEOUT_MS,
  );
  const connectTimeoutMs = positive(
    "connectTimeoutMs",
    options.connectTimeoutMs,
    DEFAULT_CONNECT_TIMEOUT_MS,
  );
  const startupTimeoutMs = positive(
    "startupTimeoutMs",
    options.startupTimeoutMs,
    DEFAULT_STARTUP_TIMEOUT_MS,
  );
  const healthKey = redisKey(options.namespace, INSTANCE_KEYS.health);
  const random = options.random ?? Math.random;
  const reconnect = options.reconnect ?? {};
  const client: RedisClient = createClient({
    url: options.url,
    RESP: 3,
    disableOfflineQueue: true,
    disableClientInfo: true,
    maintNotifications: "disabled",
    commandOptions: { timeout: commandTimeoutMs },
    socket: {
      connectTimeout: connectTimeoutMs,
      reconnectStrategy: (retries) => reconnectDelay(retries, reconnect, random),
    },
  });
  return new NodeRedisConnection(client, {
    commandTimeoutMs,
    startupTimeoutMs,
    healthKey,
    onError: options.onError,
    onStateChange: options.onStateChange ?? (() => {}),
  });
}

interface Settings {
  readonly commandTimeoutMs: number;
  readonly startupTimeoutMs: number;
  readonly healthKey: string;
  readonly onError: (error: Error) => void;
  readonly onStateChange: (state: RedisConnectionState) => void;
}

class NodeRedisConnection implements RedisConnection {
  readonly client: RedisClient;
  readonly commandTimeoutMs: number;
  readonly startupTimeoutMs: number;
  readonly #settings: Settings;
  #started = false;
  #closed = false;
  /** The last error the client reported, for a start-up timeout's message. */
  #lastError: Error | undefined;
  /** Resolves (only) when the server refuses the handshake: the start-up cannot succeed. */
  #refusal: Promise<ErrorReply> | undefined;

  constructor(client: RedisClient, settings: Settings) {
    this.client = client;
    this.commandTimeoutMs = settings.commandTimeoutMs;
    this.startupTimeoutMs = settings.startupTimeoutMs;
    this.#settings = settings;
    // Listeners go on before connect(): an `error` event without a listener would throw.
    client.on("error", (error: unknown) => {
      this.#lastError = error instanceof Error ? error : new Error(String(error));
      settings.onError(this.#lastError);
    });
    client.on("ready", () => settings.onStateChange("ready"));
    client.on("reconnecting", () => settings.onStateChange("reconnecting"));
    client.on("end", () => settings.onStateChange("closed"));
  }

  get isReady(): boolean {
    return this.client.isReady;
  }

  async connect(signal?: AbortSignal): Promise<void> {
    if (this.#closed) throw new RedisUnavailableError("connect", "the connection is closed");
    if (!this.#started) {
      this.#started = true;
      this.#settings.onStateChange("connecting");
      // node-redis retries inside connect() until ready, except when the server answers the
      // handshake with an error (WRONGPASS, NOAUTH): that rejection is final.
      this.#refusal = new Promise((refused) => {
        this.client.connect().catch((error: unknown) => {
          if (error instanceof ErrorReply) refused(error);
        });
      });
    }
    if (this.client.isReady) return;
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.client.off("ready", onReady);
        signal?.removeEventListener("abort", onAbort);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onReady = () => finish();
      const onRefused = (reply: ErrorReply) =>
        finish(
          new RedisUnavailableError("connect", `the server refused it: ${reply.message}`, {
            cause: reply,
          }),
        );
      const onAbort = () =>
        finish(new RedisUnavailableError("connect", "aborted", { cause: signal?.reason }));
      const timer = setTimeout(() => {
        const last =
          this.#lastError === undefined ? "" : `; last error: ${describeError(this.#lastError)}`;
        finish(
          new RedisUnavailableError(
            "connect",
            `not ready after ${this.#settings.startupTimeoutMs} ms${last} (still retrying in the background)`,
            ...(this.#lastError === undefined ? [] : [{ cause: this.#lastError }]),
          ),
        );
      }, this.#settings.startupTimeoutMs);
      this.client.on("ready", onReady);
      void this.#refusal?.then(onRefused);
      if (signal?.aborted) onAbort();
      else signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  async health(signal?: AbortSignal): Promise<RedisHealth> {
    if (!this.client.isReady) {
      return {
        ok: false,
        reason: this.#closed || !this.#started ? "not connected" : "reconnecting",
      };
    }
    const started = performance.now();
    try {
      await this.client
        .withCommandOptions({
          timeout: this.commandTimeoutMs,
          ...(signal === undefined ? {} : { abortSignal: signal }),
        })
        .exists(this.#settings.healthKey);
      return { ok: true, latencyMs: performance.now() - started };
    } catch (error) {
      return { ok: false, reason: describeError(error) };
    }
  }

  async run<T>(operation: string, work: (client: RedisClient) => Promise<T>): Promise<T> {
    if (!this.client.isReady) {
      throw new RedisUnavailableError(
        operation,
        this.#closed || !this.#started ? "not connected" : "reconnecting",
      );
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new RedisUnavailableError(operation, `no reply within ${this.commandTimeoutMs} ms`),
          ),
        this.commandTimeoutMs,
      );
    });
    const pending = work(this.client);
    // The losing promise of the race must not surface as an unhandled rejection.
    pending.catch(() => {});
    try {
      return await Promise.race([pending, deadline]);
    } catch (error) {
      if (error instanceof RedisUnavailableError || error instanceof ErrorReply) throw error;
      if (error instanceof Error && OUTAGE_ERRORS.has(error.constructor.name)) {
        throw new RedisUnavailableError(operation, error.message, { cause: error });
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#started) return;
    if (this.client.isReady) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.client.close().catch(() => {}),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, this.commandTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
    }
    // Also stops a reconnect loop in progress; a no-op after a clean close.
    if (this.client.isOpen) this.client.destroy();
  }
}

/** Driver errors that mean "Redis is not reachable right now" (matched by class name, as node-redis exports them from its CommonJS build). */
const OUTAGE_ERRORS = new Set([
  "TimeoutError",
  "ClientOfflineError",
  "ClientClosedError",
  "SocketClosedUnexpectedlyError",
  "ConnectionTimeoutError",
  "DisconnectsClientError",
]);

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.constructor.name;
  return String(error);
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const result = value ?? fallback;
  if (!Number.isSafeInteger(result) || result < 1) {
    throw new RangeError(`${name} must be an integer number of milliseconds >= 1, got ${value}`);
  }
  return result;
}
