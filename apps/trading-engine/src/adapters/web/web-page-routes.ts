import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  assetsInDirectory,
  type RestRoute,
  staticAssetRoutes,
  webKitAssets,
} from "@tse/service-kit";

/** The page's own files: next to this module in src/, copied next to its build in dist/. */
const PUBLIC_DIRECTORY = fileURLToPath(new URL("./public/", import.meta.url));

/**
 * The trading desk page (DESIGN §7, issue 9): `GET /` is the page, `GET /web/…` its files and the
 * kit's shared ones (`/web/kit/…`), and TradingView's lightweight-charts from node_modules (no
 * CDN: deployments may have no internet). The page reads the REST API and calls the Connect
 * RPCs of this port, same origin.
 */
export function webPageRoutes(): RestRoute[] {
  const charts = dirname(createRequire(import.meta.url).resolve("lightweight-charts/package.json"));
  return staticAssetRoutes([
    { urlPath: "/", filePath: join(PUBLIC_DIRECTORY, "index.html") },
    ...assetsInDirectory(PUBLIC_DIRECTORY, "/web/"),
    ...webKitAssets(),
    {
      urlPath: "/web/vendor/lightweight-charts.mjs",
      filePath: join(charts, "dist", "lightweight-charts.standalone.production.mjs"),
    },
  ]);
}
