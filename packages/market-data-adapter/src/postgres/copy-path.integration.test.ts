import { Socket } from "node:net";
import { describeWithPostgres, openTestPool } from "@tse/testing";
import type postgres from "postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { sampleCandle } from "../contract/candle-repository.contract.js";
import { samplePriceFeed } from "../contract/price-feed-repository.contract.js";
import { sampleSnapshot } from "../contract/snapshot-repository.contract.js";
import { createTestSchema, type TestSchema } from "../testing/market-data-test-schema.js";
import { COPY_THRESHOLD_ROWS, copyRows, copyUnlessStored } from "./copy-rows.js";
import { PostgresCandleRepository } from "./postgres-candle-repository.js";
import { PostgresPriceFeedRepository } from "./postgres-price-feed-repository.js";
import { PostgresSnapshotRepository } from "./postgres-snapshot-repository.js";

const BIG = COPY_THRESHOLD_ROWS + 50;
const PRICE_FEED_COLUMNS = `feed_id, symbol, price, bid, ask, volume_24h, source, "timestamp", metadata`;

/**
 * Rows of `table` that sequential scans read while one late batch was written: on one
 * connection (its plan cache and statistics are the check's), `writer(sql)` writes six batches
 * of BIG new rows, each into the emptied table (as a benchmark that truncates between rounds
 * does: a plan cached then would scan the table from then on), then 20 000 rows, then BIG more.
 * Returns the statistics' count before and after that last batch.
 */
