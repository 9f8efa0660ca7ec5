import { MarketDataService as LegacyMarketDataService } from "@tse/proto/marketdata/market_data_pb";
import { MarketDataService } from "@tse/proto/marketdata/v1/market_data_pb";
import { type ServiceAccess, serviceAccess } from "@tse/service-kit";

/**
 * Which of the simulator's RPCs change state (and need a bearer token once `AUTH_TOKENS` is
 * set): starting and stopping scenarios on the live feed. Everything else reads — the
 * streams, simulations and scenario previews included, which compute on private paths and
 * leave the live market alone. A method added to either proto fails the build until it is
 * classified here.
 */
export const simulatorRpcAccess: readonly ServiceAccess[] = [
  serviceAccess(MarketDataService, {
    listSymbols: "read",
    getQuote: "read",
    streamPrices: "read",
    getCandles: "read",
    streamCandles: "read",
    getOrderBook: "read",
    getRecentTrades: "read",
    getMarketSnapshot: "read",
    generateSimulation: "read",
    startScenario: "write",
    stopScenario: "write",
    listScenarios: "read",
    streamScenarioPreview: "read",
  }),
  serviceAccess(LegacyMarketDataService, {
    getPrice: "read",
    streamPrices: "read",
    generateSimulation: "read",
    streamScenario: "read",
    healthCheck: "read",
  }),
];
