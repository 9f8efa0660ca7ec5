import { Code, ConnectError } from "@connectrpc/connect";
import { HistoryUnavailableError } from "../../application/candle-history.js";
import {
  type SimulationRequest,
  SimulationRequestError,
  type SimulationResult,
  type SimulationService,
} from "../../application/generate-simulation.js";

const CODES = { invalid: Code.InvalidArgument, not_found: Code.NotFound } as const;

/** Runs a simulation for an RPC, turning a refused request into a ConnectError with its code. */
export async function runSimulation(
  service: SimulationService,
  request: SimulationRequest,
): Promise<SimulationResult> {
  try {
    return await service.generate(request);
  } catch (error) {
    if (error instanceof SimulationRequestError)
      throw new ConnectError(error.message, CODES[error.kind]);
    throw unavailableOnHistoryError(error);
  }
}

/** A {@link HistoryUnavailableError} as `Unavailable` (retry later); anything else as it is. */
export function unavailableOnHistoryError(error: unknown): unknown {
  return error instanceof HistoryUnavailableError
    ? new ConnectError(error.message, Code.Unavailable)
    : error;
}
