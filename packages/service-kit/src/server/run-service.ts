import type { ConnectRouter } from "@connectrpc/connect";
import {
  InvalidIdentityError,
  resolveServiceIdentity,
  type ServiceIdentity,
} from "@tse/instance-naming";
import type { MetricsPort } from "@tse/metrics-port";
import type { Logger } from "pino";
import { resolveAccessPolicy } from "../auth/access-policy.js";
import { exposureWarning } from "../auth/exposure-warning.js";
import type { ServiceAccess } from "../auth/rpc-access.js";
import {
  type CommonSettings,
  commonSettings,
  type DefaultPorts,
} from "../config/common-settings.js";
import { ConfigError } from "../config/config-error.js";
import { renderHelp } from "../config/help.js";
import { type ConfigSources, loadConfig } from "../config/load-config.js";
import type { ConfigValues, SettingsSpec } from "../config/setting.js";
import { HealthStatusRegistry } from "../grpc-health/index.js";
import type { RestRoute } from "../http/rest-router.js";
import { createLogger } from "../logging/create-logger.js";
import { redactDeep } from "../logging/redact.js";
import { Readiness, type ReadinessCheck } from "../readiness/readiness.js";
import { checkBindable } from "./check-bindable.js";
import { createServiceMetrics } from "./service-metrics.js";
import { type ListeningPorts, ServiceServer } from "./service-server.js";
import { StartupError } from "./startup-error.js";

/** What a service is, before it is configured. */
export interface ServiceDefinition<S extends SettingsSpec> {
  /** Default `SERVICE_NAME` (the ecosystem's name, e.g. `market-data-simulator`). */
  readonly serviceName: string;
  /** Default `SERVICE_VERSION` (the app's package version). */
  readonly version: string;
  /** One line for `--help`. */
  readonly summary: string;
  readonly ports: DefaultPorts;
  /** The service's own settings, added to the common ones. */
  readonly settings: S;
  /** Builds the service from its configuration: the composition root's work. */
  compose(context: ServiceContext<S>): ServiceComposition | Promise<ServiceComposition>;
}

/** What {@link ServiceDefinition.compose} receives. */
export interface ServiceContext<S extends SettingsSpec> {
  readonly config: ConfigValues<CommonSettings & S>;
  readonly identity: ServiceIdentity;
  readonly logger: Logger;
  readonly metrics: MetricsPort;
  /** Aborted when shutdown begins. */
  readonly shutdownSignal: AbortSignal;
}

/** What a service serves and how it stops, as returned by its composition root. */
export interface ServiceComposition {
  readonly routes?: (router: ConnectRouter) => void;
  /**
   * Whether each RPC of `routes` reads or writes (`serviceAccess` per service): writes need a
   * token when tokens are configured. The service refuses to start with an unclassified RPC.
   */
  readonly rpcAccess?: readonly ServiceAccess[];
  readonly rest?: readonly RestRoute[];
  /** Readiness checks by name (`postgres`, `redis`, ...); `"disabled"` for an unused store. */
  readonly readiness?: Readonly<Record<string, ReadinessCheck>>;
  /**
   * Run once both ports listen, with the ports bound (e.g. to register in service discovery).
   * A failure is logged; the service keeps serving.
   */
  readonly onListening?: (ports: ListeningPorts) => Promise<void>;
  /**
   * Run after the server has drained, in order (flush buffers, deregister, close pools); each
   * gets the time left before the shutdown deadline.
   */
  readonly onShutdown?: readonly ((remainingMs: number) => Promise<void>)[];
}

/** A started service. */
export interface RunningService {
  readonly ports: ListeningPorts;
  readonly identity: ServiceIdentity;
  readonly logger: Logger;
  readonly metrics: MetricsPort;
  /** Drains and stops the service; resolves `true` when it ended cleanly within the deadline. */
  stop(): Promise<boolean>;
}

