import { describeSnapshotRepositoryContract } from "../contract/snapshot-repository.contract.js";
import { MemorySnapshotRepository } from "./memory-snapshot-repository.js";

describeSnapshotRepositoryContract("memory", async () => new MemorySnapshotRepository());
