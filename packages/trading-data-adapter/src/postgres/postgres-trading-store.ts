import { isUuid } from "@tse/field-checks";
import { qualifiedName } from "@tse/instance-naming";
import type postgres from "postgres";
import { ConstraintViolationError } from "../model/constraint-violation-error.js";
import { type EngineStateRecord, isEngineStateKey } from "../model/engine-state.js";
import { type JsonObject, optional } from "../model/field-checks.js";
import {
  OPEN_ORDER_STATUSES,
  ORDER_EVENT_TIMES,
  type OrderRecord,
  type OrderSide,
  type OrderStatus,
  type OrderType,
} from "../model/order.js";
import type { PositionRecord } from "../model/position.js";
import type { StrategyRecord, StrategyStatus, StrategyType } from "../model/strategy.js";
import type { Liquidity, TradeRecord } from "../model/trade.js";
import {
  countChanges,
  type TradingChanges,
  validateTradingChanges,
} from "../model/trading-changes.js";
import {
  checkOrderFilter,
  checkPositionFilter,
  checkStrategyFilter,
  checkTradeFilter,
  type OrderFilter,
  type PositionFilter,
  type StrategyFilter,
  type TradeFilter,
  type TradingState,
  type TradingStore,
} from "../repositories/trading-store.js";
import {
  arrayLiteral,
  numericText,
  timeText,
  type UnnestColumn,
  unnestInsert,
  unnestParameters,
  updateEveryColumn,
} from "./unnest-columns.js";

/** Options of {@link PostgresTradingStore}. */
export interface PostgresTradingStoreOptions {
  /** The instance schema (unquoted) holding the trading tables; migrated already. */
  readonly schema: string;
  /** Rows per statement of a commit; bigger lists are split within its transaction (default 5 000). */
  readonly rowsPerStatement?: number;
}

type Sql = postgres.Sql | postgres.TransactionSql;
type Parameter = string | number;

interface StrategyRow {
  strategy_id: string;
  name: string;
  type: StrategyType;
  instruments: string[];
  parameters: JsonObject;
  limits: JsonObject;
  status: StrategyStatus;
  status_reason: string;
  created_at: Date;
  started_at: Date | null;
  updated_at: Date;
  stopped_at: Date | null;
  metadata: JsonObject;
}

interface OrderRow {
  order_id: string;
  client_order_id: string;
  strategy_id: string | null;
  instrument: string;
  side: OrderSide;
  type: OrderType;
  quantity: string;
  limit_price: string | null;
  filled_quantity: string;
  average_fill_price: string;
  fees: string;
  status: OrderStatus;
  status_reason: string;
  created_at: Date;
  submitted_at: Date | null;
  accepted_at: Date | null;
  partially_filled_at: Date | null;
  filled_at: Date | null;
  cancelled_at: Date | null;
  rejected_at: Date | null;
  expired_at: Date | null;
  expires_at: Date;
  updated_at: Date;
}

interface TradeRow {
  trade_id: string;
  order_id: string;
  strategy_id: string | null;
  instrument: string;
  side: OrderSide;
  price: string;
  quantity: string;
  fee: string;
  liquidity: Liquidity;
  timestamp: Date;
}

interface PositionRow {
  strategy_id: string;
  instrument_id: string;
  quantity: string;
  average_entry_price: string;
  realized_pnl: string;
  fees_paid: string;
  opened_at: Date | null;
  updated_at: Date;
}

interface EngineStateRow {
  key: string;
  value: JsonObject;
  updated_at: Date;
}

/** `order_event_column` of each optional order time. */
const EVENT_COLUMNS: Readonly<Record<(typeof ORDER_EVENT_TIMES)[number], keyof OrderRow>> = {
  submittedAt: "submitted_at",
  acceptedAt: "accepted_at",
  partiallyFilledAt: "partially_filled_at",
  filledAt: "filled_at",
  cancelledAt: "cancelled_at",
  rejectedAt: "rejected_at",
  expiredAt: "expired_at",
};

