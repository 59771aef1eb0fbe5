// Compressed sparse row (CSR) form of an undirected, weighted graph over string node ids.
// Node ids are kept exactly as given, in stable sorted (code-unit) order; parallel edges are merged by summing weights, self-loops dropped.

import { HarmnetError } from '../../pipelines/core/errors.ts';

/** An undirected graph: neighbours of node i are targets[offsets[i] .. offsets[i+1]), each edge stored both ways. */
export interface Csr {
  readonly nodes: readonly string[];
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly weights: Float64Array;
  /** Per arc, when the edges came with `lastSeen`: the latest (maximum) of the merged edges' values. */
  readonly lastSeen?: Int32Array;
}

export interface EdgeColumns {
  source: readonly string[];
  target: readonly string[];
  /** Defaults to 1 for every edge. */
  weight?: ArrayLike<number>;
  /** Optional whole-number attribute per edge (e.g. day of the latest evidence); parallel edges keep the maximum. */
  lastSeen?: ArrayLike<number>;
}

/** Extra isolated nodes (e.g. nominals without links) may be passed in `nodes`. */
export function csrFromEdges(edges: EdgeColumns, options: { nodes?: readonly string[] } = {}): Csr {
  const { source, target, weight, lastSeen } = edges;
  if (source.length !== target.length || (weight && weight.length !== source.length) || (lastSeen && lastSeen.length !== source.length)) {
    throw new HarmnetError('INPUT_INVALID', `edge columns differ in length: ${source.length} sources, ${target.length} targets`);
  }
  const idSet = new Set<string>(options.nodes ?? []);
  for (let e = 0; e < source.length; e++) {
    idSet.add(source[e]!);
    idSet.add(target[e]!);
  }
  const nodes = [...idSet].sort(compareIds);
  const index = new Map<string, number>();
  for (let i = 0; i < nodes.length; i++) index.set(nodes[i]!, i);

  // Canonical (lo, hi) pairs, sorted, merged.
  const m = source.length;
  const lo = new Int32Array(m);
  const hi = new Int32Array(m);
  const w = new Float64Array(m);
  const ls = lastSeen ? new Int32Array(m) : null;
  let k = 0;
  for (let e = 0; e < m; e++) {
    const a = index.get(source[e]!)!;
    const b = index.get(target[e]!)!;
    if (a === b) continue;
    const we = weight ? Number(weight[e]) : 1;
    if (!Number.isFinite(we) || we <= 0) {
      throw new HarmnetError('INPUT_INVALID', `edge ${e + 1} (${source[e]} – ${target[e]}): weight must be a positive number, got ${weight![e]}`);
    }
    lo[k] = a < b ? a : b;
    hi[k] = a < b ? b : a;
    w[k] = we;
    if (ls) ls[k] = Number(lastSeen![e]);
    k++;
  }
  const order = new Int32Array(k);
  for (let i = 0; i < k; i++) order[i] = i;
  order.sort((x, y) => lo[x]! - lo[y]! || hi[x]! - hi[y]!);

  const n = nodes.length;
  const degree = new Int32Array(n);
  const uLo: number[] = [];
  const uHi: number[] = [];
  const uW: number[] = [];
  const uLs: number[] = [];
  for (let i = 0; i < k; i++) {
    const e = order[i]!;
    const last = uLo.length - 1;
    if (last >= 0 && uLo[last] === lo[e] && uHi[last] === hi[e]) {
      uW[last]! += w[e]!;
      if (ls && ls[e]! > uLs[last]!) uLs[last] = ls[e]!;
      continue;
    }
    uLo.push(lo[e]!);
    uHi.push(hi[e]!);
    uW.push(w[e]!);
    if (ls) uLs.push(ls[e]!);
    degree[lo[e]!]!++;
    degree[hi[e]!]!++;
  }
  return assemble(nodes, degree, uLo, uHi, uW, ls ? uLs : null);
}

