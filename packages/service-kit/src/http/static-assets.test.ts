import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { NodeRequest, NodeResponse } from "./node-http.js";
import { RestRouter } from "./rest-router.js";
import { assetsInDirectory, staticAssetRoutes } from "./static-assets.js";

const directory = mkdtempSync(join(tmpdir(), "static-assets-"));
mkdirSync(join(directory, "js"));
writeFileSync(join(directory, "index.html"), "<!doctype html><title>t</title>");
writeFileSync(join(directory, "js", "app.js"), "export {};\n");
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Calls the route for `method path` and records what it wrote. */
function request(router: RestRouter, method: string, path: string, headers = {}) {
  const match = router.match(method, path);
  if (typeof match !== "object") return { status: 404, headers: {}, body: "" };
  const written = { status: 0, headers: {} as Record<string, unknown>, body: "" };
  const res = {
    set statusCode(value: number) {
      written.status = value;
    },
    setHeader(name: string, value: unknown) {
      written.headers[name.toLowerCase()] = value;
    },
    end(chunk?: Buffer) {
      written.body = chunk === undefined ? "" : chunk.toString();
    },
  } as unknown as NodeResponse;
  const req = { method, headers } as unknown as NodeRequest;
  match.handler({
    req,
    res,
    params: match.params,
    query: new URLSearchParams(),
    signal: new AbortController().signal,
  });
  return written;
}

describe("staticAssetRoutes", () => {
  const router = new RestRouter(
    staticAssetRoutes([
      { urlPath: "/", filePath: join(directory, "index.html") },
      ...assetsInDirectory(directory, "/web/"),
    ]),
  );

  it("serves each listed file with its content type, and nothing else", () => {
    const page = request(router, "GET", "/");
    expect(page.status).toBe(200);
    expect(page.body).toContain("<title>t</title>");
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    const script = request(router, "GET", "/web/js/app.js");
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(script.body).toBe("export {};\n");
    expect(request(router, "GET", "/web/../index.html").status).toBe(404);
    expect(request(router, "GET", "/web/js/other.js").status).toBe(404);
  });

  it("answers 304 to a matching If-None-Match and HEAD without a body", () => {
    const first = request(router, "GET", "/web/index.html");
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(request(router, "GET", "/web/index.html", { "if-none-match": etag }).status).toBe(304);
    const head = request(router, "HEAD", "/web/index.html");
    expect(head.status).toBe(200);
    expect(head.headers["content-length"]).toBe(first.body.length);
    expect(head.body).toBe("");
  });

  it("fails at composition when a listed file is missing", () => {
    expect(() =>
      staticAssetRoutes([{ urlPath: "/x", filePath: join(directory, "missing.js") }]),
    ).toThrow(/ENOENT/);
  });
});
