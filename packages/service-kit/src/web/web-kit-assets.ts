import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RestRoute } from "../http/rest-router.js";
import { assetsInDirectory, type StaticAsset, staticAssetRoutes } from "../http/static-assets.js";

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

/**
 * The routes of a service's web page, given `pageModuleUrl`, the `import.meta.url` of the
 * service's module that serves it: `GET /` is `index.html` of the `public/` directory next to
 * that module (in src/, and copied next to its build in dist/), `GET /web/…` its other files,
 * `/web/kit/…` the kit's shared ones ({@link webKitAssets}), and
 * `/web/vendor/lightweight-charts.mjs` TradingView's charting library from node_modules (no CDN:
 * deployments may have no internet), resolved from that module, where the service installs it,
 * not from the kit. Every file is read once, here (see `staticAssetRoutes`).
 */
export function webPageRoutes(pageModuleUrl: string): RestRoute[] {
  const publicDirectory = fileURLToPath(new URL("./public/", pageModuleUrl));
  const charts = dirname(createRequire(pageModuleUrl).resolve("lightweight-charts/package.json"));
  return staticAssetRoutes([
    { urlPath: "/", filePath: join(publicDirectory, "index.html") },
    ...assetsInDirectory(publicDirectory, "/web/"),
    ...webKitAssets(),
    {
      urlPath: "/web/vendor/lightweight-charts.mjs",
      filePath: join(charts, "dist", "lightweight-charts.standalone.production.mjs"),
    },
  ]);
}
