import { describeSymbolRepositoryContract } from "../contract/symbol-repository.contract.js";
import { MemorySymbolRepository } from "./memory-symbol-repository.js";

describeSymbolRepositoryContract("memory", async (now) => new MemorySymbolRepository({ now }));
