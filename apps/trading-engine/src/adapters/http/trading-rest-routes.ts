import { HttpError, type RestRoute } from "@tse/service-kit";
import { EngineRequestError, OPEN_ORDER_STATUSES } from "../../application/domain-values.js";
import type { RiskDesk } from "../../application/risk-desk.js";
import type { TradingDesk } from "../../application/trading-desk.js";
import type { StrategySnapshot } from "../../domain/engine/strategy-lifecycle.js";
import type { OrderSnapshot, OrderStatus } from "../../domain/orders/order.js";
import type { MarkedPosition } from "../../domain/portfolio/portfolio.js";

const ORDER_STATUS_NAMES: readonly OrderStatus[] = [
  "pending",
  "submitted",
  "accepted",
  "partially_filled",
  "filled",
  "cancelled",
  "rejected",
  "expired",
];

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

const quoted = (value: string) =>
  JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

/**
 * `query` when it holds only `allowed` parameters, each at most once: a misspelt parameter
 * would otherwise be ignored and its default silently used. 400 naming it otherwise.
 */
function checkedQuery(query: URLSearchParams, allowed: readonly string[]): URLSearchParams {
  const seen = new Set<string>();
  for (const name of query.keys()) {
    if (!allowed.includes(name)) {
      throw new HttpError(
        400,
        "invalid_parameter",
        `unknown query parameter ${quoted(name)}: ${allowed.length === 0 ? "this route takes none" : `this route takes ${allowed.join(", ")}`}`,
      );
    }
    if (seen.has(name))
      throw new HttpError(400, "invalid_parameter", `query parameter ${name} is given twice`);
    seen.add(name);
  }
  return query;
}

/** A boolean query parameter: `true` or `false`, `fallback` when absent; 400 otherwise. */
function booleanParameter(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (raw === "true" || raw === "false") return raw === "true";
  throw new HttpError(
    400,
    "invalid_parameter",
    `${name} must be true or false (got ${quoted(raw)})`,
  );
}

function strategyBody(desk: TradingDesk, s: StrategySnapshot) {
  const p = desk.performance(s.id);
  return {
    id: s.id,
    name: s.name,
    type: s.type,
    instruments: s.instruments,
    parameters: s.parameters,
    limits: s.limits,
    status: s.status,
    status_reason: s.statusReason,
    created_at: iso(s.createdAt),
    started_at: iso(s.startedAt),
    updated_at: iso(s.updatedAt),
    stopped_at: iso(s.stoppedAt),
    performance: {
      realized_pnl: p.realizedPnl,
      unrealized_pnl: p.unrealizedPnl,
      total_pnl: p.totalPnl,
      fees_paid: p.feesPaid,
      order_count: p.orderCount,
      fill_count: p.fillCount,
      traded_notional: p.tradedNotional,
      open_order_count: p.openOrderCount,
    },
  };
}

function positionBody(p: MarkedPosition) {
  return {
    strategy_id: p.strategyId,
    instrument: p.instrument,
    quantity: p.quantity,
    average_entry_price: p.averageEntryPrice,
    mark_price: p.markPrice,
    realized_pnl: p.realizedPnl,
    unrealized_pnl: p.unrealizedPnl,
    exposure: p.exposure,
    fees_paid: p.feesPaid,
    opened_at: iso(p.openedAt),
    updated_at: iso(p.updatedAt),
  };
}

function orderBody(o: OrderSnapshot) {
  return {
    id: o.id,
    client_order_id: o.clientOrderId,
    strategy_id: o.strategyId ?? null,
    instrument: o.instrument,
    side: o.side,
    type: o.type,
    quantity: o.quantity,
    limit_price: o.limitPrice ?? null,
    filled_quantity: o.filledQuantity,
    average_fill_price: o.averageFillPrice,
    fees: o.fees,
    status: o.status,
    status_reason: o.statusReason,
    created_at: iso(o.createdAt),
    updated_at: iso(o.updatedAt),
    expires_at: iso(o.expiresAt),
    fills: o.fills.map((f) => ({
      id: f.id,
      price: f.price,
      quantity: f.quantity,
      fee: f.fee,
      liquidity: f.liquidity,
      timestamp: iso(f.timestamp),
    })),
  };
}

/**
 * The trading engine's REST reads (docs/protocols.md#trading-rest-reads): strategies, one strategy
 * with its positions, positions (`include_flat` = true or false), orders (`status` =
 * comma-separated statuses or `open`, `limit` ≤ 1000), the portfolio and the risk status. Bad
 * parameters — and unknown or repeated ones — are 400s naming them; unknown ids 404s.
 */
