import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";
import type { RestRoute } from "./rest-router.js";

/** One file served at one URL path. */
export interface StaticAsset {
  /** The URL path, e.g. `/` or `/web/app.js`. */
  readonly urlPath: string;
  /** The file's absolute path on disk. */
  readonly filePath: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

/**
 * Every file under `directory` (recursively) as an asset at `urlPrefix` + its relative path
 * with `/` separators (`public/js/app.js` with prefix `/web/` → `/web/js/app.js`).
 */
export function assetsInDirectory(directory: string, urlPrefix: string): StaticAsset[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const filePath = join(entry.parentPath, entry.name);
      return { urlPath: urlPrefix + relative(directory, filePath).split(sep).join("/"), filePath };
    });
}

/**
 * GET (and HEAD) routes serving fixed files, for a service's web page. Every file is read and
 * hashed once, here, so a missing file fails the composition instead of a request, a request
 * never touches the disk, and no URL can reach a file that was not listed. Responses carry a
 * strong ETag with `Cache-Control: no-cache` (browsers revalidate and get 304 while the file is
 * unchanged, so a new build shows at once) and `X-Content-Type-Options: nosniff`. They are
 * `open` (no token even with `AUTH_PROTECT_READS`): the files hold no data, and a page must load
 * before its user can enter a token.
 */
export function staticAssetRoutes(assets: readonly StaticAsset[]): RestRoute[] {
  return assets.map(({ urlPath, filePath }) => {
    const body = readFileSync(filePath);
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
    const contentType = CONTENT_TYPES[extname(filePath)] ?? "application/octet-stream";
    return {
      method: "GET",
      path: urlPath,
      access: "open",
      handler: ({ req, res }) => {
        res.setHeader("ETag", etag);
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("X-Content-Type-Options", "nosniff");
        if (req.headers["if-none-match"] === etag) {
          res.statusCode = 304;
          res.end();
          return undefined;
        }
        res.statusCode = 200;
        res.setHeader("Content-Type", contentType);
        res.setHeader("Content-Length", body.length);
        if (req.method === "HEAD") res.end();
        else res.end(body);
        return undefined;
      },
    };
  });
}
