import { qualifiedName, quoteIdentifier } from "@tse/instance-naming";
import type { Migration } from "@tse/postgres-kit";

/**
 * The four market-data tables of docs/data-model.md#market-data-tables — `symbols`, `price_feeds`,
 * `candles`, `market_snapshots` — with their constraints and the indexes their queries use.
 *
 * Decimals are `numeric(24,8)` (the percentage `numeric(10,4)`, widened to `numeric(20,4)` by version 2); ids are uuids defaulting to
 * `gen_random_uuid()` (built in since Postgres 13), although the repositories assign them so a
 * retried batch is recognised.
 */
export const createMarketDataTables: Migration = {
  version: 1,
  name: "create_market_data_tables",
  sql: (schema) => {
    const table = (name: string) => qualifiedName(schema, name);
    const index = quoteIdentifier;
    return `
create table if not exists ${table("symbols")} (
  symbol_id uuid primary key default gen_random_uuid(),
  symbol varchar(21) not null unique
    check (symbol ~ '^[A-Z0-9]{2,10}-[A-Z0-9]{2,10}$'),
  base_currency varchar(10) not null,
  quote_currency varchar(10) not null,
  display_name varchar(100) not null,
  is_active boolean not null default true,
  min_price_movement numeric(24,8) not null check (min_price_movement > 0),
  min_order_size numeric(24,8) not null check (min_order_size > 0),
  max_order_size numeric(24,8) not null check (max_order_size >= min_order_size),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  metadata jsonb not null default '{}'::jsonb
);
create index if not exists ${index("symbols_base_quote_idx")}
  on ${table("symbols")} (base_currency, quote_currency);

create table if not exists ${table("price_feeds")} (
  feed_id uuid primary key default gen_random_uuid(),
  symbol varchar(21) not null,
  price numeric(24,8) not null check (price > 0),
  bid numeric(24,8) not null check (bid > 0),
  ask numeric(24,8) not null check (ask > 0),
  volume_24h numeric(24,8) not null default 0 check (volume_24h >= 0),
  source varchar(50) not null default 'simulator',
  "timestamp" timestamptz not null default now(),
  metadata jsonb not null default '{}'::jsonb
);
create index if not exists ${index("price_feeds_symbol_timestamp_idx")}
  on ${table("price_feeds")} (symbol, "timestamp" desc, feed_id desc);
create index if not exists ${index("price_feeds_timestamp_idx")}
  on ${table("price_feeds")} ("timestamp");

create table if not exists ${table("candles")} (
  candle_id uuid primary key default gen_random_uuid(),
  symbol varchar(21) not null,
  "interval" varchar(3) not null check ("interval" in ('1m', '5m', '15m', '1h', '4h', '1d')),
  open numeric(24,8) not null check (open > 0),
  high numeric(24,8) not null check (high > 0),
  low numeric(24,8) not null check (low > 0),
  close numeric(24,8) not null check (close > 0),
  volume numeric(24,8) not null default 0 check (volume >= 0),
  start_time timestamptz not null,
  end_time timestamptz not null,
  num_trades bigint not null default 0 check (num_trades >= 0),
  metadata jsonb not null default '{}'::jsonb,
  check (high >= low and high >= open and high >= close and low <= open and low <= close),
  check (end_time > start_time),
  unique (symbol, "interval", start_time)
);

create table if not exists ${table("market_snapshots")} (
  snapshot_id uuid primary key default gen_random_uuid(),
  symbol varchar(21) not null,
  last_price numeric(24,8) not null check (last_price > 0),
  bid numeric(24,8) not null check (bid > 0),
  ask numeric(24,8) not null check (ask > 0),
  spread numeric(24,8) not null default 0 check (spread >= 0),
  volume_24h numeric(24,8) not null default 0 check (volume_24h >= 0),
  price_change_24h numeric(24,8) not null default 0,
  price_change_percent_24h numeric(10,4) not null default 0,
  "timestamp" timestamptz not null default now(),
  metadata jsonb not null default '{}'::jsonb
);
create index if not exists ${index("market_snapshots_symbol_timestamp_idx")}
  on ${table("market_snapshots")} (symbol, "timestamp" desc, snapshot_id desc);
create index if not exists ${index("market_snapshots_timestamp_idx")}
  on ${table("market_snapshots")} ("timestamp");
`;
  },
};