/** Extra options of {@link startService}, for tests and embedding. */
export interface StartOptions extends ConfigSources {
  /** Where log lines go (standard output when absent). */
  readonly logDestination?: Parameters<typeof createLogger>[0]["destination"];
}

/**
 * Configures and starts a service: loads and validates configuration (flags, environment,
 * `.env`), resolves its identity (schema, namespace, constant labels), creates the logger and
 * the metrics (`METRICS_BACKEND`: prom-client or the OpenTelemetry SDK, see
 * `createServiceMetrics`), composes the service, and listens on both ports. Stopping it also
 * stops the metrics (a last OTLP push) within the shutdown deadline.
 *
 * Returns `"help"` (after nothing was started) when `--help` was asked for. Throws
 * {@link ConfigError} for invalid configuration before anything is started or written — a
 * `HOST` that is not an address of this machine and a port that cannot be listened on
 * included (checked by binding them briefly) — and passes on a {@link StartupError} the
 * composition throws (a dependency that cannot be used).
 */
export async function startService<S extends SettingsSpec>(
  definition: ServiceDefinition<S>,
  options: StartOptions = {},
): Promise<RunningService | "help"> {
  const spec = { ...commonSettings(definition), ...definition.settings } as CommonSettings & S;
  const loaded = loadConfig(spec, options);
  if (loaded.kind === "help") return "help";
  const config = loaded.values as ConfigValues<CommonSettings & S>;
  const common = config as unknown as ConfigValues<CommonSettings>;
  const identity = resolveIdentity(common);
  const accessPolicy = resolveAccessPolicy(common);
  await checkBindable(common.host, { http: common.httpPort, grpc: common.grpcPort });
  const logger = createLogger({
    identity: {
      service: identity.serviceName,
      instance: identity.constantLabels.instance,
      environment: identity.environment,
      version: identity.version,
    },
    level: common.logLevel,
    ...(options.logDestination === undefined ? {} : { destination: options.logDestination }),
  });
  const serviceMetrics = createServiceMetrics(common, identity.constantLabels);
  const { metrics } = serviceMetrics;
  const shutdownController = new AbortController();
  let composition: ServiceComposition;
  try {
    composition = await definition.compose({
      config,
      identity,
      logger,
      metrics,
      shutdownSignal: shutdownController.signal,
    });
  } catch (error) {
    await serviceMetrics.shutdown(common.shutdownTimeoutMs);
    throw error;
  }
  const health = new HealthStatusRegistry();
  const readiness = new Readiness(composition.readiness ?? {}, {
    cacheMs: common.readinessCacheMs,
  });
  const server = new ServiceServer({
    info: {
      service: identity.serviceName,
      instance: identity.constantLabels.instance,
      version: identity.version,
      environment: identity.environment,
    },
    logger,
    metrics,
    routes: composition.routes ?? (() => undefined),
    rest: composition.rest ?? [],
    readiness,
    health,
    corsAllowedOrigins: common.corsAllowedOrigins,
    rpcAccess: composition.rpcAccess ?? [],
    accessPolicy,
    maxRequestBytes: common.maxRequestBytes,
    connectionLimits: {
      headersTimeoutMs: common.headersTimeoutMs,
      http2HandshakeTimeoutMs: common.http2HandshakeTimeoutMs,
      idleTimeoutMs: common.idleTimeoutMs,
      maxConnections: common.maxClientConnections,
    },
    shutdownController,
  });
  let ports: ListeningPorts;
  try {
    ports = await server.listen(common.host, { http: common.httpPort, grpc: common.grpcPort });
  } catch (error) {
    await serviceMetrics.shutdown(common.shutdownTimeoutMs);
    throw error;
  }
  logger.info(
    {
      config: redactDeep(config),
      origins: loaded.origins,
      schema: identity.schema,
      redisNamespace: identity.redisNamespace,
      ports,
      services: server.serviceNames,
      access: { tokenCount: accessPolicy.tokens.length, protectReads: accessPolicy.protectReads },
      metrics: {
        backend: serviceMetrics.backend,
        ...(serviceMetrics.otlpUrl === undefined
          ? {}
          : { otlpUrl: redactDeep(serviceMetrics.otlpUrl) }),
      },
    },
    `${identity.serviceName} listening on http :${ports.http} and grpc :${ports.grpc}`,
  );
  const exposed = exposureWarning(common.host, accessPolicy);
  if (exposed !== undefined) logger.warn(exposed);

  if (composition.onListening !== undefined) {
    await composition.onListening(ports).catch((error: unknown) => {
      logger.error({ err: error }, "start-up step after listening failed");
    });
  }

  let stopping: Promise<boolean> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      const deadline = Date.now() + common.shutdownTimeoutMs;
      logger.info({ timeoutMs: common.shutdownTimeoutMs }, "shutting down");
      let clean = await server.shutdown(common.shutdownTimeoutMs);
      for (const hook of composition.onShutdown ?? []) {
        try {
          await hook(Math.max(0, deadline - Date.now()));
        } catch (error) {
          clean = false;
          logger.error({ err: error }, "shutdown step failed");
        }
      }
      // Last: the steps above may still record. With otel, this pushes a last time.
      await serviceMetrics.shutdown(Math.max(0, deadline - Date.now()));
      logger.info({ clean }, "stopped");
      return clean;
    })();
    return stopping;
  };
  return { ports, identity, logger, metrics, stop };
}

