import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ServiceRegistration, ServiceRegistrationError } from "../service-registration.js";
import type { ServiceRegistry } from "../service-registry.js";

/** What a {@link describeServiceRegistryContract} factory gets. */
export interface ServiceRegistryContractContext {
  /** The clock the registry must stamp `last_heartbeat` with (and run TTLs on, if it can). */
  readonly now: () => number;
}

/** What a {@link describeServiceRegistryContract} factory returns. */
export interface ServiceRegistryFixture {
  readonly registry: ServiceRegistry;
  /**
   * A prefix for the service names the suite registers, unique to this fixture (the registry is
   * shared by everything on the same Redis), e.g. `market-ct-1234-ab12cd`. Must leave room for
   * 12 more characters within the 63-character name limit.
   */
  readonly servicePrefix: string;
  /** Lets real time pass for registries whose TTLs run on a real clock (Redis). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Releases what the fixture created; called after each test. */
  readonly cleanup?: () => Promise<void>;
}

/**
 * The behaviour every {@link ServiceRegistry} must have (docs/data-model.md#service-discovery). The
 * registry may hold other services' entries, so `list()` is checked for containment of this suite's
 * services only. Expiry tests use 300 ms TTLs (a real Redis needs `sleep` for under half a second,
 * twice).
 */
export function describeServiceRegistryContract(
  name: string,
  factory: (context: ServiceRegistryContractContext) => Promise<ServiceRegistryFixture>,
): void {
  describe(`ServiceRegistry contract: ${name}`, () => {
    let clock = 0;
    let fixture: ServiceRegistryFixture;
    let registry: ServiceRegistry;
    let service: string;
    let other: string;
    const elapse = async (ms: number) => {
      clock += ms;
      await fixture.sleep?.(ms);
    };
    const registration = (overrides: Partial<ServiceRegistration> = {}): ServiceRegistration => ({
      service,
      instance: `${service}-1`.slice(0, 63),
      version: "1.2.3",
      host: "10.0.0.7",
      httpPort: 8080,
      grpcPort: 50051,
      status: "healthy",
      environment: "test",
      registeredAt: new Date(1_600_000_000_000),
      lastHeartbeat: new Date(1_600_000_000_000),
      ...overrides,
    });

    beforeEach(async () => {
      clock = 1_700_000_000_000;
      fixture = await factory({ now: () => clock });
      registry = fixture.registry;
      service = `${fixture.servicePrefix}-svc`;
      // `other` starts with `service`: discovery by `<service>:*` must not pick it up.
      other = `${fixture.servicePrefix}-svc-x`;
    });
    afterEach(async () => {
      await fixture.cleanup?.();
    });

    it("registers and discovers, stamping last_heartbeat with the clock", async () => {
      expect(await registry.discover(service)).toEqual([]);
      const stored = await registry.register(registration(), 60_000);
      expect(stored).toEqual(registration({ lastHeartbeat: new Date(clock) }));
      expect(await registry.discover(service)).toEqual([stored]);
    });

    it("discovers only the named service, its instances sorted", async () => {
      await registry.register(registration({ instance: "inst-b" }), 60_000);
      await registry.register(registration({ instance: "inst-a", httpPort: 8081 }), 60_000);
      await registry.register(registration({ service: other, instance: "inst-a" }), 60_000);
      const found = await registry.discover(service);
      expect(found.map((entry) => [entry.service, entry.instance, entry.httpPort])).toEqual([
        [service, "inst-a", 8081],
        [service, "inst-b", 8080],
      ]);
      expect((await registry.discover(other)).map((entry) => entry.instance)).toEqual(["inst-a"]);
    });

    it("lists every service's registrations, sorted by service then instance", async () => {
      await registry.register(registration({ service: other, instance: "z" }), 60_000);
      await registry.register(registration({ instance: "b" }), 60_000);
      await registry.register(registration({ instance: "a" }), 60_000);
      const mine = (await registry.list()).filter((entry) =>
        entry.service.startsWith(fixture.servicePrefix),
      );
      expect(mine.map((entry) => `${entry.service}/${entry.instance}`)).toEqual([
        `${service}/a`,
        `${service}/b`,
        `${other}/z`,
      ]);
    });

    it("replaces an instance's entry on register", async () => {
      await registry.register(registration({ httpPort: 8080, status: "starting" }), 60_000);
      await registry.register(registration({ httpPort: 9090, status: "healthy" }), 60_000);
      const found = await registry.discover(service);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ httpPort: 9090, status: "healthy" });
    });

    it("heartbeats refresh last_heartbeat and the TTL", async () => {
      await registry.register(registration(), 300);
      await elapse(150);
      const beat = await registry.heartbeat(registration(), 60_000);
      expect(beat.lastHeartbeat).toEqual(new Date(clock));
      expect(beat.registeredAt).toEqual(registration().registeredAt);
      await elapse(300);
      expect(await registry.discover(service)).toEqual([beat]);
    });

    it("lets entries expire, and a heartbeat re-creates an expired entry", async () => {
      await registry.register(registration(), 300);
      await elapse(450);
      expect(await registry.discover(service)).toEqual([]);
      expect(await registry.deregister(service, registration().instance)).toBe(false);
      const beat = await registry.heartbeat(registration(), 60_000);
      expect(await registry.discover(service)).toEqual([beat]);
    });

    it("deregisters, reporting whether the entry existed", async () => {
      await registry.register(registration(), 60_000);
      expect(await registry.deregister(service, registration().instance)).toBe(true);
      expect(await registry.deregister(service, registration().instance)).toBe(false);
      expect(await registry.discover(service)).toEqual([]);
    });

    it("rejects invalid registrations, TTLs and names, writing nothing", async () => {
      const bad: Array<[Partial<ServiceRegistration>, string]> = [
        [{ instance: "Bad_Name" }, "instance"],
        [{ httpPort: 0 }, "http_port"],
        [{ grpcPort: 70_000 }, "grpc_port"],
        [{ status: "" }, "status"],
        [{ host: "" }, "host"],
        [{ version: "has space" }, "version"],
        [{ registeredAt: new Date(Number.NaN) }, "registered_at"],
      ];
      for (const [overrides, field] of bad) {
        const error = await registry
          .register(registration(overrides), 60_000)
          .catch((caught: unknown) => caught);
        expect(error, field).toBeInstanceOf(ServiceRegistrationError);
        expect(error, field).toMatchObject({ field });
      }
      for (const ttlMs of [0, -5, 2.5]) {
        await expect(registry.register(registration(), ttlMs)).rejects.toThrow(RangeError);
        await expect(registry.heartbeat(registration(), ttlMs)).rejects.toThrow(RangeError);
      }
      await expect(registry.discover("bad*name")).rejects.toThrow(RangeError);
      await expect(registry.deregister(service, "a:b")).rejects.toThrow(RangeError);
      expect(await registry.discover(service)).toEqual([]);
    });
  });
}
