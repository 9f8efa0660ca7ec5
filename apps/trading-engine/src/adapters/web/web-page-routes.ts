import { webPageRoutes as kitWebPageRoutes, type RestRoute } from "@tse/service-kit";

/**
 * The trading desk page (issue 9) at `/`: `public/` next to this module, the kit's
 * files and the chart library (see the kit's `webPageRoutes`). The page reads the REST API and
 * calls the Connect RPCs of this port, same origin.
 */
export function webPageRoutes(): RestRoute[] {
  return kitWebPageRoutes(import.meta.url);
}
