import * as http from "node:http";
import * as http2 from "node:http2";
import * as net from "node:net";
import type { NodeHandler } from "./node-http.js";

/** The connection preface every HTTP/2 prior-knowledge client sends first (RFC 9113 §3.4). */
const HTTP2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/**
 * Limits on the connections of a {@link DualProtocolServer}, so that clients which stall or
 * linger cannot hold sockets (file descriptors) for ever. Every deadline is absolute — bytes
 * trickling in do not extend it.
 */
export interface ConnectionLimits {
  /**
   * From the moment a connection is accepted, an HTTP/1.1 client must have sent its first
   * complete request head within this many milliseconds (a client that sends nothing too).
   */
  readonly headersTimeoutMs: number;
  /**
   * From the moment a connection is accepted, an HTTP/2 client must have sent the connection
   * preface and its first SETTINGS frame within this many milliseconds.
   */
  readonly http2HandshakeTimeoutMs: number;
  /**
   * A connection with no request (HTTP/1.1) or stream (HTTP/2) in flight for this many
   * milliseconds is closed: HTTP/2 with GOAWAY, HTTP/1.1 by closing the socket. A request or
   * stream in flight — a server stream, an SSE response — is never cut by it, however quiet.
   */
  readonly idleTimeoutMs: number;
  /** Connections open at once; a connection beyond this is closed as soon as it is accepted. */
  readonly maxConnections: number;
}

/** The limits a {@link DualProtocolServer} applies when it is given none. */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = Object.freeze({
  headersTimeoutMs: 10_000,
  http2HandshakeTimeoutMs: 10_000,
  idleTimeoutMs: 60_000,
  maxConnections: 2_048,
});

/** What the server tracks of one accepted connection. */
interface ConnectionState {
  /** `performance.now()` when it was accepted: the handshake deadlines count from there. */
  readonly acceptedAt: number;
  /** The pending deadline (headers, handshake or idle), if any. */
  timer: NodeJS.Timeout | undefined;
  /** HTTP/1.1 requests or HTTP/2 streams in flight. */
  inFlight: number;
}

/**
 * Serves HTTP/1.1 and cleartext HTTP/2 (prior knowledge) on ONE port with one handler.
 *
 * Node's `allowHTTP1` only works after TLS ALPN, so a plain `net.Server` looks at the first
 * bytes of each connection: the HTTP/2 preface goes to an `http2` server, anything else to an
 * `http` server. The bytes read are put back (`unshift`) before the hand-over, and the socket is
 * not resumed, so the inner server sees the connection from its first byte.
 *
 * Every connection is held to {@link ConnectionLimits} by timers of this class: Node's own
 * `headersTimeout` does not fire for sockets handed to an `http` server this way, and an
 * `http2` server has no handshake or idle deadline at all.
 */
export class DualProtocolServer {
  /** The inner HTTP/1.1 server (for its timeouts and `closeAllConnections`). */
  readonly http1: http.Server;
  /** The inner HTTP/2 server. */
  readonly http2: http2.Http2Server;
  private readonly listener: net.Server;
  private readonly limits: ConnectionLimits;
  private readonly sessions = new Set<http2.ServerHttp2Session>();
  private readonly http1Sockets = new Map<net.Socket, ConnectionState>();

  constructor(
    handler: NodeHandler,
    options: { readonly maxHeaderBytes?: number; readonly limits?: ConnectionLimits } = {},
  ) {
    this.limits = options.limits ?? DEFAULT_CONNECTION_LIMITS;
    this.http1 = http.createServer({ maxHeaderSize: options.maxHeaderBytes ?? 16 * 1024 }, handler);
    // Node closes idle keep-alive sockets itself (and announces it in `Keep-Alive: timeout=`);
    // the idle timer below is the backstop for bytes that keep resetting Node's timer.
    this.http1.keepAliveTimeout = this.limits.idleTimeoutMs;
    this.http1.on("request", (req, res) => this.trackRequest(req, res));
    this.http2 = http2.createServer({ maxSessionMemory: 32 }, handler);
    this.http2.on("session", (session) => {
      this.sessions.add(session);
      session.once("close", () => this.sessions.delete(session));
    });
    this.listener = net.createServer((socket) => this.route(socket));
    this.listener.maxConnections = this.limits.maxConnections;
  }