/**
 * The {@link TradingStore} on Postgres (postgres.js), in the instance schema's `strategies`,
 * `orders`, `trades`, `positions` and `engine_state`.
 *
 * A commit is one transaction (`sql.begin`) of at most five kinds of statement, each a prepared
 * `insert … select from unnest($1::…[], …)` whose text never depends on the batch size (the
 * rows travel as one array parameter per column): strategies, orders, trades, positions, engine
 * state, in that order, split into chunks of `rowsPerStatement` rows when bigger. Never one
 * round trip per row. Integrity errors (class 23) become a {@link ConstraintViolationError}
 * carrying the constraint name. `loadState` reads its four lists in one read-only
 * repeatable-read transaction, so they are consistent with each other.
 */
export class PostgresTradingStore implements TradingStore {
  readonly #sql: postgres.Sql;
  readonly #rowsPerStatement: number;
  readonly #tables: {
    readonly strategies: string;
    readonly orders: string;
    readonly trades: string;
    readonly positions: string;
    readonly engineState: string;
  };
  readonly #types: {
    readonly strategyStatus: string;
    readonly strategyType: string;
    readonly orderStatus: string;
  };
  readonly #write: {
    readonly strategies: string;
    readonly orders: string;
    readonly trades: string;
    readonly positions: string;
    readonly engineState: string;
  };
  readonly #columns: {
    readonly strategies: readonly UnnestColumn<StrategyRecord>[];
    readonly orders: readonly UnnestColumn<OrderRecord>[];
    readonly trades: readonly UnnestColumn<TradeRecord>[];
    readonly positions: readonly UnnestColumn<PositionRecord>[];
    readonly engineState: readonly UnnestColumn<EngineStateRecord>[];
  };

  constructor(sql: postgres.Sql, options: PostgresTradingStoreOptions) {
    const { schema } = options;
    this.#sql = sql;
    this.#rowsPerStatement = options.rowsPerStatement ?? 5_000;
    const table = (name: string) => qualifiedName(schema, name);
    const type = (name: string) => qualifiedName(schema, name);
    this.#tables = {
      strategies: table("strategies"),
      orders: table("orders"),
      trades: table("trades"),
      positions: table("positions"),
      engineState: table("engine_state"),
    };
    this.#types = {
      strategyStatus: type("strategy_status"),
      strategyType: type("strategy_type"),
      orderStatus: type("order_status"),
    };
    this.#columns = {
      strategies: strategyColumns(type),
      orders: orderColumns(type),
      trades: tradeColumns(type),
      positions: positionColumns(),
      engineState: engineStateColumns(),
    };
    const { strategies, orders, trades, positions, engineState } = this.#columns;
    this.#write = {
      strategies: `${unnestInsert(this.#tables.strategies, strategies)}
        on conflict (strategy_id) do update set ${updateEveryColumn(strategies, ["strategy_id"])}`,
      orders: `${unnestInsert(this.#tables.orders, orders)}
        on conflict (order_id) do update set ${updateEveryColumn(orders, ["order_id"])}`,
      trades: `${unnestInsert(this.#tables.trades, trades)} on conflict (trade_id) do nothing`,
      positions: `${unnestInsert(this.#tables.positions, positions)}
        on conflict (strategy_id, instrument_id) do update set
        ${updateEveryColumn(positions, ["strategy_id", "instrument_id"])}`,
      engineState: `${unnestInsert(this.#tables.engineState, engineState)}
        on conflict (key) do update set ${updateEveryColumn(engineState, ["key"])}`,
    };
  }

  async commit(changes: TradingChanges): Promise<void> {
    const valid = validateTradingChanges(changes);
    if (countChanges(valid) === 0) return;
    try {
      await this.#sql.begin(async (tx) => {
        await this.#writeAll(
          tx,
          this.#write.strategies,
          this.#columns.strategies,
          valid.strategies,
        );
        await this.#writeAll(tx, this.#write.orders, this.#columns.orders, valid.orders);
        await this.#writeAll(tx, this.#write.trades, this.#columns.trades, valid.trades);
        await this.#writeAll(tx, this.#write.positions, this.#columns.positions, valid.positions);
        await this.#writeAll(
          tx,
          this.#write.engineState,
          this.#columns.engineState,
          valid.engineState,
        );
      });
    } catch (error) {
      throw asConstraintViolation(error);
    }
  }

  async #writeAll<T>(
    tx: Sql,
    text: string,
    columns: readonly UnnestColumn<T>[],
    rows: readonly T[],
  ): Promise<void> {
    for (let start = 0; start < rows.length; start += this.#rowsPerStatement) {
      const chunk = rows.slice(start, start + this.#rowsPerStatement);
      await tx.unsafe(text, unnestParameters(columns, chunk), { prepare: true });
    }
  }

  async loadState(): Promise<TradingState> {
    const { strategies, orders, positions, engineState } = this.#tables;
    return this.#sql.begin("isolation level repeatable read read only", async (tx) => {
      const strategyRows = await tx.unsafe<StrategyRow[]>(
        `select ${STRATEGY_COLUMNS} from ${strategies}
         order by created_at, strategy_id collate "C"`,
        [],
        { prepare: true },
      );
      const orderRows = await tx.unsafe<OrderRow[]>(
        `select ${ORDER_COLUMNS} from ${orders}
         where status = any($1::${this.#types.orderStatus}[])
         order by created_at, order_id`,
        [arrayLiteral(OPEN_ORDER_STATUSES)],
        { prepare: true },
      );
      const positionRows = await tx.unsafe<PositionRow[]>(
        `select ${POSITION_COLUMNS} from ${positions}
         order by strategy_id collate "C", instrument_id collate "C"`,
        [],
        { prepare: true },
      );
      const engineStateRows = await tx.unsafe<EngineStateRow[]>(
        `select ${ENGINE_STATE_COLUMNS} from ${engineState} order by key collate "C"`,
        [],
        { prepare: true },
      );
      return {
        strategies: strategyRows.map(strategyFromRow),
        openOrders: orderRows.map(orderFromRow),
        positions: positionRows.map(positionFromRow),
        engineState: engineStateRows.map(engineStateFromRow),
      };
    });
  }

  async getEngineState(key: string): Promise<EngineStateRecord | undefined> {
    // Not a key: no row can have it (and a NUL would not even reach Postgres).
    if (!isEngineStateKey(key)) return undefined;
    const rows = await this.#sql.unsafe<EngineStateRow[]>(
      `select ${ENGINE_STATE_COLUMNS} from ${this.#tables.engineState} where key = $1`,
      [key],
      { prepare: true },
    );
    const row = rows[0];
    return row === undefined ? undefined : engineStateFromRow(row);
  }

  async getStrategy(strategyId: string): Promise<StrategyRecord | undefined> {
    if (typeof strategyId !== "string") return undefined;
    const rows = await this.#sql.unsafe<StrategyRow[]>(
      `select ${STRATEGY_COLUMNS} from ${this.#tables.strategies} where strategy_id = $1`,
      [strategyId],
      { prepare: true },
    );
    const row = rows[0];
    return row === undefined ? undefined : strategyFromRow(row);
  }

  async listStrategies(filter?: StrategyFilter): Promise<StrategyRecord[]> {
    const f = checkStrategyFilter(filter);
    const where = new Where();
    if (f.statuses !== undefined) {
      where.add(`status = any(?::${this.#types.strategyStatus}[])`, arrayLiteral(f.statuses));
    }
    if (f.type !== undefined) where.add(`type = ?::${this.#types.strategyType}`, f.type);
    const rows = await this.#sql.unsafe<StrategyRow[]>(
      `select ${STRATEGY_COLUMNS} from ${this.#tables.strategies} ${where.text()}
       order by created_at desc, strategy_id collate "C"`,
      where.params,
      { prepare: true },
    );
    return rows.map(strategyFromRow);
  }

  async getOrder(orderId: string): Promise<OrderRecord | undefined> {
    // Not a UUID: Postgres would refuse the cast, and no order can have that id.
    if (!isUuid(orderId)) return undefined;
    const rows = await this.#sql.unsafe<OrderRow[]>(
      `select ${ORDER_COLUMNS} from ${this.#tables.orders} where order_id = $1::uuid`,
      [orderId],
      { prepare: true },
    );
    const row = rows[0];
    return row === undefined ? undefined : orderFromRow(row);
  }

  async listOrders(filter?: OrderFilter): Promise<OrderRecord[]> {
    const f = checkOrderFilter(filter);
    const where = new Where();
    if (f.statuses !== undefined) {
      where.add(`status = any(?::${this.#types.orderStatus}[])`, arrayLiteral(f.statuses));
    }
    if (f.strategyId !== undefined) where.add("strategy_id = ?", f.strategyId);
    if (f.instrument !== undefined) where.add("instrument = ?", f.instrument);
    const limit = where.param(f.limit);
    const rows = await this.#sql.unsafe<OrderRow[]>(
      `select ${ORDER_COLUMNS} from ${this.#tables.orders} ${where.text()}
       order by created_at desc, order_id desc limit ${limit}::int`,
      where.params,
      { prepare: true },
    );
    return rows.map(orderFromRow);
  }

  async listTrades(filter?: TradeFilter): Promise<TradeRecord[]> {
    const f = checkTradeFilter(filter);
    const where = new Where();
    if (f.orderId !== undefined) where.add("order_id = ?::uuid", f.orderId);
    if (f.strategyId !== undefined) where.add("strategy_id = ?", f.strategyId);
    if (f.instrument !== undefined) where.add("instrument = ?", f.instrument);
    const direction = f.orderId === undefined ? "desc" : "asc";
    const limit = where.param(f.limit);
    const rows = await this.#sql.unsafe<TradeRow[]>(
      `select ${TRADE_COLUMNS} from ${this.#tables.trades} ${where.text()}
       order by "timestamp" ${direction}, trade_id ${direction} limit ${limit}::int`,
      where.params,
      { prepare: true },
    );
    return rows.map(tradeFromRow);
  }

  async listPositions(filter?: PositionFilter): Promise<PositionRecord[]> {
    const f = checkPositionFilter(filter);
    const where = new Where();
    if (f.strategyId !== undefined) where.add("strategy_id = ?", f.strategyId);
    if (f.instrument !== undefined) where.add("instrument_id = ?", f.instrument);
    const rows = await this.#sql.unsafe<PositionRow[]>(
      `select ${POSITION_COLUMNS} from ${this.#tables.positions} ${where.text()}
       order by strategy_id collate "C", instrument_id collate "C"`,
      where.params,
      { prepare: true },
    );
    return rows.map(positionFromRow);
  }
}

