/**
 * The lower-triangular Cholesky factor L of a correlation matrix (L·Lᵀ = matrix), used to turn
 * independent standard normals z into correlated shocks L·z.
 *
 * Throws a `RangeError` naming the problem when the matrix is not square, not symmetric, has a
 * diagonal other than 1, an entry outside [-1, 1], or is not positive definite (e.g. ρ(A,B) = ρ(B,C)
 * = 0.9 but ρ(A,C) = -0.9, which no three series can have).
 */
export function choleskyFactor(matrix: readonly (readonly number[])[]): number[][] {
  const n = matrix.length;
  for (let i = 0; i < n; i++) {
    const row = matrix[i] as readonly number[];
    if (row.length !== n)
      throw new RangeError(`correlation row ${i} has ${row.length} entries, expected ${n}`);
    if (Math.abs((row[i] as number) - 1) > 1e-9)
      throw new RangeError(`correlation[${i}][${i}] must be 1`);
    for (let j = 0; j < n; j++) {
      const value = row[j] as number;
      if (!Number.isFinite(value) || value < -1 || value > 1) {
        throw new RangeError(`correlation[${i}][${j}] must be within [-1, 1] (got ${value})`);
      }
      if (Math.abs(value - (matrix[j]?.[i] as number)) > 1e-9) {
        throw new RangeError(`correlation must be symmetric: [${i}][${j}] ≠ [${j}][${i}]`);
      }
    }
  }
  const lower = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const li = lower[i] as number[];
    for (let j = 0; j <= i; j++) {
      const lj = lower[j] as number[];
      let sum = (matrix[i] as readonly number[])[j] as number;
      for (let k = 0; k < j; k++) sum -= (li[k] as number) * (lj[k] as number);
      if (i === j) {
        if (sum <= 1e-12) {
          throw new RangeError(`the correlation matrix is not positive definite (at symbol ${i})`);
        }
        li[i] = Math.sqrt(sum);
      } else {
        li[j] = sum / (lj[j] as number);
      }
    }
  }
  return lower;
}
