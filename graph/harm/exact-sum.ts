// Harm values are stored on a binary grid (multiples of 2^-20 of a day / point) so that adding them is
// exact in any order: a score is the sum of its explanation rows, to the last bit, in TS and in DuckDB.

/** Grid for a record's decayed (outcome-free) harm: 2^-16. */
export const DECAYED_GRID_BITS = 16;
/** Grid for a contribution (decayed × outcome factor): 2^-20. Halving a 2^-16 value stays on it. */
export const CONTRIBUTION_GRID_BITS = 20;

/** Rounds a non-negative value to the nearest multiple of 2^-bits (halves round up, as DuckDB round). */
export function onGrid(x: number, bits: number): number {
  const scale = 2 ** bits;
  return Math.round(x * scale) / scale;
}

/**
 * Sums grid values. Exact while every partial sum stays below 2^(53 - bits) (2^33 ≈ 8.6e9 days at
 * 2^-20), far above any force's total harm; throws rather than silently losing bits beyond that.
 */
export function exactSum(values: Iterable<number>, bits = CONTRIBUTION_GRID_BITS): number {
  let s = 0;
  for (const v of values) s += v;
  if (Math.abs(s) >= 2 ** (53 - bits)) throw new RangeError(`exactSum: total ${s} exceeds the exact range of the 2^-${bits} grid`);
  return s;
}
