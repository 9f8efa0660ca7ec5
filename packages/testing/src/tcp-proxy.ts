import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";

/**
 * A TCP forwarder in front of a real server, so a test can make that server "go away" for its
 * client — every connection dropped, new ones refused — without stopping the shared server.
 */
export interface TcpProxy {
  /** The URL to give the client: `target` with its host and port replaced by the proxy's. */
  readonly url: string;
  /**
   * Connections clients opened to the proxy so far, refused ones included: a test counts
   * reconnect attempts with it (backoff, not a hot loop, while the target is away).
   */
  readonly connections: number;
  /** Drops every open connection and refuses new ones until {@link restore}. */
  cut(): void;
  /** Forwards new connections again. */
  restore(): void;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 (a free port) forwarding to the host and port of `targetUrl`. */
export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port);
  const sockets = new Set<Socket>();
  let isCut = false;
  let connections = 0;
  const server: Server = createServer((client) => {
    connections += 1;
    if (isCut) {
      client.destroy();
      return;
    }
    const upstream = tcpConnect({ host: target.hostname, port: targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => undefined);
      socket.on("close", () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy has no port");
  const url = new URL(targetUrl);
  url.hostname = "127.0.0.1";
  url.port = String(address.port);
  return {
    url: url.toString(),
    get connections() {
      return connections;
    },
    cut() {
      isCut = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      isCut = false;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
