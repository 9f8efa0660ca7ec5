import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";

/**
 * A reproducible random stream: uniform and standard normal draws from a seeded
 * xoroshiro128+ generator (pure-rand). Every symbol gets its own stream, named by
 * {@link streamSeed}, so adding a symbol never shifts another symbol's draws.
 */
export class SeededRandom {
  readonly #generator: RandomGenerator;
  #spareNormal: number | undefined;

  constructor(seed: number) {
    this.#generator = xoroshiro128plus(seed | 0);
  }

  /** Uniform in [0, 1), 53 random bits. */
  uniform(): number {
    return uniformFloat64(this.#generator);
  }

  /** Uniform in (0, 1]: safe under a logarithm. */
  uniformPositive(): number {
    return 1 - this.uniform();
  }

  /** Standard normal N(0, 1) (Marsaglia's polar method; the second value of a pair is kept). */
  normal(): number {
    const spare = this.#spareNormal;
    if (spare !== undefined) {
      this.#spareNormal = undefined;
      return spare;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const factor = Math.sqrt((-2 * Math.log(s)) / s);
        this.#spareNormal = v * factor;
        return u * factor;
      }
    }
  }

  /** Log-normal with the given parameters of the underlying normal. */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }
}

/**
 * The 32-bit seed of the stream `name` under the run seed `seed` (FNV-1a over both), stable
 * across processes and versions: `SIMULATION_SEED=42` gives every symbol the same series on
 * every run and machine.
 */
export function streamSeed(seed: number, name: string): number {
  let hash = 0x811c9dc5;
  const text = `${seed}:${name}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}
