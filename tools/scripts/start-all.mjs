// Starts both services from their builds (npm start builds them first) and stops both on
// Ctrl-C / SIGTERM. If one exits on its own, the other is stopped and its exit code is kept.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const apps = ["market-data-simulator", "trading-engine"];
const children = apps.map((app) =>
  spawn(process.execPath, [`apps/${app}/dist/main.js`, ...process.argv.slice(2)], {
    cwd: root,
    stdio: "inherit",
  }),
);

let exitCode = 0;
let stopping = false;
const stopAll = (signal) => {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
};
process.on("SIGINT", () => stopAll("SIGTERM"));
process.on("SIGTERM", () => stopAll("SIGTERM"));

await Promise.all(
  children.map(
    (child, index) =>
      new Promise((resolve) =>
        child.once("exit", (code, signal) => {
          if (!stopping) {
            console.error(`${apps[index]} exited (${signal ?? code}); stopping the others`);
            exitCode = code ?? 1;
            stopAll("SIGTERM");
          }
          resolve();
        }),
      ),
  ),
);
process.exit(exitCode);
