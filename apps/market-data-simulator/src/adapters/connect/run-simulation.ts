import { Code, ConnectError } from "@connectrpc/connect";
import {
  type SimulationRequest,
  SimulationRequestError,
  type SimulationResult,
  type SimulationService,
} from "../../application/generate-simulation.js";

const CODES = {
  invalid: Code.InvalidArgument,
  not_found: Code.NotFound,
  no_history: Code.FailedPrecondition,
} as const;

/** Runs a simulation for an RPC, turning a refused request into a ConnectError with its code. */
export function runSimulation(
  service: SimulationService,
  request: SimulationRequest,
): SimulationResult {
  try {
    return service.generate(request);
  } catch (error) {
    if (error instanceof SimulationRequestError)
      throw new ConnectError(error.message, CODES[error.kind]);
    throw error;
  }
}
