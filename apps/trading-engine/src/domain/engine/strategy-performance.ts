/** Figures of one strategy since it was created (in this process for the counts). */
export interface StrategyPerformance {
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly totalPnl: number;
  readonly feesPaid: number;
  readonly orderCount: number;
  readonly fillCount: number;
  readonly tradedNotional: number;
  readonly openOrderCount: number;
}
