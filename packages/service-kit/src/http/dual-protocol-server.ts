import * as http from "node:http";
import * as http2 from "node:http2";
import * as net from "node:net";
import type { NodeHandler } from "./node-http.js";

/** The connection preface every HTTP/2 prior-knowledge client sends first (RFC 9113 §3.4). */
const HTTP2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/** A client that connects and sends nothing is dropped after this long. */
const FIRST_BYTES_TIMEOUT_MS = 10_000;

/**
 * Serves HTTP/1.1 and cleartext HTTP/2 (prior knowledge) on ONE port with one handler.
 *
 * Node's `allowHTTP1` only works after TLS ALPN, so a plain `net.Server` looks at the first
 * bytes of each connection: the HTTP/2 preface goes to an `http2` server, anything else to an
 * `http` server. The bytes read are put back (`unshift`) before the hand-over, and the socket is
 * not resumed, so the inner server sees the connection from its first byte.
 */
export class DualProtocolServer {
  /** The inner HTTP/1.1 server (for its timeouts and `closeAllConnections`). */
  readonly http1: http.Server;
  /** The inner HTTP/2 server. */
  readonly http2: http2.Http2Server;
  private readonly listener: net.Server;
  private readonly sessions = new Set<http2.ServerHttp2Session>();
  private readonly http1Sockets = new Set<net.Socket>();

  constructor(handler: NodeHandler, options: { readonly maxHeaderBytes?: number } = {}) {
    this.http1 = http.createServer({ maxHeaderSize: options.maxHeaderBytes ?? 16 * 1024 }, handler);
    this.http2 = http2.createServer({ maxSessionMemory: 32 }, handler);
    this.http2.on("session", (session) => {
      this.sessions.add(session);
      session.once("close", () => this.sessions.delete(session));
    });
    this.listener = net.createServer((socket) => this.route(socket));
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
    let seen: Buffer = Buffer.alloc(0);
    socket.setTimeout(FIRST_BYTES_TIMEOUT_MS, () => socket.destroy());
    socket.on("error", () => socket.destroy());
    const onData = (chunk: Buffer) => {
      seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
      const length = Math.min(seen.length, HTTP2_PREFACE.length);
      const isPrefacePrefix = seen.subarray(0, length).equals(HTTP2_PREFACE.subarray(0, length));
      if (isPrefacePrefix && seen.length < HTTP2_PREFACE.length) return;
      socket.off("data", onData);
      socket.pause();
      socket.setTimeout(0);
      socket.unshift(seen);
      if (isPrefacePrefix) {
        this.http2.emit("connection", socket);
        return;
      }
      this.http1Sockets.add(socket);
      socket.once("close", () => this.http1Sockets.delete(socket));
      this.http1.emit("connection", socket);
      // The HTTP/1 server only resumes sockets nobody paused; this one was paused above.
      socket.resume();
    };
    socket.on("data", onData);
  }
}
