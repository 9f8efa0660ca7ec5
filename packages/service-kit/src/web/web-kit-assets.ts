import { fileURLToPath } from "node:url";
import { assetsInDirectory, type StaticAsset } from "../http/static-assets.js";

/** The kit's browser files: next to this module in src/, copied next to its build in dist/. */
const PUBLIC_DIRECTORY = fileURLToPath(new URL("./public/", import.meta.url));

/**
 * What the services' web pages share, served at `/web/kit/…`: the theme (`theme.css`) and plain
 * browser modules (a Connect client over fetch, polling and reconnection with backoff, the
 * connection badge, the identity header, DOM and number helpers). Pages import them through the
 * import-map prefix `@tse/web-kit/`, mapped to `/web/kit/`.
 */
export function webKitAssets(): StaticAsset[] {
  return assetsInDirectory(PUBLIC_DIRECTORY, "/web/kit/");
}
