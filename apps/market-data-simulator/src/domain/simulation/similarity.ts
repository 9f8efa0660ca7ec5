/** How alike two price series are, each figure in [0, 1] except the correlation in [-1, 1]. */
export interface SimilarityMetrics {
  /** Pearson correlation of the two series' log returns, over their common length. */
  readonly correlationCoefficient: number;
  /** min(σ₁, σ₂) / max(σ₁, σ₂) of the log returns: 1 for equal volatility. */
  readonly volatilitySimilarity: number;
  /** 1 − the two-sample Kolmogorov–Smirnov distance between the return distributions. */
  readonly returnDistributionSimilarity: number;
  /** Share of windows (a tenth of the series each) whose price moved the same way in both. */
  readonly trendSimilarity: number;
  /** The four figures combined: 0.25 each, the correlation taken as max(0, ρ). */
  readonly confidenceScore: number;
}

/** Log returns of a price series (every price > 0). */
export function logReturns(prices: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < prices.length; i++)
    out.push(Math.log((prices[i] as number) / (prices[i - 1] as number)));
  return out;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Sample standard deviation (0 for fewer than two values). */
export function standardDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((sum, value) => sum + (value - m) ** 2, 0) / (values.length - 1));
}

/** Pearson correlation; 0 when either side is constant. */
export function pearson(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  if (n < 2) return 0;
  const x = a.slice(0, n);
  const y = b.slice(0, n);
  const mx = mean(x);
  const my = mean(y);
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    xy += dx * dy;
    xx += dx * dx;
    yy += dy * dy;
  }
  return xx === 0 || yy === 0 ? 0 : xy / Math.sqrt(xx * yy);
}

/** The two-sample Kolmogorov–Smirnov statistic: the largest gap between the empirical CDFs. */
export function kolmogorovSmirnov(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) return 1;
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let distance = 0;
  while (i < x.length && j < y.length) {
    const value = Math.min(x[i] as number, y[j] as number);
    while (i < x.length && (x[i] as number) <= value) i++;
    while (j < y.length && (y[j] as number) <= value) j++;
    distance = Math.max(distance, Math.abs(i / x.length - j / y.length));
  }
  return distance;
}

/** Share of ten equal windows in which both series moved the same way (up, down or flat). */
export function trendAgreement(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  const windows = Math.min(10, n - 1);
  if (windows < 1) return 0;
  let agree = 0;
  for (let w = 0; w < windows; w++) {
    const start = Math.floor((w * (n - 1)) / windows);
    const end = Math.floor(((w + 1) * (n - 1)) / windows);
    const da = Math.sign((a[end] as number) - (a[start] as number));
    const db = Math.sign((b[end] as number) - (b[start] as number));
    if (da === db) agree++;
  }
  return agree / windows;
}

/**
 * Computes every figure of {@link SimilarityMetrics} from the two price series (each at least
 * three prices > 0). A series against itself scores 1 on every figure.
 */
export function similarity(
  historical: readonly number[],
  simulated: readonly number[],
): SimilarityMetrics {
  if (historical.length < 3 || simulated.length < 3) {
    throw new RangeError("similarity needs at least three prices in each series");
  }
  const a = logReturns(historical);
  const b = logReturns(simulated);
  const correlationCoefficient = pearson(a, b);
  const sa = standardDeviation(a);
  const sb = standardDeviation(b);
  const volatilitySimilarity = sa === sb ? 1 : Math.min(sa, sb) / Math.max(sa, sb);
  const returnDistributionSimilarity = 1 - kolmogorovSmirnov(a, b);
  const trendSimilarity = trendAgreement(historical, simulated);
  const confidenceScore =
    0.25 * Math.max(0, correlationCoefficient) +
    0.25 * volatilitySimilarity +
    0.25 * returnDistributionSimilarity +
    0.25 * trendSimilarity;
  return {
    correlationCoefficient,
    volatilitySimilarity,
    returnDistributionSimilarity,
    trendSimilarity,
    confidenceScore,
  };
}
