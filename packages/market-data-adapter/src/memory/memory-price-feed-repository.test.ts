import { describePriceFeedRepositoryContract } from "../contract/price-feed-repository.contract.js";
import { MemoryPriceFeedRepository } from "./memory-price-feed-repository.js";

describePriceFeedRepositoryContract("memory", async () => new MemoryPriceFeedRepository());
