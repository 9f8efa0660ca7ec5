import { describeTradingStoreContract } from "../contract/trading-store.contract.js";
import { MemoryTradingStore } from "./memory-trading-store.js";

describeTradingStoreContract("memory", async () => new MemoryTradingStore());
