// Dependency rules of the workspace, checked in CI by `npm run check:dependencies`.
// Each app is layered: domain <- application <- adapters, wired by a composition root
// (src/service-definition.ts, src/main.ts, src/settings.ts), which the layer rules leave alone.
// Violations that exist on main are recorded in .dependency-cruiser-known-violations.json
// (`npm run check:dependencies:baseline` rewrites it); new ones fail the build.

/** Framework, wire-format, driver and metrics packages: what a domain must not know about. */
const frameworkAndDrivers = [
  "(^|/)node_modules/(@connectrpc|@bufbuild|@grpc|@nats-io|@opentelemetry)/",
  "(^|/)node_modules/(pino|postgres|redis|prom-client)/",
  "^packages/(proto|service-kit|prometheus-adapter|opentelemetry-adapter|metrics-port|market-data-adapter|trading-data-adapter)/",
];
/** Node's I/O modules: the domain does no I/O. */
const nodeIo =
  "^(node:)?(http|http2|https|net|tls|dgram|child_process|fs|fs/promises|worker_threads|cluster)$";
/** Drivers and servers: what the application layer reaches only through its ports. */
const drivers = [
  "(^|/)node_modules/(postgres|redis|@nats-io/[^/]+|@connectrpc/connect-node)/",
  "^(node:)?(http|http2|https|net|tls)$",
];
/** Tests and their fixtures may build a domain directly. */
const testCode = ["\\.test\\.ts$", "/src/testing/"];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A cycle makes modules impossible to understand, test or move one at a time.",
      from: {},
      to: { circular: true },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment:
        "An import that does not resolve is a typo, a missing dependency or a gap in this config. The web pages' @tse/web-kit/* is served by the service kit at run time (tsconfig.web.json maps it).",
      from: {},
      to: { couldNotResolve: true, pathNot: "^@tse/web-kit/" },
    },
    {
      name: "packages-not-to-apps",
      severity: "error",
      comment:
        "Libraries serve apps (and other services of the ecosystem), never the other way round.",
      from: { path: "^packages/" },
      to: { path: "^apps/" },
    },
    {
      name: "domain-not-to-outer-layers",
      severity: "error",
      comment:
        "The domain knows nothing of the application layer, adapters or the composition root.",
      from: { path: "^apps/([^/]+)/src/domain/", pathNot: testCode },
      to: { path: "^apps/$1/src/", pathNot: "^apps/$1/src/domain/" },
    },
    {
      name: "domain-not-to-frameworks",
      severity: "error",
      comment: "The domain imports no framework, wire-format, driver or metrics library.",
      from: { path: "^apps/[^/]+/src/domain/", pathNot: testCode },
      to: { path: [...frameworkAndDrivers, nodeIo] },
    },
    {
      name: "application-not-to-adapters",
      severity: "error",
      comment:
        "The application layer declares ports; adapters implement them and are wired in compose().",
      from: { path: "^apps/([^/]+)/src/application/", pathNot: testCode },
      to: { path: "^apps/$1/src/adapters/" },
    },
    {
      name: "application-not-to-drivers",
      severity: "error",
      comment: "The application layer talks to databases and servers only through its ports.",
      from: { path: "^apps/[^/]+/src/application/", pathNot: testCode },
      to: { path: drivers },
    },
    {
      name: "adapters-to-domain-types-only",
      severity: "error",
      comment:
        "Adapters enter the domain through the application layer; they may name domain types (import type).",
      from: { path: "^apps/([^/]+)/src/adapters/", pathNot: testCode },
      to: { path: "^apps/$1/src/domain/", dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    exclude: { path: ["^(apps|packages|tools)/[^/]+/dist/", "^packages/[^/]+/src/gen/"] },
    doNotFollow: { path: "(^|/)node_modules/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["@tse/source", "import", "node", "default"],
      mainFields: ["module", "main"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
