import { describe, expect, it } from "vitest";
import {
  DYNAMICS_LIMITS,
  PriceProcess,
  SECONDS_PER_YEAR,
  type SymbolDynamics,
} from "./price-process.js";

const MINUTE = 60;
const DAY = 86_400;

const btc: SymbolDynamics = {
  symbol: "BTC-USD",
  initialPrice: 65_000,
  annualVolatility: 0.6,
  annualDrift: 0,
};
const eth: SymbolDynamics = {
  ...btc,
  symbol: "ETH-USD",
  initialPrice: 3_200,
  annualVolatility: 0.75,
};
const sol: SymbolDynamics = { ...btc, symbol: "SOL-USD", initialPrice: 150, annualVolatility: 0.9 };

function path(process: PriceProcess, steps: number, dtSeconds: number): number[][] {
  return Array.from({ length: steps }, () => process.step(dtSeconds));
}

function logReturns(series: readonly number[]): number[] {
  return series.slice(1).map((price, i) => Math.log(price / (series[i] as number)));
}

function std(values: readonly number[]): number {
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  return Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (values.length - 1));
}

function correlation(a: readonly number[], b: readonly number[]): number {
  const meanA = a.reduce((s, x) => s + x, 0) / a.length;
  const meanB = b.reduce((s, x) => s + x, 0) / b.length;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const da = (a[i] as number) - meanA;
    const db = (b[i] as number) - meanB;
    ab += da * db;
    aa += da * da;
    bb += db * db;
  }
  return ab / Math.sqrt(aa * bb);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

