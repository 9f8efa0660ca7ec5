/**
 * How often every implementation's runtime metrics sample the event loop delay, in ms. The
 * libraries' default (10 ms) wakes an idle process 100 times a second, which cost the simulator
 * ~4 ms of CPU per second — 3 % of its CPU with 100 streams (tools/bench metrics-overhead);
 * every 100 ms still catches any stall that long.
 */
export const EVENT_LOOP_SAMPLING_MS = 100;
