import { once } from "node:events";
import * as http2 from "node:http2";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DualProtocolServer } from "./dual-protocol-server.js";

let server: DualProtocolServer;
let port: number;

beforeAll(async () => {
  server = new DualProtocolServer((req, res) => {
    res.setHeader("Content-Type", "text/plain");
    res.end(`${req.httpVersion} ${req.method} ${req.url}`);
  });
  port = await server.listen(0, "127.0.0.1");
});

afterAll(async () => {
  server.closeConnections(true);
  await server.stopAccepting();
});

/** Sends `chunks` on a raw TCP connection, one write per chunk with a pause between. */
async function rawHttp1(chunks: string[]): Promise<string> {
  const socket = connect({ host: "127.0.0.1", port });
  await once(socket, "connect");
  let received = "";
  socket.on("data", (data: Buffer) => {
    received += data.toString();
  });
  const ended = once(socket, "end");
  for (const chunk of chunks) {
    socket.write(chunk);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await ended;
  socket.destroy();
  return received;
}

describe("DualProtocolServer", () => {
  it("serves HTTP/1.1 even when the first bytes arrive one at a time", async () => {
    const request = "GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    const response = await rawHttp1([...request.slice(0, 3)].concat(request.slice(3)));
    expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(response).toContain("1.1 GET /slow");
  });

  it("serves HTTP/2 with prior knowledge on the same port", async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    try {
      const stream = session.request({ ":path": "/h2", ":method": "GET" });
      stream.setEncoding("utf8");
      let body = "";
      stream.on("data", (chunk: string) => {
        body += chunk;
      });
      await once(stream, "end");
      expect(body).toBe("2.0 GET /h2");
    } finally {
      session.close();
    }
  });

  it("tracks open connections and closes them gracefully on demand", async () => {
    const own = new DualProtocolServer((_req, res) => res.end("ok"));
    const ownPort = await own.listen(0, "127.0.0.1");
    const session = http2.connect(`http://127.0.0.1:${ownPort}`);
    await once(session, "connect");
    while (own.openConnections === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(own.openConnections).toBe(1);
    const goaway = once(session, "goaway");
    own.closeConnections(false);
    await goaway;
    session.close();
    while (own.openConnections > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(own.openConnections).toBe(0);
    await own.stopAccepting();
  });
});