function assemble(nodes: readonly string[], degree: Int32Array, lo: ArrayLike<number>, hi: ArrayLike<number>, w: ArrayLike<number>, ls: ArrayLike<number> | null): Csr {
  const n = nodes.length;
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + degree[i]!;
  const cursor = offsets.slice(0, n);
  const targets = new Int32Array(offsets[n]!);
  const weights = new Float64Array(offsets[n]!);
  const lastSeen = ls ? new Int32Array(offsets[n]!) : undefined;
  // Pairs arrive sorted by (lo, hi), so each node's neighbour list ends up sorted ascending.
  for (let e = 0; e < lo.length; e++) {
    const a = lo[e]!;
    const b = hi[e]!;
    if (lastSeen) lastSeen[cursor[a]!] = ls![e]!;
    targets[cursor[a]!] = b;
    weights[cursor[a]!++] = w[e]!;
  }
  for (let e = 0; e < lo.length; e++) {
    const a = lo[e]!;
    const b = hi[e]!;
    if (lastSeen) lastSeen[cursor[b]!] = ls![e]!;
    targets[cursor[b]!] = a;
    weights[cursor[b]!++] = w[e]!;
  }
  for (let i = 0; i < n; i++) sortSegment(targets, weights, lastSeen, offsets[i]!, offsets[i + 1]!);
  return lastSeen ? { nodes, offsets, targets, weights, lastSeen } : { nodes, offsets, targets, weights };
}

function sortSegment(t: Int32Array, w: Float64Array, ls: Int32Array | undefined, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const tv = t[i]!;
    const wv = w[i]!;
    const lv = ls ? ls[i]! : 0;
    let j = i - 1;
    while (j >= from && t[j]! > tv) {
      t[j + 1] = t[j]!;
      w[j + 1] = w[j]!;
      if (ls) ls[j + 1] = ls[j]!;
      j--;
    }
    t[j + 1] = tv;
    w[j + 1] = wv;
    if (ls) ls[j + 1] = lv;
  }
}

/** Code-unit order, the same on every machine and locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Keeps the same node indexing but only the edges whose endpoints share a group (e.g. a community). */
export function csrWithinGroups(csr: Csr, group: Int32Array): Csr {
  const n = csr.nodes.length;
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let d = 0;
    for (let j = csr.offsets[i]!; j < csr.offsets[i + 1]!; j++) if (group[csr.targets[j]!] === group[i]) d++;
    offsets[i + 1] = offsets[i]! + d;
  }
  const targets = new Int32Array(offsets[n]!);
  const weights = new Float64Array(offsets[n]!);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = csr.offsets[i]!; j < csr.offsets[i + 1]!; j++) {
      if (group[csr.targets[j]!] !== group[i]) continue;
      targets[k] = csr.targets[j]!;
      weights[k++] = csr.weights[j]!;
    }
  }
  return { nodes: csr.nodes, offsets, targets, weights };
}

/** Connected components: component index per node, numbered in order of their smallest node. */
export function connectedComponents(csr: Csr): { component: Int32Array; count: number } {
  const n = csr.nodes.length;
  const component = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (component[s] !== -1) continue;
    let top = 0;
    stack[top++] = s;
    component[s] = count;
    while (top > 0) {
      const v = stack[--top]!;
      for (let j = csr.offsets[v]!; j < csr.offsets[v + 1]!; j++) {
        const u = csr.targets[j]!;
        if (component[u] === -1) {
          component[u] = count;
          stack[top++] = u;
        }
      }
    }
    count++;
  }
  return { component, count };
}

/** Members of each group, each list ascending: groups[g] = node indices. */
export function groupMembers(group: Int32Array, count: number): Int32Array[] {
  const sizes = new Int32Array(count);
  for (let i = 0; i < group.length; i++) if (group[i]! >= 0) sizes[group[i]!]!++;
  const out = Array.from({ length: count }, (_, g) => new Int32Array(sizes[g]!));
  sizes.fill(0);
  for (let i = 0; i < group.length; i++) {
    const g = group[i]!;
    if (g >= 0) out[g]![sizes[g]!++] = i;
  }
  return out;
}