async function sequentialReadsOfALateBatch(
  db: TestSchema,
  table: string,
  writer: (sql: postgres.Sql) => (from: number, count: number) => Promise<unknown>,
): Promise<{ before: number | undefined; after: number | undefined }> {
  const sql = openTestPool(undefined, 1);
  const rowsRead = async () => {
    await sql`select pg_stat_force_next_flush()`;
    const [row] = await sql<{ n: number }[]>`select seq_tup_read::int as n
      from pg_stat_user_tables where schemaname = ${db.schema} and relname = ${table}`;
    return row?.n;
  };
  try {
    const write = writer(sql);
    for (let round = 0; round < 6; round++) {
      await db.truncate(table);
      await write(round * BIG, BIG);
    }
    await write(6 * BIG, 20_000);
    const before = await rowsRead();
    await write(6 * BIG + 20_000, BIG);
    return { before, after: await rowsRead() };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

describeWithPostgres("the COPY write path and its fallback", () => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createTestSchema("copy_path");
  });
  beforeEach(async () => {
    await db.truncate("candles", "price_feeds", "market_snapshots");
  });
  afterAll(async () => {
    await db?.drop();
  });

  describe("candles", () => {
    it("a repository that did not write them (a restart) finds the stored ones and upserts", async () => {
      const before = new PostgresCandleRepository(db.sql, { schema: db.schema });
      await before.upsertBatch(Array.from({ length: BIG }, (_, i) => sampleCandle(i)));
      // The same keys plus 10 new ones, with new values, from a fresh repository: the check
      // before COPY finds stored candles, so the whole batch is upserted.
      const after = new PostgresCandleRepository(db.sql, { schema: db.schema });
      await after.upsertBatch(
        Array.from({ length: BIG + 10 }, (_, i) => sampleCandle(i, { close: 100.75 })),
      );
      const stored = await after.query({ symbol: "BTC-USD", interval: "1m" });
      expect(stored).toHaveLength(BIG + 10);
      expect(new Set(stored.map((candle) => candle.close))).toEqual(new Set([100.75]));
    });

    it("re-written candles of the same repository go by upsert alongside COPY-ed new ones", async () => {
      const repo = new PostgresCandleRepository(db.sql, { schema: db.schema });
      await repo.upsertBatch(Array.from({ length: BIG }, (_, i) => sampleCandle(i)));
      await repo.upsertBatch(
        Array.from({ length: BIG }, (_, i) => sampleCandle(i + BIG - 1, { close: 99.5 })),
      );
      const stored = await repo.query({ symbol: "BTC-USD", interval: "1m" });
      expect(stored).toHaveLength(2 * BIG - 1);
      expect(stored[BIG - 2]?.close).toBe(100.5);
      expect(stored[BIG - 1]?.close).toBe(99.5);
    });

    it("checks each series from its earliest new candle, so a stored one diverts a mixed batch to upserts", async () => {
      const repo = new PostgresCandleRepository(db.sql, { schema: db.schema });
      await repo.upsertBatch(Array.from({ length: BIG }, (_, i) => sampleCandle(i)));
      // Another writer (an earlier process) stored one ETH candle near the start of the range
      // this repository is about to write for the first time.
      const eth = (i: number, close = 100.5) => sampleCandle(i, { symbol: "ETH-USD", close });
      await new PostgresCandleRepository(db.sql, { schema: db.schema }).upsertBatch([eth(5)]);
      // BTC: its last candle re-written and new ones; ETH: new to this repository, one stored.
      await repo.upsertBatch([
        sampleCandle(BIG - 1, { close: 99.5 }),
        ...Array.from({ length: BIG }, (_, i) => sampleCandle(BIG + i)),
        ...Array.from({ length: BIG }, (_, i) => eth(i, 101.5)),
      ]);
      const btc = await repo.query({ symbol: "BTC-USD", interval: "1m" });
      expect(btc).toHaveLength(2 * BIG);
      expect(btc[BIG - 1]?.close).toBe(99.5);
      const stored = await repo.query({ symbol: "ETH-USD", interval: "1m" });
      expect(stored).toHaveLength(BIG);
      expect(new Set(stored.map((candle) => candle.close))).toEqual(new Set([101.5]));
    });

    it("plans the stored-check for the table as it is now: no sequential scan once it has grown", async () => {
      const { before, after } = await sequentialReadsOfALateBatch(db, "candles", (sql) => {
        const repo = new PostgresCandleRepository(sql, { schema: db.schema });
        return (from, count) =>
          repo.upsertBatch(Array.from({ length: count }, (_, i) => sampleCandle(from + i)));
      });
      expect(after).toBe(before);
      const repo = new PostgresCandleRepository(db.sql, { schema: db.schema });
      expect(await repo.query({ symbol: "BTC-USD", interval: "1m" })).toHaveLength(
        BIG + 20_000 + BIG,
      );
    });

    it("a COPY the server refuses fails the batch, writes nothing and frees its connection", async () => {
      const repo = new PostgresCandleRepository(db.sql, {
        schema: db.schema,
        copyDeadlineMs: 1_000,
      });
      const rows = Array.from({ length: BIG }, (_, i) => sampleCandle(i));
      // A rule the validator does not know, so the refusal comes from the server mid-COPY.
      await db.sql.unsafe(
        `alter table ${db.schema}.candles add constraint no_big_volume check (volume < 100)`,
      );
      try {
        await expect(
          repo.upsertBatch([...rows, sampleCandle(BIG, { volume: 1_000 })]),
        ).rejects.toThrow();
      } finally {
        await db.sql.unsafe(`alter table ${db.schema}.candles drop constraint no_big_volume`);
      }
      expect(await repo.query({ symbol: "BTC-USD", interval: "1m" })).toHaveLength(0);
      const stuck = await db.sql`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and state = 'idle in transaction (aborted)'`;
      expect(stuck[0]?.n).toBe(0);
      await repo.upsertBatch(rows);
      expect(await repo.query({ symbol: "BTC-USD", interval: "1m" })).toHaveLength(BIG);
    });
  });

  it("connects with TCP_NODELAY: the bytes that end a COPY are not held back ~40 ms for an ACK", async () => {
    // patches/postgres+3.4.9.patch; without it every COPY waited for the server's delayed ACK.
    const setNoDelay = vi.spyOn(Socket.prototype, "setNoDelay");
    const sql = openTestPool(undefined, 1);
    try {
      await sql`select 1`;
      const sockets = setNoDelay.mock.contexts as Socket[];
      const calls = setNoDelay.mock.calls.filter((_, i) => sockets[i]?.remotePort !== undefined);
      expect(calls).toEqual([[true]]);
    } finally {
      setNoDelay.mockRestore();
      await sql.end({ timeout: 5 });
    }
  });

  it("price feeds: the stored-check is planned for the table as it is now, too", async () => {
    const { before, after } = await sequentialReadsOfALateBatch(db, "price_feeds", (sql) => {
      const repo = new PostgresPriceFeedRepository(sql, { schema: db.schema });
      return (from, count) =>
        repo.insertBatch(Array.from({ length: count }, (_, i) => samplePriceFeed(from + i)));
    });
    expect(after).toBe(before);
  });

  it("price feeds: a retried big batch (same ids) is not stored twice", async () => {
    const repo = new PostgresPriceFeedRepository(db.sql, { schema: db.schema });
    const stored = await repo.insertBatch(
      Array.from({ length: BIG }, (_, i) => samplePriceFeed(i)),
    );
    await repo.insertBatch([
      ...stored,
      ...Array.from({ length: 10 }, (_, i) => samplePriceFeed(BIG + i)),
    ]);
    expect(await repo.query({ limit: 10_000 })).toHaveLength(BIG + 10);
  });

  it("falls back to the ON CONFLICT path when COPY meets a key stored after the check", async () => {
    const repo = new PostgresPriceFeedRepository(db.sql, { schema: db.schema });
    const [stored] = await repo.insertBatch([samplePriceFeed(0)]);
    const line = `${stored?.feedId}\tBTC-USD\t1\t1\t1\t0\tsimulator\t2026-01-01T00:00:00Z\t{}\n`;
    let fellBack = false;
    const path = await copyUnlessStored(
      async () => false, // as if a concurrent writer stored the row right after the check
      () =>
        copyRows(db.sql, `${db.schema}.price_feeds`, PRICE_FEED_COLUMNS, [line], (text) => text),
      async () => {
        fellBack = true;
      },
    );
    expect(path).toBe("fallback");
    expect(fellBack).toBe(true);
    expect(await repo.query({})).toHaveLength(1);
  });

  it("snapshots: a retried big batch (same ids) is not stored twice", async () => {
    const repo = new PostgresSnapshotRepository(db.sql, { schema: db.schema });
    const stored = await repo.insertBatch(Array.from({ length: BIG }, (_, i) => sampleSnapshot(i)));
    await repo.insertBatch(stored);
    expect(await repo.query({ limit: 10_000 })).toHaveLength(BIG);
  });
});
