import { fileURLToPath } from "node:url";
import { webPageRoutes as kitWebPageRoutes, type RestRoute } from "@tse/service-kit";

/** The page's own files: next to this module in src/, copied next to its build in dist/. */
const PUBLIC_DIRECTORY = fileURLToPath(new URL("./public/", import.meta.url));

/**
 * The live market page (DESIGN §4.3, issue 9) at `/`, with its files, the kit's and the chart
 * library (see the kit's `webPageRoutes`). The page reads the REST, SSE and Connect APIs of
 * this port, same origin.
 */
export function webPageRoutes(): RestRoute[] {
  return kitWebPageRoutes({ publicDirectory: PUBLIC_DIRECTORY, chartsFrom: import.meta.url });
}