describe("PriceProcess", () => {
  it("is reproducible: the same seed repeats the path, another seed changes it", () => {
    const a = path(new PriceProcess([btc, eth], { seed: 42 }), 500, MINUTE);
    expect(path(new PriceProcess([btc, eth], { seed: 42 }), 500, MINUTE)).toEqual(a);
    expect(path(new PriceProcess([btc, eth], { seed: 43 }), 500, MINUTE)).not.toEqual(a);
  });

  it("leaves the other symbols' paths unchanged when a symbol is appended", () => {
    const correlationTwo = [
      [1, 0.7],
      [0.7, 1],
    ];
    const correlationThree = [
      [1, 0.7, 0.5],
      [0.7, 1, 0.6],
      [0.5, 0.6, 1],
    ];
    const two = path(
      new PriceProcess([btc, eth], { seed: 7, correlation: correlationTwo }),
      300,
      MINUTE,
    );
    const three = path(
      new PriceProcess([btc, eth, sol], { seed: 7, correlation: correlationThree }),
      300,
      MINUTE,
    );
    expect(three.map((prices) => prices.slice(0, 2))).toEqual(two);
  });

  it("realises the configured volatility and correlation of log returns", () => {
    const process = new PriceProcess([btc, eth], {
      seed: 1,
      correlation: [
        [1, 0.7],
        [0.7, 1],
      ],
    });
    const steps = 100_000;
    const prices = path(process, steps, MINUTE);
    const btcReturns = logReturns(prices.map((p) => p[0] as number));
    const ethReturns = logReturns(prices.map((p) => p[1] as number));
    const annualise = Math.sqrt(SECONDS_PER_YEAR / MINUTE);
    // The sample standard deviation's relative standard error is 1/sqrt(2n) ≈ 0.22 %: ±1.5 %
    // is about 7 standard errors.
    expect(std(btcReturns) * annualise).toBeGreaterThan(0.6 * 0.985);
    expect(std(btcReturns) * annualise).toBeLessThan(0.6 * 1.015);
    expect(std(ethReturns) * annualise).toBeGreaterThan(0.75 * 0.985);
    expect(std(ethReturns) * annualise).toBeLessThan(0.75 * 1.015);
    // The sample correlation's standard error is (1 − ρ²)/sqrt(n) ≈ 0.0016: ±0.01 is 6 SE.
    expect(Math.abs(correlation(btcReturns, ethReturns) - 0.7)).toBeLessThan(0.01);
  });

  it("has the Itô-corrected median: ln(S_T/S_0) centres on (μ − σ²/2)·T, not μ·T", () => {
    const dynamics: SymbolDynamics = { ...btc, annualDrift: 0.3, annualVolatility: 0.6 };
    const finals: number[] = [];
    for (let seed = 0; seed < 2_000; seed++) {
      const process = new PriceProcess([dynamics], { seed });
      for (let day = 0; day < 365; day++) process.step(DAY);
      finals.push(Math.log((process.prices()[0] as number) / dynamics.initialPrice));
    }
    // Expected 0.3 − 0.18 = 0.12; without the correction it would be 0.3. The median's standard
    // error is 1.2533·σ/sqrt(2000) ≈ 0.017: ±0.06 is 3.5 SE and far from 0.3.
    expect(Math.abs(median(finals) - 0.12)).toBeLessThan(0.06);
    // The mean of S_T/S_0 is e^{μT} ≈ 1.35 (looser: the mean of a lognormal is noisy).
    const meanGrowth = finals.reduce((s, x) => s + Math.exp(x), 0) / finals.length;
    expect(meanGrowth).toBeGreaterThan(1.25);
    expect(meanGrowth).toBeLessThan(1.45);
  });

  it("never reaches zero and never repeats a price exactly, even at extreme volatility", () => {
    const wild: SymbolDynamics = {
      ...sol,
      annualVolatility: 3,
      annualDrift: -2,
      jumps: { intensityPerYear: 5_000, meanLogSize: -0.05, logSizeVolatility: 0.1 },
    };
    const prices = path(new PriceProcess([wild], { seed: 3 }), 50_000, MINUTE).map(
      (p) => p[0] as number,
    );
    expect(prices.every((price) => price > 0 && Number.isFinite(price))).toBe(true);
    const repeats = prices.filter((price, i) => i > 0 && price === prices[i - 1]).length;
    expect(repeats).toBe(0);
  });

  it("jumps fatten the tails but, compensated, leave the mean return alone", () => {
    const jumpy: SymbolDynamics = {
      ...btc,
      annualVolatility: 0.3,
      jumps: { intensityPerYear: 2_000, meanLogSize: -0.01, logSizeVolatility: 0.02 },
    };
    const returns = (dynamics: SymbolDynamics) =>
      logReturns(
        path(new PriceProcess([dynamics], { seed: 11 }), 50_000, MINUTE).map((p) => p[0] as number),
      );
    const kurtosis = (values: number[]) => {
      const mean = values.reduce((s, x) => s + x, 0) / values.length;
      const m2 = values.reduce((s, x) => s + (x - mean) ** 2, 0) / values.length;
      const m4 = values.reduce((s, x) => s + (x - mean) ** 4, 0) / values.length;
      return m4 / (m2 * m2) - 3;
    };
    expect(Math.abs(kurtosis(returns({ ...btc, annualVolatility: 0.3 })))).toBeLessThan(0.2);
    expect(kurtosis(returns(jumpy))).toBeGreaterThan(2);
    // E[S_{t+dt}/S_t] = e^{μ dt} = 1 with μ = 0, jumps or not.
    const growth = returns(jumpy).reduce((s, r) => s + Math.exp(r), 0) / 49_999;
    expect(Math.abs(growth - 1)).toBeLessThan(2e-4);
  });

  it("mean reversion holds the price near its anchor; without it the price wanders", () => {
    const wander = (dynamics: SymbolDynamics) => {
      const process = new PriceProcess([dynamics], { seed: 5 });
      let worst = 0;
      for (let day = 0; day < 2 * 365; day++) {
        process.step(DAY);
        worst = Math.max(
          worst,
          Math.abs(Math.log((process.prices()[0] as number) / dynamics.initialPrice)),
        );
      }
      return worst;
    };
    const reverting = wander({ ...btc, meanReversion: { speedPerYear: 200 } });
    // Stationary sd of the log gap: σ/sqrt(2κ) = 0.6/20 = 0.03; 0.2 is far out in its tail.
    expect(reverting).toBeLessThan(0.2);
    expect(wander(btc)).toBeGreaterThan(2 * reverting);
  });

  it("switches between calm and turbulent regimes, and turbulence raises volatility", () => {
    const regime = {
      turbulentVolatilityMultiplier: 3,
      calmToTurbulentPerYear: 12,
      turbulentToCalmPerYear: 36,
    };
    const process = new PriceProcess([{ ...btc, regime }], { seed: 9 });
    const calmReturns: number[] = [];
    const turbulentReturns: number[] = [];
    let previous = process.prices()[0] as number;
    for (let i = 0; i < 200_000; i++) {
      const price = process.step(10 * MINUTE)[0] as number;
      (process.regimes()[0] === "calm" ? calmReturns : turbulentReturns).push(
        Math.log(price / previous),
      );
      previous = price;
    }
    // Stationary share of turbulence: 12 / (12 + 36) = 0.25.
    const share = turbulentReturns.length / 200_000;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.3);
    expect(std(turbulentReturns) / std(calmReturns)).toBeGreaterThan(2.7);
    expect(std(turbulentReturns) / std(calmReturns)).toBeLessThan(3.3);
  });

  it("applies an overlay (a scenario) to one symbol for the steps it is given", () => {
    const base = new PriceProcess([btc, eth], { seed: 2 });
    const rally = new PriceProcess([btc, eth], { seed: 2 });
    for (let i = 0; i < 1_000; i++) {
      base.step(MINUTE);
      rally.step(MINUTE, (index) => (index === 0 ? { driftShift: 500 } : undefined));
    }
    const [baseBtc, baseEth] = base.prices();
    const [rallyBtc, rallyEth] = rally.prices();
    // 1 000 minutes at +500/yr of drift: ln ratio ≈ 500 · 1000/525600 ≈ 0.95.
    expect(Math.log((rallyBtc as number) / (baseBtc as number))).toBeCloseTo(0.951, 2);
    expect(rallyEth).toBe(baseEth);
  });

  it("holds a price pushed onto a bound just inside it, still moving, never at zero", () => {
    // SOL-USD with a floor of 100 ticks of 0.01 and a ceiling far above, pushed down (then up)
    // far harder than any scenario may push: without bounds the log price would fall by 32 a
    // second and the price reach 0 within a minute.
    const bounded: SymbolDynamics = { ...sol, priceBounds: { min: 1, max: 1e6 } };
    const process = new PriceProcess([bounded], { seed: 8 });
    const down = Array.from(
      { length: 2_000 },
      () => process.step(1, () => ({ driftShift: -1e9 }))[0] as number,
    );
    expect(Math.min(...down)).toBeGreaterThanOrEqual(1);
    // Not bounced far back up: within a few diffusion steps (σ√dt ≈ 0.016 %) of the floor.
    expect(Math.max(...down.slice(10))).toBeLessThan(1.01);
    expect(new Set(down).size).toBeGreaterThan(1_900);
    const up = Array.from(
      { length: 2_000 },
      () => process.step(1, () => ({ driftShift: 1e9 }))[0] as number,
    );
    expect(Math.max(...up)).toBeLessThanOrEqual(1e6);
    expect(Math.min(...up.slice(10))).toBeGreaterThan(0.99e6);
    expect(new Set(up).size).toBeGreaterThan(1_900);
  });

  it("moves a path exactly as without bounds while it stays inside them", () => {
    const wide: SymbolDynamics = { ...btc, priceBounds: { min: 1, max: 1e10 } };
    expect(path(new PriceProcess([wide], { seed: 4 }), 5_000, MINUTE)).toEqual(
      path(new PriceProcess([btc], { seed: 4 }), 5_000, MINUTE),
    );
  });

  it("refuses dynamics beyond what the model can take", () => {
    const worst = DYNAMICS_LIMITS.maxAnnualVolatility;
    expect(
      () => new PriceProcess([{ ...btc, annualVolatility: worst + 0.1 }], { seed: 1 }),
    ).toThrow(/annualVolatility × regime.turbulentVolatilityMultiplier must be at most 5/);
    // The configuration of issue 19: σ 20 with a turbulent multiplier of 20.
    expect(
      () =>
        new PriceProcess(
          [
            {
              ...btc,
              annualVolatility: 20,
              regime: {
                turbulentVolatilityMultiplier: 20,
                calmToTurbulentPerYear: 5_000,
                turbulentToCalmPerYear: 52,
              },
            },
          ],
          { seed: 1 },
        ),
    ).toThrow(/at most 5 \(got 400\)/);
    expect(
      () =>
        new PriceProcess([{ ...btc, initialPrice: 0.5, priceBounds: { min: 1, max: 1e6 } }], {
          seed: 1,
        }),
    ).toThrow(/initialPrice must be within \[1, 1000000\]/);
    expect(() => new PriceProcess([{ ...btc, annualDrift: 21 }], { seed: 1 })).toThrow(
      /annualDrift/,
    );
  });

  it("refuses invalid dynamics with a message naming the symbol and field", () => {
    expect(() => new PriceProcess([{ ...btc, initialPrice: 0 }], { seed: 1 })).toThrow(
      /BTC-USD: initialPrice/,
    );
    expect(() => new PriceProcess([{ ...btc, annualVolatility: -1 }], { seed: 1 })).toThrow(
      /annualVolatility/,
    );
    expect(() => new PriceProcess([btc, btc], { seed: 1 })).toThrow(/twice/);
    expect(() => new PriceProcess([btc, eth], { seed: 1, correlation: [[1]] })).toThrow(
      /1 rows for 2/,
    );
    expect(() => new PriceProcess([btc], { seed: 1 }).step(0)).toThrow(/positive/);
  });
});
