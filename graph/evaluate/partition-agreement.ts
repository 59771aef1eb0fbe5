// Agreement between two partitions of the same items: normalised mutual information (arithmetic-mean
// normalisation, as scikit-learn's default) and the adjusted Rand index (Hubert & Arabie 1985).

function contingency(a: readonly string[], b: readonly string[]) {
  if (a.length !== b.length) throw new Error(`partitions differ in length: ${a.length} vs ${b.length}`);
  const cells = new Map<string, number>();
  const rows = new Map<string, number>();
  const cols = new Map<string, number>();
  for (let i = 0; i < a.length; i++) {
    const key = `${a[i]}\u0000${b[i]}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
    rows.set(a[i]!, (rows.get(a[i]!) ?? 0) + 1);
    cols.set(b[i]!, (cols.get(b[i]!) ?? 0) + 1);
  }
  return { cells: [...cells.values()], rows: [...rows.values()], cols: [...cols.values()], n: a.length };
}

const choose2 = (x: number) => (x * (x - 1)) / 2;

/** Adjusted Rand index: 1 for identical partitions, about 0 for chance agreement. */
export function adjustedRandIndex(a: readonly string[], b: readonly string[]): number {
  const { cells, rows, cols, n } = contingency(a, b);
  if (n < 2) return 1;
  const index = cells.reduce((s, c) => s + choose2(c), 0);
  const sumRows = rows.reduce((s, c) => s + choose2(c), 0);
  const sumCols = cols.reduce((s, c) => s + choose2(c), 0);
  const expected = (sumRows * sumCols) / choose2(n);
  const max = (sumRows + sumCols) / 2;
  if (max === expected) return 1; // both partitions trivial (all singletons or one block)
  return (index - expected) / (max - expected);
}

function entropy(counts: number[], n: number): number {
  return -counts.reduce((s, c) => (c > 0 ? s + (c / n) * Math.log(c / n) : s), 0);
}

/** Normalised mutual information, MI / mean(H(a), H(b)); 1 for identical partitions. */
export function normalisedMutualInformation(a: readonly string[], b: readonly string[]): number {
  const n = a.length;
  if (n === 0) return 1;
  const rowOf = new Map<string, number>();
  const colOf = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    rowOf.set(a[i]!, (rowOf.get(a[i]!) ?? 0) + 1);
    colOf.set(b[i]!, (colOf.get(b[i]!) ?? 0) + 1);
  }
  const joint = new Map<string, { c: number; r: number; k: number }>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]}\u0000${b[i]}`;
    const cell = joint.get(key);
    if (cell) cell.c++;
    else joint.set(key, { c: 1, r: rowOf.get(a[i]!)!, k: colOf.get(b[i]!)! });
  }
  let mi = 0;
  for (const { c, r, k } of joint.values()) mi += (c / n) * Math.log((c * n) / (r * k));
  const ha = entropy([...rowOf.values()], n);
  const hb = entropy([...colOf.values()], n);
  if (ha === 0 && hb === 0) return 1;
  return mi / ((ha + hb) / 2);
}
