import { describeCandleRepositoryContract } from "../contract/candle-repository.contract.js";
import { MemoryCandleRepository } from "./memory-candle-repository.js";

describeCandleRepositoryContract("memory", async () => new MemoryCandleRepository());