/** A `where` clause built from conditions with one `?` each, numbered as `$n` in order. */
class Where {
  readonly params: Parameter[] = [];
  readonly #conditions: string[] = [];

  add(condition: string, value: Parameter): void {
    this.#conditions.push(condition.replace("?", this.param(value)));
  }

  /** Adds a parameter and returns its placeholder (`$n`). */
  param(value: Parameter): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  text(): string {
    return this.#conditions.length === 0 ? "" : `where ${this.#conditions.join(" and ")}`;
  }
}

const STRATEGY_COLUMNS = `strategy_id, name, type, instruments, parameters, limits, status,
  status_reason, created_at, started_at, updated_at, stopped_at, metadata`;

const ORDER_COLUMNS = `order_id, client_order_id, strategy_id, instrument, side, type, quantity,
  limit_price, filled_quantity, average_fill_price, fees, status, status_reason, created_at,
  submitted_at, accepted_at, partially_filled_at, filled_at, cancelled_at, rejected_at,
  expired_at, expires_at, updated_at`;

const TRADE_COLUMNS = `trade_id, order_id, strategy_id, instrument, side, price, quantity, fee,
  liquidity, "timestamp"`;

const POSITION_COLUMNS = `strategy_id, instrument_id, quantity, average_entry_price,
  realized_pnl, fees_paid, opened_at, updated_at`;