export function tradingRestRoutes(desks: {
  readonly trading: TradingDesk;
  readonly risk: RiskDesk;
}): RestRoute[] {
  const { trading: desk, risk } = desks;
  const refused = (error: unknown): never => {
    if (error instanceof EngineRequestError && error.kind === "not_found") {
      throw new HttpError(404, "not_found", error.message);
    }
    if (error instanceof EngineRequestError && error.kind === "invalid") {
      throw new HttpError(400, "invalid_parameter", error.message);
    }
    throw error;
  };
  const found = <T>(read: () => T): T => {
    try {
      return read();
    } catch (error) {
      return refused(error);
    }
  };
  return [
    {
      method: "GET",
      path: "/api/v1/strategies",
      handler: ({ query }) => {
        checkedQuery(query, []);
        return { strategies: desk.strategies().map((s) => strategyBody(desk, s)) };
      },
    },
    {
      method: "GET",
      path: "/api/v1/strategies/:id",
      handler: ({ params, query }) => {
        checkedQuery(query, []);
        const strategy = found(() => desk.strategy(params.id ?? ""));
        return {
          ...strategyBody(desk, strategy),
          positions: desk
            .positions({ strategyId: strategy.id, includeFlat: true })
            .map(positionBody),
        };
      },
    },
    {
      method: "GET",
      path: "/api/v1/positions",
      handler: ({ query }) => {
        checkedQuery(query, ["strategy_id", "include_flat"]);
        const strategyId = query.get("strategy_id") ?? undefined;
        const includeFlat = booleanParameter(query, "include_flat", false);
        return {
          positions: found(() =>
            desk.positions({ ...(strategyId === undefined ? {} : { strategyId }), includeFlat }),
          ).map(positionBody),
        };
      },
    },
    {
      method: "GET",
      path: "/api/v1/orders",
      handler: async ({ query }) => {
        checkedQuery(query, ["status", "limit", "strategy_id"]);
        const raw = query.get("status");
        const statuses: OrderStatus[] = [];
        for (const name of raw === null || raw === "" ? [] : raw.split(",")) {
          if (name === "open") statuses.push(...OPEN_ORDER_STATUSES);
          else if ((ORDER_STATUS_NAMES as readonly string[]).includes(name))
            statuses.push(name as OrderStatus);
          else
            throw new HttpError(
              400,
              "invalid_parameter",
              `status must be open or one of ${ORDER_STATUS_NAMES.join(", ")}`,
            );
        }
        const limitRaw = query.get("limit");
        let limit = 100;
        if (limitRaw !== null) {
          if (!/^\d+$/.test(limitRaw) || Number(limitRaw) < 1 || Number(limitRaw) > 1_000) {
            throw new HttpError(400, "invalid_parameter", "limit must be an integer in [1, 1000]");
          }
          limit = Number(limitRaw);
        }
        const strategyId = query.get("strategy_id") ?? undefined;
        const orders = await desk
          .orders({ statuses, limit, ...(strategyId === undefined ? {} : { strategyId }) })
          .catch(refused);
        return { orders: orders.map(orderBody) };
      },
    },
    {
      method: "GET",
      path: "/api/v1/portfolio",
      handler: ({ query }) => {
        checkedQuery(query, []);
        const v = desk.valuation();
        return {
          currency: v.currency,
          initial_capital: v.initialCapital,
          cash: v.cash,
          positions_value: v.positionsValue,
          total_value: v.totalValue,
          realized_pnl: v.realizedPnl,
          unrealized_pnl: v.unrealizedPnl,
          total_pnl: v.totalPnl,
          fees_paid: v.feesPaid,
          gross_exposure: v.grossExposure,
          net_exposure: v.netExposure,
          peak_value: v.peakValue,
          drawdown: v.drawdown,
          strategies: v.strategies.map((s) => ({
            strategy_id: s.strategyId,
            realized_pnl: s.realizedPnl,
            unrealized_pnl: s.unrealizedPnl,
            total_pnl: s.totalPnl,
            fees_paid: s.feesPaid,
            exposure: s.exposure,
          })),
          timestamp: iso(v.timestamp),
        };
      },
    },
    {
      method: "GET",
      path: "/api/v1/risk",
      handler: ({ query }) => {
        checkedQuery(query, []);
        const { limits, breaker, utilization: u } = risk.status();
        return {
          limits: {
            max_position_size: limits.maxPositionSize,
            instrument_max_position_sizes: limits.instrumentMaxPositionSizes,
            max_total_notional: limits.maxTotalNotional,
            max_orders_per_second: limits.maxOrdersPerSecond,
            max_drawdown: limits.maxDrawdown,
            max_gross_leverage: limits.maxGrossLeverage,
          },
          circuit_breaker: {
            state: breaker.engaged ? "engaged" : "disengaged",
            trigger: breaker.trigger ?? null,
            reason: breaker.reason,
            engaged_at: iso(breaker.engagedAt),
            disengaged_at: iso(breaker.disengagedAt),
          },
          utilization: {
            instruments: u.instruments.map((i) => ({
              instrument: i.instrument,
              net_position: i.netPosition,
              max_position_size: i.maxPositionSize,
              utilization: i.utilization,
            })),
            total_notional: u.totalNotional,
            total_notional_utilization: u.totalNotionalUtilization,
            // JSON has no infinity: null when there is exposure and no portfolio value left.
            gross_leverage: Number.isFinite(u.grossLeverage) ? u.grossLeverage : null,
            gross_leverage_utilization: Number.isFinite(u.grossLeverageUtilization)
              ? u.grossLeverageUtilization
              : null,
            orders_last_second: u.ordersLastSecond,
            order_rate_utilization: u.orderRateUtilization,
            drawdown: u.drawdown,
            drawdown_utilization: u.drawdownUtilization,
            rejected_orders: u.rejectedOrders,
          },
          market_data: { stale: desk.feedStale },
        };
      },
    },
  ];
}
