import { fileURLToPath } from "node:url";
import { describeDependencyFailures } from "@tse/service-kit/testing";
import { dependencyFailures, describeWithPostgresAndRedis } from "@tse/testing";

const failures = await dependencyFailures("market-data-simulator", {
  DEPENDENCY_CHECK_TIMEOUT_MS: "2000",
});

describeWithPostgresAndRedis("market-data-simulator start-up dependencies", () => {
  describeDependencyFailures({
    entry: fileURLToPath(new URL("./main.ts", import.meta.url)),
    ...failures,
  });
});
