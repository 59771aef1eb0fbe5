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
 * One BFS per source; the shortest-path DAG is kept as one flat array of arc heads written in discovery order, with each
 * node's outgoing arcs contiguous (indexed by its BFS position), so the back-propagation reads it sequentially instead of
 * chasing per-node predecessor lists. Back-propagation per node, in reverse BFS order: δ(v) = σ(v) · Σ_w (1 + δ(w)) / σ(w)
 * over DAG successors w, with (1 + δ(w)) / σ(w) stored once per node — one division per node, not per arc. Only nodes a
 * BFS touched are reset, so running on a graph of many small components costs Σ n_c·m_c, not n·m.
 */
export function brandes(csr: Csr, options: BrandesOptions = {}): BrandesResult {
  const { offsets, targets } = csr;
  const n = csr.nodes.length;
  const dist = new Int32Array(n).fill(-1);
  const sigma = new Float64Array(n);
  // (1 + δ(w)) / σ(w) of each node, written when w is back-propagated (before any predecessor reads it).
  const coef = new Float64Array(n);
  const order = new Int32Array(n);
  // Shortest-path DAG arcs (v → w, dist[w] = dist[v] + 1) by BFS position of v: heads arcTo[arcStart[k] .. arcStart[k+1]).
  const arcTo = new Int32Array(targets.length);
  const arcStart = new Int32Array(n + 1);
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
    let sumDist = 0;
    order[tail++] = s;
    dist[s] = 0;
    sigma[s] = 1;
    while (head < tail) {
      const v = order[head]!;
      arcStart[head++] = arcs;
      const dv = dist[v]!;
      const next = dv + 1;
      const sv = sigma[v]!;
      sumDist += dv;
      if (sourceWeight) {
        distanceSum[v]! += weight * dv;
        reached[v]! += weight;
      }
      for (let j = offsets[v]!, end = offsets[v + 1]!; j < end; j++) {
        const w = targets[j]!;
        const dw = dist[w]!;
        if (dw < 0) {
          dist[w] = next;
          order[tail++] = w;
          sigma[w] = sv;
          arcTo[arcs++] = w;
        } else if (dw === next) {
          sigma[w]! += sv;
          arcTo[arcs++] = w;
        }
      }
    }
    arcStart[tail] = arcs;
    // Exact (every source weight 1): by symmetry the sums over sources reaching s equal s's own BFS sums.
    if (sourceWeight) reached[s]! -= weight;
    else {
      reached[s] = tail - 1;
      distanceSum[s] = sumDist;
    }
    // Reverse BFS order: every successor of v was discovered after v, so its coefficient is ready.
    for (let k = tail - 1; k >= 0; k--) {
      const v = order[k]!;
      let sum = 0;
      for (let a = arcStart[k]!, end = arcStart[k + 1]!; a < end; a++) sum += coef[arcTo[a]!]!;
      const sv = sigma[v]!;
      const delta = sv * sum;
      coef[v] = (1 + delta) / sv;
      if (k > 0) dependency[v]! += weight * delta;
      dist[v] = -1;
      sigma[v] = 0;
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
