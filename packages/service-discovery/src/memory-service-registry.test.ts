import { describeServiceRegistryContract } from "./contract/service-registry.contract.js";
import { MemoryServiceRegistry } from "./memory-service-registry.js";

describeServiceRegistryContract("memory", async ({ now }) => ({
  registry: new MemoryServiceRegistry({ now }),
  servicePrefix: "market-ct",
}));
