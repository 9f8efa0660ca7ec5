/** The Postgres the benchmarks write to: `BENCH_POSTGRES_URL`, else this machine's test database. */
export const BENCH_POSTGRES_URL =
  process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** The Redis the soak runs against: `BENCH_REDIS_URL`, else this machine's Redis. */
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
