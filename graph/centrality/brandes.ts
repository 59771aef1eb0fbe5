// Exact betweenness and closeness on a CSR graph: Brandes (2001), "A faster algorithm for betweenness
// centrality", J. Math. Sociol. 25(2). Unweighted (hop-count) shortest paths; typed arrays throughout.

import type { Csr } from '../csr/csr.ts';

export interface BrandesResult {
  /** Σ over ordered source/target pairs (s ≠ v ≠ t) of σ_st(v)/σ_st — each undirected pair counted twice, as graphology does. */
  dependency: Float64Array;
  /** Nodes reachable from each node (excluding itself) and the sum of their distances (by symmetry: Σ over sources reaching it). */
  reached: Float64Array;
  distanceSum: Float64Array;
}

export interface BrandesOptions {
  /**
   * Weight of each node as a source; 0 skips it. All 1 (the default) is exact Brandes. Pivot sampling
   * (Brandes & Pich 2007) gives k chosen sources of a group of N the weight N/k: an unbiased estimate.
   */
  sourceWeight?: Float64Array;
}

/**
 * One BFS per source; the shortest-path DAG is kept as two flat arc arrays written in discovery order, so
 * the back-propagation reads them sequentially instead of chasing per-node predecessor lists. Only nodes a BFS touched are reset, so running on a graph
 * of many small components costs Σ n_c·m_c, not n·m.
 */
export function brandes(csr: Csr, options: BrandesOptions = {}): BrandesResult {
  const { offsets, targets } = csr;
  const n = csr.nodes.length;
  const dist = new Int32Array(n).fill(-1);
  const sigma = new Float64Array(n);
  const delta = new Float64Array(n);
  const order = new Int32Array(n);
  // Shortest-path DAG arcs (v → w, dist[w] = dist[v] + 1) in discovery order, written sequentially.
  const arcFrom = new Int32Array(targets.length);
  const arcTo = new Int32Array(targets.length);
  const dependency = new Float64Array(n);
  const reached = new Float64Array(n);
  const distanceSum = new Float64Array(n);
  const sourceWeight = options.sourceWeight;

  for (let s = 0; s < n; s++) {
    if (offsets[s + 1] === offsets[s]) continue;
    const weight = sourceWeight ? sourceWeight[s]! : 1;
    if (weight === 0) continue;
    let head = 0;
    let tail = 0;
    let arcs = 0;
    order[tail++] = s;
    dist[s] = 0;
    sigma[s] = 1;
    while (head < tail) {
      const v = order[head++]!;
      const dv = dist[v]!;
      const next = dv + 1;
      const sv = sigma[v]!;
      distanceSum[v]! += weight * dv;
      reached[v]! += weight;
      for (let j = offsets[v]!, end = offsets[v + 1]!; j < end; j++) {
        const w = targets[j]!;
        let dw = dist[w]!;
        if (dw < 0) {
          dist[w] = dw = next;
          order[tail++] = w;
        }
        if (dw === next) {
          sigma[w]! += sv;
          arcFrom[arcs] = v;
          arcTo[arcs++] = w;
        }
      }
    }
    reached[s]! -= weight;
    // Back-propagation over the DAG arcs in reverse discovery order: every arc out of w was discovered after
    // every arc into w (w is expanded after its predecessors), so delta[w] is complete before it is used.
    while (arcs > 0) {
      arcs--;
      const v = arcFrom[arcs]!;
      const w = arcTo[arcs]!;
      delta[v]! += (sigma[v]! / sigma[w]!) * (1 + delta[w]!);
    }
    for (let k = 1; k < tail; k++) {
      const v = order[k]!;
      dependency[v]! += weight * delta[v]!;
    }
    for (let k = 0; k < tail; k++) {
      const v = order[k]!;
      dist[v] = -1;
      sigma[v] = 0;
      delta[v] = 0;
    }
  }
  return { dependency, reached, distanceSum };
}

/** Normalised like graphology-metrics: dependency / ((N−1)(N−2)), N = nodes in the graph (or in the node's group). */
export function normaliseBetweenness(dependency: Float64Array, groupSize: (node: number) => number): Float64Array {
  const out = new Float64Array(dependency.length);
  for (let i = 0; i < dependency.length; i++) {
    const N = groupSize(i);
    out[i] = N <= 2 ? dependency[i]! : dependency[i]! / ((N - 1) * (N - 2));
  }
  return out;
}

/** graphology-metrics' closeness (not Wasserman–Faust): reachable / Σ distances, 0 when nothing is reachable. */
export function closenessFrom(result: BrandesResult): Float64Array {
  const out = new Float64Array(result.reached.length);
  for (let i = 0; i < out.length; i++) out[i] = result.distanceSum[i]! > 0 ? result.reached[i]! / result.distanceSum[i]! : 0;
  return out;
}

/** Exact whole-graph betweenness, normalised as graphology's `betweenness(graph, { getEdgeWeight: null })`. */
export function betweennessCentrality(csr: Csr): Float64Array {
  const n = csr.nodes.length;
  return normaliseBetweenness(brandes(csr).dependency, () => n);
}