/**
 * The `main` of a service process: {@link startService}, `--help` printing, one-line start-up
 * errors without a stack trace for a {@link ConfigError} or a {@link StartupError} (exit code
 * 2), and graceful shutdown on SIGTERM/SIGINT (exit 0 when clean, 1 when the deadline cut
 * connections; a second signal exits at once).
 */
export async function runServiceMain<S extends SettingsSpec>(
  definition: ServiceDefinition<S>,
): Promise<void> {
  // Signal handlers go in before start-up, so a SIGTERM that arrives while the service is
  // starting stops it once it has started instead of killing it half-way.
  let service: RunningService | undefined;
  let signalled: NodeJS.Signals | undefined;
  const stopAndExit = (running: RunningService) => {
    void running.stop().then((clean) => process.exit(clean ? 0 : 1));
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled !== undefined) {
      service?.logger.warn({ signal }, "second signal: exiting at once");
      process.exit(1);
    }
    signalled = signal;
    service?.logger.info({ signal }, "signal received");
    if (service !== undefined) stopAndExit(service);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);

  let started: RunningService | "help";
  try {
    started = await startService(definition);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StartupError) {
      process.stderr.write(`${definition.serviceName}: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (started === "help") {
    const spec = { ...commonSettings(definition), ...definition.settings };
    process.stdout.write(renderHelp(definition.serviceName, definition.summary, spec));
    process.exit(0);
  }
  service = started;
  const running = started;
  process.on("unhandledRejection", (reason) => {
    running.logger.error({ err: reason }, "unhandled promise rejection");
  });
  if (signalled !== undefined) {
    running.logger.info({ signal: signalled }, "signal received during start-up");
    stopAndExit(running);
  }
}

function resolveIdentity(config: ConfigValues<CommonSettings>): ServiceIdentity {
  try {
    return resolveServiceIdentity({
      serviceName: config.serviceName,
      instanceName: config.instanceName,
      version: config.version,
      environment: config.environment,
      ...(config.schemaName === undefined || config.schemaName === ""
        ? {}
        : { schemaName: config.schemaName }),
      ...(config.redisNamespace === undefined || config.redisNamespace === ""
        ? {}
        : { redisNamespace: config.redisNamespace }),
    });
  } catch (error) {
    if (error instanceof InvalidIdentityError) {
      throw new ConfigError(error.variable, `invalid configuration: ${error.message}`);
    }
    throw error;
  }
}
