import { webPageRoutes as kitWebPageRoutes, type RestRoute } from "@tse/service-kit";

/**
 * The live market page (issue 9) at `/`: `public/` next to this module, the kit's
 * files and the chart library (see the kit's `webPageRoutes`). The page reads the REST, SSE and
 * Connect APIs of this port, same origin.
 */
export function webPageRoutes(): RestRoute[] {
  return kitWebPageRoutes(import.meta.url);
}