const ENGINE_STATE_COLUMNS = "key, value, updated_at";

function strategyColumns(type: (name: string) => string): UnnestColumn<StrategyRecord>[] {
  return [
    { name: "strategy_id", type: "text", value: (s) => s.strategyId },
    { name: "name", type: "text", value: (s) => s.name },
    { name: "type", type: type("strategy_type"), value: (s) => s.type },
    {
      // A ragged 2-D array cannot be unnested: each row's list travels as its array literal.
      name: "instruments",
      type: "text",
      value: (s) => arrayLiteral(s.instruments),
      select: (ref) => `${ref}::text[]`,
    },
    { name: "parameters", type: "jsonb", value: (s) => JSON.stringify(s.parameters) },
    { name: "limits", type: "jsonb", value: (s) => JSON.stringify(s.limits) },
    { name: "status", type: type("strategy_status"), value: (s) => s.status },
    { name: "status_reason", type: "text", value: (s) => s.statusReason },
    { name: "created_at", type: "timestamptz", value: (s) => s.createdAt.toISOString() },
    { name: "started_at", type: "timestamptz", value: (s) => timeText(s.startedAt) },
    { name: "updated_at", type: "timestamptz", value: (s) => s.updatedAt.toISOString() },
    { name: "stopped_at", type: "timestamptz", value: (s) => timeText(s.stoppedAt) },
    { name: "metadata", type: "jsonb", value: (s) => JSON.stringify(s.metadata ?? {}) },
  ];
}

