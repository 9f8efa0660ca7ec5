import type { DescFile } from "@bufbuild/protobuf";
import { file_grpc_health_v1_health } from "./gen/grpc/health/v1/health_pb.js";
import { file_grpc_reflection_v1_reflection } from "./gen/grpc/reflection/v1/reflection_pb.js";
import { file_grpc_reflection_v1alpha_reflection } from "./gen/grpc/reflection/v1alpha/reflection_pb.js";
import { file_marketdata_market_data } from "./gen/marketdata/market_data_pb.js";
import { file_marketdata_v1_market_data } from "./gen/marketdata/v1/market_data_pb.js";
import { file_trading_v1_risk } from "./gen/trading/v1/risk_pb.js";
import { file_trading_v1_trading } from "./gen/trading/v1/trading_pb.js";

/**
 * Every file descriptor generated from `protobuf-schemas/` (one per `.proto`), in a stable
 * order: our versioned APIs, the legacy contract, then the third-party gRPC protocols.
 *
 * Contract:
 * - It holds each generated file exactly once; a test fails when a `.proto` is added without
 *   being listed here.
 * - Imported well-known types (e.g. `google/protobuf/timestamp.proto`) are not listed; they
 *   are reachable through each file's `dependencies`, so a consumer that needs every file (the
 *   server-reflection service) walks those.
 *
 * Messages, enums and services are not re-exported from this entry point, because names repeat
 * across packages (`marketdata.MarketDataService` and `marketdata.v1.MarketDataService`);
 * import them from their file's subpath, e.g. `@tse/proto/marketdata/v1/market_data_pb`.
 */
export const allFiles: readonly DescFile[] = Object.freeze([
  file_marketdata_v1_market_data,
  file_trading_v1_trading,
  file_trading_v1_risk,
  file_marketdata_market_data,
  file_grpc_health_v1_health,
  file_grpc_reflection_v1_reflection,
  file_grpc_reflection_v1alpha_reflection,
]);