  /** Starts listening; resolves with the bound port (useful with port 0). */
  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.listener.once("error", reject);
      this.listener.listen(port, host, () => {
        this.listener.off("error", reject);
        resolve();
      });
    });
    // The inner servers never listen themselves; without a `listening` event the HTTP/1 server
    // does not arm its connection bookkeeping, and closeAllConnections() would do nothing.
    this.http1.emit("listening");
    return (this.listener.address() as net.AddressInfo).port;
  }

  /** The bound port, or `undefined` before `listen`. */
  get port(): number | undefined {
    const address = this.listener.address();
    return address !== null && typeof address === "object" ? address.port : undefined;
  }

  /**
   * Stops accepting connections at once. Open connections keep being served until
   * {@link closeConnections}; the returned promise resolves when the last one has closed.
   */
  stopAccepting(): Promise<void> {
    if (!this.listener.listening) return Promise.resolve();
    return new Promise((resolve) => this.listener.close(() => resolve()));
  }

  /**
   * Closes connections: idle HTTP/1 connections and HTTP/2 sessions gracefully (GOAWAY, open
   * streams may finish) when `force` is false; everything at once when `force` is true.
   */
  closeConnections(force: boolean): void {
    if (force) {
      this.http1.closeAllConnections();
      for (const session of this.sessions) session.destroy();
      return;
    }
    this.http1.closeIdleConnections();
    for (const session of this.sessions) if (!session.closed) session.close();
  }

  /** Open connections: HTTP/2 sessions plus HTTP/1 sockets. */
  get openConnections(): number {
    return this.sessions.size + this.http1Sockets.size;
  }

  private route(socket: net.Socket): void {
    const state: ConnectionState = { acceptedAt: performance.now(), timer: undefined, inFlight: 0 };
    let seen: Buffer = Buffer.alloc(0);
    this.expire(state, this.limits.headersTimeoutMs, () => socket.destroy());
    socket.on("error", () => socket.destroy());
    socket.once("close", () => clearTimeout(state.timer));
    const onData = (chunk: Buffer) => {
      seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
      const length = Math.min(seen.length, HTTP2_PREFACE.length);
      const isPrefacePrefix = seen.subarray(0, length).equals(HTTP2_PREFACE.subarray(0, length));
      if (isPrefacePrefix && seen.length < HTTP2_PREFACE.length) {
        this.expire(state, this.limits.http2HandshakeTimeoutMs, () => socket.destroy());
        return;
      }
      socket.off("data", onData);
      socket.pause();
      socket.unshift(seen);
      if (isPrefacePrefix) {
        this.handOverHttp2(socket, state);
        return;
      }
      this.http1Sockets.set(socket, state);
      socket.once("close", () => this.http1Sockets.delete(socket));
      this.http1.emit("connection", socket);
      // The HTTP/1 server only resumes sockets nobody paused; this one was paused above.
      socket.resume();
    };
    socket.on("data", onData);
  }

  private handOverHttp2(socket: net.Socket, state: ConnectionState): void {
    let session: http2.ServerHttp2Session | undefined;
    const capture = (created: http2.ServerHttp2Session) => {
      session = created;
    };
    // The server creates the session synchronously on `connection` (session.socket is a
    // proxy, so the session cannot be found from the socket later).
    this.http2.once("session", capture);
    this.http2.emit("connection", socket);
    this.http2.off("session", capture);
    if (session === undefined) {
      socket.destroy();
      return;
    }
    const owned = session;
    this.expire(state, this.limits.http2HandshakeTimeoutMs, () => owned.destroy());
    owned.once("close", () => clearTimeout(state.timer));
    owned.once("remoteSettings", () => {
      if (state.inFlight === 0) this.idle(state, () => owned.close());
      else clearTimeout(state.timer);
    });
    owned.on("stream", (stream: http2.ServerHttp2Stream) => {
      state.inFlight += 1;
      clearTimeout(state.timer);
      stream.once("close", () => {
        state.inFlight -= 1;
        if (state.inFlight === 0 && !owned.closed) this.idle(state, () => owned.close());
      });
    });
  }

  /** Counts an HTTP/1.1 request in flight on its connection until its response is done. */
  private trackRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const socket = req.socket;
    const state = this.http1Sockets.get(socket);
    if (state === undefined) return;
    state.inFlight += 1;
    clearTimeout(state.timer);
    res.once("close", () => {
      state.inFlight -= 1;
      if (state.inFlight === 0 && !socket.destroyed) this.idle(state, () => socket.destroy());
    });
  }

  /** Arms the idle deadline of a connection with nothing in flight. */
  private idle(state: ConnectionState, close: () => void): void {
    clearTimeout(state.timer);
    state.timer = setTimeout(close, this.limits.idleTimeoutMs).unref();
  }

  /** Arms a deadline `timeoutMs` after the connection was accepted. */
  private expire(state: ConnectionState, timeoutMs: number, close: () => void): void {
    clearTimeout(state.timer);
    const remaining = Math.max(0, state.acceptedAt + timeoutMs - performance.now());
    state.timer = setTimeout(close, remaining).unref();
  }
}
