import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import {
  type Fill as FillMessage,
  FillSchema,
  Liquidity,
  type Order as OrderMessage,
  OrderSchema,
  OrderSide,
  OrderStatus,
  OrderType,
  type Portfolio as PortfolioMessage,
  PortfolioSchema,
  type Position as PositionMessage,
  PositionSchema,
  type Strategy as StrategyMessage,
  StrategySchema,
  StrategyStatus,
  StrategyType,
} from "@tse/proto/trading/v1/trading_pb";
import type { StrategySnapshot } from "../../domain/engine/strategy-lifecycle.js";
import type { StrategyPerformance } from "../../domain/engine/strategy-performance.js";
import type { Fill, OrderSnapshot } from "../../domain/orders/order.js";
import type { MarkedPosition, PortfolioValuation } from "../../domain/portfolio/portfolio.js";
import type { MarketMakingParameters } from "../../domain/strategies/market-making.js";
import type { MeanReversionParameters } from "../../domain/strategies/mean-reversion.js";

/** Domain names ↔ `trading.v1` enum values. */
export const STRATEGY_TYPES = {
  market_making: StrategyType.MARKET_MAKING,
  mean_reversion: StrategyType.MEAN_REVERSION,
} as const;
export const STRATEGY_STATUSES = {
  inactive: StrategyStatus.INACTIVE,
  active: StrategyStatus.ACTIVE,
  paused: StrategyStatus.PAUSED,
  stopped: StrategyStatus.STOPPED,
  error: StrategyStatus.ERROR,
} as const;
export const ORDER_STATUSES = {
  pending: OrderStatus.PENDING,
  submitted: OrderStatus.SUBMITTED,
  accepted: OrderStatus.ACCEPTED,
  partially_filled: OrderStatus.PARTIALLY_FILLED,
  filled: OrderStatus.FILLED,
  cancelled: OrderStatus.CANCELLED,
  rejected: OrderStatus.REJECTED,
  expired: OrderStatus.EXPIRED,
} as const;
const SIDES = { buy: OrderSide.BUY, sell: OrderSide.SELL } as const;
const ORDER_TYPES = { market: OrderType.MARKET, limit: OrderType.LIMIT } as const;

/** The domain name of an enum value, or `undefined` for UNSPECIFIED and unknown values. */
export function nameOf<K extends string>(
  table: Readonly<Record<K, number>>,
  value: number,
): K | undefined {
  return (Object.keys(table) as K[]).find((key) => table[key] === value);
}

const optionalTimestamp = <K extends string>(key: K, ms: number | undefined) =>
  (ms === undefined ? {} : { [key]: timestampFromMs(ms) }) as Partial<
    Record<K, ReturnType<typeof timestampFromMs>>
  >;

export function toStrategyMessage(
  s: StrategySnapshot,
  performance: StrategyPerformance,
): StrategyMessage {
  const parameters =
    s.type === "market_making"
      ? { case: "marketMaking" as const, value: { ...(s.parameters as MarketMakingParameters) } }
      : {
          case: "meanReversion" as const,
          value: {
            ...(s.parameters as MeanReversionParameters),
            entryOrderType:
              ORDER_TYPES[(s.parameters as MeanReversionParameters).entryOrderType] ??
              OrderType.MARKET,
          },
        };
  return create(StrategySchema, {
    id: s.id,
    name: s.name,
    type: STRATEGY_TYPES[s.type],
    instruments: [...s.instruments],
    parameters,
    limits: { ...s.limits },
    status: STRATEGY_STATUSES[s.status],
    statusReason: s.statusReason,
    createdAt: timestampFromMs(s.createdAt),
    ...optionalTimestamp("startedAt", s.startedAt),
    updatedAt: timestampFromMs(s.updatedAt),
    ...optionalTimestamp("stoppedAt", s.stoppedAt),
    performance: { ...performance },
  });
}

export function toFillMessage(f: Fill): FillMessage {
  return create(FillSchema, {
    id: f.id,
    orderId: f.orderId,
    strategyId: f.strategyId ?? "",
    instrument: f.instrument,
    side: SIDES[f.side],
    price: f.price,
    quantity: f.quantity,
    fee: f.fee,
    liquidity: f.liquidity === "maker" ? Liquidity.MAKER : Liquidity.TAKER,
    timestamp: timestampFromMs(f.timestamp),
  });
}

export function toOrderMessage(o: OrderSnapshot): OrderMessage {
  return create(OrderSchema, {
    id: o.id,
    clientOrderId: o.clientOrderId,
    strategyId: o.strategyId ?? "",
    instrument: o.instrument,
    side: SIDES[o.side],
    type: ORDER_TYPES[o.type],
    quantity: o.quantity,
    limitPrice: o.limitPrice ?? 0,
    filledQuantity: o.filledQuantity,
    averageFillPrice: o.averageFillPrice,
    fees: o.fees,
    status: ORDER_STATUSES[o.status],
    statusReason: o.statusReason,
    createdAt: timestampFromMs(o.createdAt),
    ...optionalTimestamp("submittedAt", o.submittedAt),
    ...optionalTimestamp("acceptedAt", o.acceptedAt),
    ...optionalTimestamp("partiallyFilledAt", o.partiallyFilledAt),
    ...optionalTimestamp("filledAt", o.filledAt),
    ...optionalTimestamp("cancelledAt", o.cancelledAt),
    ...optionalTimestamp("rejectedAt", o.rejectedAt),
    ...optionalTimestamp("expiredAt", o.expiredAt),
    expiresAt: timestampFromMs(o.expiresAt),
    updatedAt: timestampFromMs(o.updatedAt),
    fills: o.fills.map(toFillMessage),
  });
}

export function toPositionMessage(p: MarkedPosition): PositionMessage {
  return create(PositionSchema, {
    strategyId: p.strategyId,
    instrument: p.instrument,
    quantity: p.quantity,
    averageEntryPrice: p.averageEntryPrice,
    markPrice: p.markPrice,
    realizedPnl: p.realizedPnl,
    unrealizedPnl: p.unrealizedPnl,
    exposure: p.exposure,
    ...optionalTimestamp("openedAt", p.openedAt),
    updatedAt: timestampFromMs(p.updatedAt),
  });
}

export function toPortfolioMessage(v: PortfolioValuation): PortfolioMessage {
  return create(PortfolioSchema, {
    ...v,
    strategies: v.strategies.map((s) => ({ ...s })),
    timestamp: timestampFromMs(v.timestamp),
  });
}