function orderColumns(type: (name: string) => string): UnnestColumn<OrderRecord>[] {
  return [
    { name: "order_id", type: "uuid", value: (o) => o.orderId },
    { name: "client_order_id", type: "text", value: (o) => o.clientOrderId },
    { name: "strategy_id", type: "text", value: (o) => o.strategyId ?? null },
    { name: "instrument", type: "text", value: (o) => o.instrument },
    { name: "side", type: type("order_side"), value: (o) => o.side },
    { name: "type", type: type("order_type"), value: (o) => o.type },
    { name: "quantity", type: "numeric", value: (o) => numericText(o.quantity) },
    {
      name: "limit_price",
      type: "numeric",
      value: (o) => (o.limitPrice === undefined ? null : numericText(o.limitPrice)),
    },
    { name: "filled_quantity", type: "numeric", value: (o) => numericText(o.filledQuantity) },
    {
      name: "average_fill_price",
      type: "numeric",
      value: (o) => numericText(o.averageFillPrice),
    },
    { name: "fees", type: "numeric", value: (o) => numericText(o.fees) },
    { name: "status", type: type("order_status"), value: (o) => o.status },
    { name: "status_reason", type: "text", value: (o) => o.statusReason },
    { name: "created_at", type: "timestamptz", value: (o) => o.createdAt.toISOString() },
    ...ORDER_EVENT_TIMES.map(
      (field): UnnestColumn<OrderRecord> => ({
        name: EVENT_COLUMNS[field],
        type: "timestamptz",
        value: (o) => timeText(o[field]),
      }),
    ),
    { name: "expires_at", type: "timestamptz", value: (o) => o.expiresAt.toISOString() },
    { name: "updated_at", type: "timestamptz", value: (o) => o.updatedAt.toISOString() },
  ];
}

function tradeColumns(type: (name: string) => string): UnnestColumn<TradeRecord>[] {
  return [
    { name: "trade_id", type: "uuid", value: (t) => t.tradeId },
    { name: "order_id", type: "uuid", value: (t) => t.orderId },
    { name: "strategy_id", type: "text", value: (t) => t.strategyId ?? null },
    { name: "instrument", type: "text", value: (t) => t.instrument },
    { name: "side", type: type("trade_side"), value: (t) => t.side },
    { name: "price", type: "numeric", value: (t) => numericText(t.price) },
    { name: "quantity", type: "numeric", value: (t) => numericText(t.quantity) },
    { name: "fee", type: "numeric", value: (t) => numericText(t.fee) },
    { name: "liquidity", type: "text", value: (t) => t.liquidity },
    { name: "timestamp", type: "timestamptz", value: (t) => t.timestamp.toISOString() },
  ];
}

function positionColumns(): UnnestColumn<PositionRecord>[] {
  return [
    { name: "strategy_id", type: "text", value: (p) => p.strategyId },
    { name: "instrument_id", type: "text", value: (p) => p.instrument },
    { name: "quantity", type: "numeric", value: (p) => numericText(p.quantity) },
    {
      name: "average_entry_price",
      type: "numeric",
      value: (p) => numericText(p.averageEntryPrice),
    },
    { name: "realized_pnl", type: "numeric", value: (p) => numericText(p.realizedPnl) },
    { name: "fees_paid", type: "numeric", value: (p) => numericText(p.feesPaid) },
    { name: "opened_at", type: "timestamptz", value: (p) => timeText(p.openedAt) },
    { name: "updated_at", type: "timestamptz", value: (p) => p.updatedAt.toISOString() },
  ];
}

