import { randomUUID } from "node:crypto";
import { checkBoolean, type Metadata } from "@tse/field-checks";
import { qualifiedName } from "@tse/instance-naming";
import type postgres from "postgres";
import {
  type MarketSymbol,
  type MarketSymbolInput,
  validateMarketSymbolInput,
  validateSymbol,
} from "../model/market-symbol.js";
import {
  checkSymbolQuery,
  type SymbolQuery,
  type SymbolRepository,
} from "../repositories/symbol-repository.js";
import { numericText, toDate, toNumber } from "./write-chunks.js";

/** Options of {@link PostgresSymbolRepository}. */
export interface PostgresSymbolRepositoryOptions {
  /** The instance schema (unquoted) holding `symbols`; migrated already. */
  readonly schema: string;
  /** The clock stamping `createdAt` / `updatedAt`; injectable for tests. */
  readonly now?: () => Date;
}

interface SymbolRow {
  symbol_id: string;
  symbol: string;
  base_currency: string;
  quote_currency: string;
  display_name: string;
  is_active: boolean;
  min_price_movement: string;
  min_order_size: string;
  max_order_size: string;
  created_at: Date;
  updated_at: Date;
  metadata: Metadata;
}

const COLUMNS = `symbol_id, symbol, base_currency, quote_currency, display_name, is_active,
  min_price_movement, min_order_size, max_order_size, created_at, updated_at, metadata`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The {@link SymbolRepository} on Postgres (postgres.js), in the instance schema's `symbols`.
 * Timestamps come from the injected clock, not the database's, so every store stamps alike.
 */
export class PostgresSymbolRepository implements SymbolRepository {
  private readonly table: string;
  private readonly upsertText: string;
  private readonly now: () => Date;

  constructor(
    private readonly sql: postgres.Sql,
    options: PostgresSymbolRepositoryOptions,
  ) {
    this.table = qualifiedName(options.schema, "symbols");
    this.now = options.now ?? (() => new Date());
    this.upsertText = `insert into ${this.table} (${COLUMNS})
      values ($1::uuid, $2, $3, $4, $5, $6, $7::numeric, $8::numeric, $9::numeric,
              $10::timestamptz, $10::timestamptz, $11::text::jsonb)
      on conflict (symbol) do update set
        base_currency = excluded.base_currency, quote_currency = excluded.quote_currency,
        display_name = excluded.display_name, is_active = excluded.is_active,
        min_price_movement = excluded.min_price_movement,
        min_order_size = excluded.min_order_size, max_order_size = excluded.max_order_size,
        updated_at = excluded.updated_at, metadata = excluded.metadata
      returning ${COLUMNS}`;
  }

  async upsert(input: MarketSymbolInput): Promise<MarketSymbol> {
    const s = validateMarketSymbolInput(input);
    const rows = await this.sql.unsafe<SymbolRow[]>(
      this.upsertText,
      [
        randomUUID(),
        s.symbol,
        s.baseCurrency,
        s.quoteCurrency,
        s.displayName,
        s.isActive,
        numericText(s.minPriceMovement),
        numericText(s.minOrderSize),
        numericText(s.maxOrderSize),
        new Date(this.now().getTime()),
        JSON.stringify(s.metadata),
      ],
      { prepare: true },
    );
    return fromRow(onlyRow(rows));
  }

  async getById(symbolId: string): Promise<MarketSymbol | undefined> {
    // Not a UUID: Postgres would raise on the cast; nothing can have that id.
    if (typeof symbolId !== "string" || !UUID.test(symbolId)) return undefined;
    return this.one(`select ${COLUMNS} from ${this.table} where symbol_id = $1::uuid`, [symbolId]);
  }

  async getBySymbol(symbol: string): Promise<MarketSymbol | undefined> {
    return this.one(`select ${COLUMNS} from ${this.table} where symbol = $1`, [
      validateSymbol(symbol),
    ]);
  }

  async query(filter: SymbolQuery = {}): Promise<MarketSymbol[]> {
    checkSymbolQuery(filter);
    const where: string[] = [];
    const params: (string | boolean)[] = [];
    if (filter.base !== undefined) {
      params.push(filter.base);
      where.push(`base_currency = $${params.length}`);
    }
    if (filter.quote !== undefined) {
      params.push(filter.quote);
      where.push(`quote_currency = $${params.length}`);
    }
    if (filter.active !== undefined) {
      params.push(filter.active);
      where.push(`is_active = $${params.length}`);
    }
    // `collate "C"`: byte order, the same in every database and in the memory store.
    const rows = await this.sql.unsafe<SymbolRow[]>(
      `select ${COLUMNS} from ${this.table}
       ${where.length > 0 ? `where ${where.join(" and ")}` : ""}
       order by symbol collate "C"`,
      params,
      { prepare: true },
    );
    return rows.map(fromRow);
  }

  async setActive(symbol: string, active: boolean): Promise<MarketSymbol | undefined> {
    return this.one(
      `update ${this.table} set is_active = $2, updated_at = $3::timestamptz
       where symbol = $1 returning ${COLUMNS}`,
      [validateSymbol(symbol), checkBoolean("active", active), new Date(this.now().getTime())],
    );
  }

  async delete(symbol: string): Promise<boolean> {
    const result = await this.sql.unsafe(
      `delete from ${this.table} where symbol = $1`,
      [validateSymbol(symbol)],
      { prepare: true },
    );
    return result.count > 0;
  }

  private async one(
    text: string,
    params: (string | boolean | Date)[],
  ): Promise<MarketSymbol | undefined> {
    const rows = await this.sql.unsafe<SymbolRow[]>(text, params, { prepare: true });
    const row = rows[0];
    return row === undefined ? undefined : fromRow(row);
  }
}

function onlyRow(rows: SymbolRow[]): SymbolRow {
  const row = rows[0];
  if (row === undefined) throw new Error("upsert returned no row");
  return row;
}

function fromRow(row: SymbolRow): MarketSymbol {
  return {
    symbolId: row.symbol_id,
    symbol: row.symbol,
    baseCurrency: row.base_currency,
    quoteCurrency: row.quote_currency,
    displayName: row.display_name,
    isActive: row.is_active,
    minPriceMovement: toNumber(row.min_price_movement),
    minOrderSize: toNumber(row.min_order_size),
    maxOrderSize: toNumber(row.max_order_size),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    metadata: row.metadata,
  };
}
