// Connected components of an undirected graph on nodes 0..n-1 by union-find (union by size, path
// halving; Tarjan 1975). Used for network harm until communities land: one network per component.

/** Returns, for every node, the smallest node index in its component (a deterministic label). */
export function connectedComponents(n: number, a: ArrayLike<number>, b: ArrayLike<number>): Int32Array {
  const parent = new Int32Array(n);
  const size = new Int32Array(n).fill(1);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (let e = 0; e < a.length; e++) {
    let ra = find(a[e]!);
    let rb = find(b[e]!);
    if (ra === rb) continue;
    if (size[ra]! < size[rb]!) [ra, rb] = [rb, ra];
    parent[rb] = ra;
    size[ra]! += size[rb]!;
  }
  const smallest = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (smallest[r] === -1) smallest[r] = i; // i ascends, so the first seen is the smallest
  }
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) label[i] = smallest[find(i)]!;
  return label;
}

/**
 * Network ids for components of at least `minSize` nodes: `CC0001`, `CC0002`, … ordered by size
 * (largest first), then by smallest node index. Nodes in smaller components get null.
 */
export function componentIds(label: Int32Array, minSize: number): (string | null)[] {
  const count = new Map<number, number>();
  for (const l of label) count.set(l, (count.get(l) ?? 0) + 1);
  const kept = [...count.entries()].filter(([, c]) => c >= minSize).sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  const width = Math.max(4, String(kept.length).length);
  const idOf = new Map(kept.map(([l], i) => [l, `CC${String(i + 1).padStart(width, '0')}`]));
  return Array.from(label, (l) => idOf.get(l) ?? null);
}
