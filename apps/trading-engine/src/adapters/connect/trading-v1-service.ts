import { Code, ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import {
  BatchKind,
  type MarketMakingParameters,
  type MeanReversionParameters,
  OrderType,
  type StartStrategyRequest,
  StrategyType,
  TradingService,
} from "@tse/proto/trading/v1/trading_pb";
import { abortableDelay, StreamRefusedError, type StreamSubscription } from "@tse/service-kit";
import {
  CircuitBreakerError,
  EngineRequestError,
  positionKey,
} from "../../application/domain-values.js";
import { checkInstrumentSymbol } from "../../application/instrument-checks.js";
import type {
  StartStrategyRequest as DeskStartRequest,
  TradingDesk,
} from "../../application/trading-desk.js";
import { strictJson } from "./strict-json.js";
import {
  nameOf,
  ORDER_STATUSES,
  STRATEGY_STATUSES,
  STRATEGY_TYPES,
  toOrderMessage,
  toPortfolioMessage,
  toPositionMessage,
  toStrategyMessage,
} from "./trading-messages.js";

const CODES = {
  invalid: Code.InvalidArgument,
  not_found: Code.NotFound,
  already_exists: Code.AlreadyExists,
  failed_precondition: Code.FailedPrecondition,
} as const;

/**
 * Runs `act`, turning domain refusals into ConnectErrors with their codes: engine request
 * errors by kind, `RangeError` (a value out of range) as InvalidArgument, the breaker's refusal
 * as FailedPrecondition, a stream limit as ResourceExhausted.
 */
export async function mapErrors<T>(act: () => T | Promise<T>): Promise<T> {
  try {
    return await act();
  } catch (error) {
    if (error instanceof EngineRequestError)
      throw new ConnectError(error.message, CODES[error.kind]);
    if (error instanceof RangeError) throw new ConnectError(error.message, Code.InvalidArgument);
    if (error instanceof CircuitBreakerError)
      throw new ConnectError(error.message, Code.FailedPrecondition);
    if (error instanceof StreamRefusedError)
      throw new ConnectError(error.message, Code.ResourceExhausted);
    throw error;
  }
}

function required(field: string, value: string): string {
  if (value === "") throw new ConnectError(`${field} is required`, Code.InvalidArgument);
  return value;
}

/** The desk's start request of a `trading.v1.StartStrategyRequest`. */
export function toDeskStartRequest(request: StartStrategyRequest): DeskStartRequest {
  const type = nameOf(STRATEGY_TYPES, request.type);
  if (type === undefined) {
    throw new ConnectError(
      "type must be STRATEGY_TYPE_MARKET_MAKING or STRATEGY_TYPE_MEAN_REVERSION",
      Code.InvalidArgument,
    );
  }
  const parameters = request.parameters;
  if (parameters.case === "marketMaking" && request.type !== StrategyType.MARKET_MAKING) {
    throw new ConnectError(
      "market_making parameters need type MARKET_MAKING",
      Code.InvalidArgument,
    );
  }
  if (parameters.case === "meanReversion" && request.type !== StrategyType.MEAN_REVERSION) {
    throw new ConnectError(
      "mean_reversion parameters need type MEAN_REVERSION",
      Code.InvalidArgument,
    );
  }
  return {
    id: request.strategyId,
    name: request.name,
    type,
    instruments: request.instruments,
    ...(parameters.case === "marketMaking"
      ? { marketMaking: marketMakingInput(parameters.value) }
      : {}),
    ...(parameters.case === "meanReversion"
      ? { meanReversion: meanReversionInput(parameters.value) }
      : {}),
    ...(request.limits === undefined ? {} : { limits: { ...request.limits } }),
  };
}

function marketMakingInput(p: MarketMakingParameters) {
  return {
    spreadBps: p.spreadBps,
    orderQuantity: p.orderQuantity,
    levels: p.levels,
    levelSpacingBps: p.levelSpacingBps,
    inventorySkew: p.inventorySkew,
    volatilityMultiplier: p.volatilityMultiplier,
    refreshIntervalMs: p.refreshIntervalMs,
  };
}

function meanReversionInput(p: MeanReversionParameters) {
  if (
    p.entryOrderType !== OrderType.UNSPECIFIED &&
    p.entryOrderType !== OrderType.MARKET &&
    p.entryOrderType !== OrderType.LIMIT
  ) {
    throw new ConnectError(
      "mean_reversion.entry_order_type is not a known OrderType",
      Code.InvalidArgument,
    );
  }
  return {
    lookback: p.lookback,
    sampleIntervalMs: p.sampleIntervalMs,
    entryZScore: p.entryZScore,
    exitZScore: p.exitZScore,
    orderQuantity: p.orderQuantity,
    stopLossBps: p.stopLossBps,
    entryOrderType: p.entryOrderType === OrderType.LIMIT ? ("limit" as const) : ("market" as const),
  };
}

/**
 * `trading.v1.TradingService` on the trading desk: strategy lifecycle, positions, portfolio,
 * orders and the two update streams, with the codes of trading.proto. JSON requests are parsed
 * strictly (`STRICT_JSON`).
 */
export function registerTradingV1(router: ConnectRouter, desk: TradingDesk): void {
  const strategyMessage = (id: string) =>
    toStrategyMessage(desk.strategy(id), desk.performance(id));

  strictJson(router).service(TradingService, {
    startStrategy: (request) =>
      mapErrors(async () => {
        const strategy = await desk.startStrategy(toDeskStartRequest(request));
        return { strategy: strategyMessage(strategy.id) };
      }),

    stopStrategy: (request) =>
      mapErrors(() => {
        const id = required("strategy_id", request.strategyId);
        desk.stopStrategy(id, request.closePositions);
        return { strategy: strategyMessage(id) };
      }),

    pauseStrategy: (request) =>
      mapErrors(() => {
        const id = required("strategy_id", request.strategyId);
        desk.pauseStrategy(id, "paused by request");
        return { strategy: strategyMessage(id) };
      }),

    resumeStrategy: (request) =>
      mapErrors(() => {
        const id = required("strategy_id", request.strategyId);
        desk.resumeStrategy(id);
        return { strategy: strategyMessage(id) };
      }),

    getStrategyStatus: (request) =>
      mapErrors(() => {
        const id = required("strategy_id", request.strategyId);
        return {
          strategy: strategyMessage(id),
          positions: desk.positions({ strategyId: id, includeFlat: true }).map(toPositionMessage),
        };
      }),

    listStrategies: (request) =>
      mapErrors(() => {
        const statuses = request.statuses.map((value) => {
          const status = nameOf(STRATEGY_STATUSES, value);
          if (status === undefined)
            throw new ConnectError(
              "statuses must not hold UNSPECIFIED or unknown values",
              Code.InvalidArgument,
            );
          return status;
        });
        const type =
          request.type === StrategyType.UNSPECIFIED
            ? undefined
            : nameOf(STRATEGY_TYPES, request.type);
        if (request.type !== StrategyType.UNSPECIFIED && type === undefined) {
          throw new ConnectError("type is not a known StrategyType", Code.InvalidArgument);
        }
        return {
          strategies: desk
            .strategies()
            .filter(
              (s) =>
                (statuses.length === 0 || statuses.includes(s.status)) &&
                (type === undefined || s.type === type),
            )
            .map((s) => strategyMessage(s.id)),
        };
      }),

    getPositions: (request) =>
      mapErrors(() => ({
        positions: desk
          .positions({
            ...(request.strategyId === "" ? {} : { strategyId: request.strategyId }),
            ...(request.instrument === "" ? {} : { instrument: request.instrument }),
            includeFlat: request.includeFlat,
          })
          .map(toPositionMessage),
      })),

    getPortfolio: () => ({ portfolio: toPortfolioMessage(desk.valuation()) }),

    listOrders: (request) =>
      mapErrors(async () => {
        if (request.limit > 1_000)
          throw new ConnectError(
            `limit must be at most 1000 (got ${request.limit})`,
            Code.InvalidArgument,
          );
        const statuses = request.statuses.map((value) => {
          const status = nameOf(ORDER_STATUSES, value);
          if (status === undefined)
            throw new ConnectError(
              "statuses must not hold UNSPECIFIED or unknown values",
              Code.InvalidArgument,
            );
          return status;
        });
        const orders = await desk.orders({
          statuses,
          ...(request.strategyId === "" ? {} : { strategyId: request.strategyId }),
          ...(request.instrument === "" ? {} : { instrument: request.instrument }),
          limit: request.limit === 0 ? 100 : request.limit,
        });
        return { orders: orders.map(toOrderMessage) };
      }),

    cancelOrder: (request) =>
      mapErrors(async () => ({
        order: toOrderMessage(
          await desk.cancelOrder(required("order_id", request.orderId), "cancelled by request"),
        ),
      })),

    async *streamOrderUpdates(request, context: HandlerContext) {
      if (request.strategyId !== "") await mapErrors(() => desk.strategy(request.strategyId));
      await mapErrors(() => {
        for (const instrument of request.instruments)
          checkInstrumentSymbol("instruments", instrument);
      });
      const instruments = new Set(request.instruments);
      const accepts = (order: { strategyId: string | undefined; instrument: string }) =>
        (request.strategyId === "" || order.strategyId === request.strategyId) &&
        (instruments.size === 0 || instruments.has(order.instrument));
      const subscription = await mapErrors(() => desk.orderUpdates.subscribe("all", accepts));
      yield* streamOf(
        subscription,
        context,
        () => ({
          kind: BatchKind.SNAPSHOT as BatchKind,
          orders: desk.openOrders().filter(accepts).map(toOrderMessage),
        }),
        (orders) => ({ kind: BatchKind.UPDATE, orders: orders.map(toOrderMessage) }),
      );
    },

    async *streamPortfolioUpdates(request, context: HandlerContext) {
      const minIntervalMs = request.minIntervalMs ?? 1_000;
      if (minIntervalMs < 100 || minIntervalMs > 60_000) {
        throw new ConnectError(
          `min_interval_ms must be in [100, 60000] (got ${minIntervalMs})`,
          Code.InvalidArgument,
        );
      }
      const subscription = await mapErrors(() => desk.positionUpdates.subscribe());
      let last = 0;
      yield* streamOf(
        subscription,
        context,
        () => {
          last = Date.now();
          return {
            kind: BatchKind.SNAPSHOT as BatchKind,
            portfolio: toPortfolioMessage(desk.valuation()),
            positions: desk.positions({}).map(toPositionMessage),
          };
        },
        (changed) => {
          const marked = new Map(
            desk
              .positions({ includeFlat: true })
              .map((p) => [positionKey(p.strategyId, p.instrument), p]),
          );
          return {
            kind: BatchKind.UPDATE,
            portfolio: toPortfolioMessage(desk.valuation()),
            positions: changed
              .map((p) => marked.get(positionKey(p.strategyId, p.instrument)))
              .filter((p) => p !== undefined)
              .map(toPositionMessage),
          };
        },
        async () => {
          const wait = last + minIntervalMs - Date.now();
          if (wait > 0) await abortableDelay(wait, context.signal);
          last = Date.now();
        },
      );
    },
  });
}

/**
 * A server stream over a subscription: the snapshot first, then a message per batch; ends
 * cleanly when the client leaves or the server shuts down, and with ResourceExhausted when the
 * client was too slow and its subscription overflowed.
 */
async function* streamOf<T, M>(
  subscription: StreamSubscription<T>,
  context: HandlerContext,
  snapshot: () => M,
  update: (items: T[]) => M,
  pace?: () => Promise<void>,
): AsyncGenerator<M> {
  const onAbort = () => subscription.close();
  context.signal.addEventListener("abort", onAbort, { once: true });
  try {
    yield snapshot();
    for (;;) {
      if (pace !== undefined) await pace();
      const batch = await subscription.next();
      if (batch === undefined) {
        if (subscription.overflowed) {
          throw new ConnectError(
            "the stream fell too far behind the engine and was ended",
            Code.ResourceExhausted,
          );
        }
        return;
      }
      yield update(batch);
    }
  } finally {
    context.signal.removeEventListener("abort", onAbort);
    subscription.close();
  }
}