function engineStateColumns(): UnnestColumn<EngineStateRecord>[] {
  return [
    { name: "key", type: "text", value: (e) => e.key },
    { name: "value", type: "jsonb", value: (e) => JSON.stringify(e.value) },
    { name: "updated_at", type: "timestamptz", value: (e) => e.updatedAt.toISOString() },
  ];
}

/** A `numeric` read back (postgres.js hands it over as text) as a number. */
function num(value: string | number): number {
  return typeof value === "number" ? value : Number(value);
}

/** An optional `timestamptz` read back: absent when NULL. */
function time(value: Date | null): Date | undefined {
  return value === null ? undefined : value;
}

function strategyFromRow(row: StrategyRow): StrategyRecord {
  return {
    strategyId: row.strategy_id,
    name: row.name,
    type: row.type,
    instruments: row.instruments,
    parameters: row.parameters,
    limits: row.limits,
    status: row.status,
    statusReason: row.status_reason,
    createdAt: row.created_at,
    ...optional("startedAt", time(row.started_at)),
    updatedAt: row.updated_at,
    ...optional("stoppedAt", time(row.stopped_at)),
    metadata: row.metadata,
  };
}

function orderFromRow(row: OrderRow): OrderRecord {
  const events: Partial<Record<(typeof ORDER_EVENT_TIMES)[number], Date>> = {};
  for (const field of ORDER_EVENT_TIMES) {
    const value = row[EVENT_COLUMNS[field]];
    if (value instanceof Date) events[field] = value;
  }
  return {
    orderId: row.order_id,
    clientOrderId: row.client_order_id,
    ...optional("strategyId", row.strategy_id ?? undefined),
    instrument: row.instrument,
    side: row.side,
    type: row.type,
    quantity: num(row.quantity),
    ...optional("limitPrice", row.limit_price === null ? undefined : num(row.limit_price)),
    filledQuantity: num(row.filled_quantity),
    averageFillPrice: num(row.average_fill_price),
    fees: num(row.fees),
    status: row.status,
    statusReason: row.status_reason,
    createdAt: row.created_at,
    ...events,
    expiresAt: row.expires_at,
    updatedAt: row.updated_at,
  };
}

function tradeFromRow(row: TradeRow): TradeRecord {
  return {
    tradeId: row.trade_id,
    orderId: row.order_id,
    ...optional("strategyId", row.strategy_id ?? undefined),
    instrument: row.instrument,
    side: row.side,
    price: num(row.price),
    quantity: num(row.quantity),
    fee: num(row.fee),
    liquidity: row.liquidity,
    timestamp: row.timestamp,
  };
}

function positionFromRow(row: PositionRow): PositionRecord {
  return {
    strategyId: row.strategy_id,
    instrument: row.instrument_id,
    quantity: num(row.quantity),
    averageEntryPrice: num(row.average_entry_price),
    realizedPnl: num(row.realized_pnl),
    feesPaid: num(row.fees_paid),
    ...optional("openedAt", time(row.opened_at)),
    updatedAt: row.updated_at,
  };
}

function engineStateFromRow(row: EngineStateRow): EngineStateRecord {
  return { key: row.key, value: row.value, updatedAt: row.updated_at };
}

/** Postgres' integrity errors (SQLSTATE class 23) as {@link ConstraintViolationError}s. */
function asConstraintViolation(error: unknown): unknown {
  if (typeof error !== "object" || error === null) return error;
  const { code, constraint_name: constraint } = error as {
    code?: unknown;
    constraint_name?: unknown;
  };
  if (typeof code !== "string" || !code.startsWith("23")) return error;
  return new ConstraintViolationError(
    typeof constraint === "string" ? constraint : "unknown",
    (error as Error).message,
    { cause: error },
  );
}
