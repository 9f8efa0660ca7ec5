import { qualifiedName, quoteIdentifier } from "@tse/instance-naming";
import type { Migration } from "@tse/postgres-kit";

/**
 * The trading tables of docs/data-model.md#trading-tables — `strategies`, `orders`, `trades`,
 * `positions` — with the enums of the ecosystem's planned `trading` schema, their constraints, and
 * the indexes the queries use. Amounts are `numeric(20,8)`.
 *
 * The constraints a valid record can still break are named as `TRADING_CONSTRAINTS` names them.
 * Enum creation is wrapped so that running this SQL again (history lost) does not fail.
 */
export const createTradingTables: Migration = {
  version: 1,
  name: "create_trading_tables",
  sql: (schema) => {
    const table = (name: string) => qualifiedName(schema, name);
    const type = (name: string) => qualifiedName(schema, name);
    const name = quoteIdentifier;
    const enumType = (typeName: string, values: readonly string[]) => `
do $tse_migration$ begin
  create type ${type(typeName)} as enum (${values.map((v) => `'${v}'`).join(", ")});
exception when duplicate_object then null;
end $tse_migration$;`;
    return `
${enumType("strategy_status", ["inactive", "active", "paused", "stopped", "error"])}
${enumType("strategy_type", ["market_making", "mean_reversion"])}
${enumType("order_side", ["buy", "sell"])}
${enumType("order_type", ["market", "limit"])}
${enumType("order_status", [
  "pending",
  "submitted",
  "accepted",
  "partially_filled",
  "filled",
  "cancelled",
  "rejected",
  "expired",
])}
${enumType("trade_side", ["buy", "sell"])}

create table if not exists ${table("strategies")} (
  strategy_id text constraint ${name("strategies_pkey")} primary key
    constraint ${name("strategies_strategy_id_check")}
      check (strategy_id ~ '^[A-Za-z0-9_-]{1,64}$'),
  name text not null check (name <> ''),
  type ${type("strategy_type")} not null,
  instruments text[] not null
    constraint ${name("strategies_instruments_check")} check (cardinality(instruments) > 0),
  parameters jsonb not null default '{}'::jsonb check (jsonb_typeof(parameters) = 'object'),
  limits jsonb not null default '{}'::jsonb check (jsonb_typeof(limits) = 'object'),
  status ${type("strategy_status")} not null default 'inactive',
  status_reason text not null default '',
  created_at timestamptz not null default now(),
  started_at timestamptz,
  updated_at timestamptz not null default now(),
  stopped_at timestamptz,
  metadata jsonb not null default '{}'::jsonb check (jsonb_typeof(metadata) = 'object')
);
create index if not exists ${name("strategies_created_at_idx")}
  on ${table("strategies")} (created_at desc);

create table if not exists ${table("orders")} (
  order_id uuid constraint ${name("orders_pkey")} primary key,
  client_order_id text not null check (client_order_id <> ''),
  strategy_id text constraint ${name("orders_strategy_id_fkey")}
    references ${table("strategies")} (strategy_id),
  instrument text not null check (instrument <> ''),
  side ${type("order_side")} not null,
  type ${type("order_type")} not null,
  quantity numeric(20,8) not null constraint ${name("orders_quantity_check")} check (quantity > 0),
  limit_price numeric(20,8),
  filled_quantity numeric(20,8) not null default 0
    constraint ${name("orders_filled_quantity_check")} check (filled_quantity >= 0),
  average_fill_price numeric(20,8) not null default 0 check (average_fill_price >= 0),
  fees numeric(20,8) not null default 0 check (fees >= 0),
  status ${type("order_status")} not null default 'pending',
  status_reason text not null default '',
  created_at timestamptz not null default now(),
  submitted_at timestamptz,
  accepted_at timestamptz,
  partially_filled_at timestamptz,
  filled_at timestamptz,
  cancelled_at timestamptz,
  rejected_at timestamptz,
  expired_at timestamptz,
  expires_at timestamptz not null,
  updated_at timestamptz not null default now(),
  constraint ${name("orders_limit_price_check")} check (
    (type = 'limit' and limit_price is not null and limit_price > 0)
    or (type = 'market' and limit_price is null)),
  constraint ${name("orders_filled_within_quantity_check")} check (filled_quantity <= quantity),
  constraint ${name("orders_strategy_client_order_id_key")} unique (strategy_id, client_order_id)
);
-- Orders without a strategy (manual ones) share one client order id space too.
create unique index if not exists ${name("orders_manual_client_order_id_key")}
  on ${table("orders")} (client_order_id) where strategy_id is null;
create index if not exists ${name("orders_created_at_idx")}
  on ${table("orders")} (created_at desc, order_id desc);
create index if not exists ${name("orders_status_idx")}
  on ${table("orders")} (status, created_at desc);
create index if not exists ${name("orders_strategy_idx")}
  on ${table("orders")} (strategy_id, created_at desc);

create table if not exists ${table("trades")} (
  trade_id uuid constraint ${name("trades_pkey")} primary key,
  order_id uuid not null constraint ${name("trades_order_id_fkey")}
    references ${table("orders")} (order_id),
  strategy_id text,
  instrument text not null check (instrument <> ''),
  side ${type("trade_side")} not null,
  price numeric(20,8) not null constraint ${name("trades_price_check")} check (price > 0),
  quantity numeric(20,8) not null constraint ${name("trades_quantity_check")} check (quantity > 0),
  fee numeric(20,8) not null default 0 check (fee >= 0),
  liquidity text not null constraint ${name("trades_liquidity_check")}
    check (liquidity in ('maker', 'taker')),
  "timestamp" timestamptz not null default now()
);
create index if not exists ${name("trades_order_idx")}
  on ${table("trades")} (order_id, "timestamp", trade_id);
create index if not exists ${name("trades_timestamp_idx")}
  on ${table("trades")} ("timestamp" desc, trade_id desc);
create index if not exists ${name("trades_strategy_idx")}
  on ${table("trades")} (strategy_id, "timestamp" desc);

create table if not exists ${table("positions")} (
  position_id uuid constraint ${name("positions_pkey")} primary key default gen_random_uuid(),
  strategy_id text not null check (strategy_id <> ''),
  instrument_id text not null check (instrument_id <> ''),
  quantity numeric(20,8) not null default 0,
  average_entry_price numeric(20,8) not null default 0
    constraint ${name("positions_average_entry_price_check")} check (average_entry_price >= 0),
  realized_pnl numeric(20,8) not null default 0,
  fees_paid numeric(20,8) not null default 0 check (fees_paid >= 0),
  opened_at timestamptz,
  updated_at timestamptz not null default now(),
  constraint ${name("positions_strategy_instrument_key")} unique (strategy_id, instrument_id)
);
`;
  },
};
