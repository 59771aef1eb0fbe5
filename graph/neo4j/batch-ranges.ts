// Splits `total` rows into consecutive 1-based inclusive ranges of at most `size` rows, the unit of
// one Neo4j transaction. Pure; 0 rows give no ranges.

export interface BatchRange {
  /** First row number in the batch (1-based, inclusive). */
  from: number;
  /** Last row number in the batch (inclusive). */
  to: number;
}

export function batchRanges(total: number, size: number): BatchRange[] {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`batchRanges: total must be a whole number >= 0, got ${total}`);
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batchRanges: size must be a whole number >= 1, got ${size}`);
  const out: BatchRange[] = [];
  for (let from = 1; from <= total; from += size) out.push({ from, to: Math.min(total, from + size - 1) });
  return out;
}
