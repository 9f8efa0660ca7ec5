// Preloaded with `--import` (and `--expose-gc`) into a server process the memory benchmarks
// watch: on SIGUSR2 it collects garbage and prints "heap-after-gc <heapUsed> rss <rss>" on
// stdout, so the benchmark reads the live heap of the process without an inspector.
const collect = globalThis.gc;
if (collect === undefined) throw new Error("heap-probe needs node --expose-gc");
process.on("SIGUSR2", () => {
  // Twice: the first pass can leave objects that only become garbage once finalizers ran.
  collect();
  collect();
  const { heapUsed, rss } = process.memoryUsage();
  process.stdout.write(`heap-after-gc ${heapUsed} rss ${rss}\n`);
});
