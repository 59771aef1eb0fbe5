// Betweenness and closeness within each network: exact Brandes for networks up to a work budget, else pivot
// sampling (Brandes & Pich 2007, "Centrality estimation in large networks", IJBC 17(7)) with a Hoeffding error bound.

import type { Csr } from '../csr/csr.ts';
import { seededRandom } from '../csr/seeded-random.ts';
import { brandes, closenessFrom } from './brandes.ts';

export interface WithinNetworkOptions {
  /** A group is exact when nodes × directed arcs ≤ this; otherwise k = max(minPivots, ⌊maxExactWork / arcs⌋) pivots. */
  maxExactWork: number;
  minPivots: number;
  /** Failure probability for the stated per-group error bound (union over the group's nodes). */
  delta: number;
  seed: number;
}

export const WITHIN_NETWORK_DEFAULTS: WithinNetworkOptions = { maxExactWork: 1e7, minPivots: 64, delta: 0.1, seed: 42 };

export interface GroupMethod {
  method: 'exact' | 'pivots';
  pivots: number;
  /** With probability ≥ 1 − delta every node's betweenness is within this of the exact value (0 when exact). */
  errorBound: number;
}

/**
 * `within` must only link nodes of the same group (csrWithinGroups). Betweenness is normalised by each group's
 * size as graphology normalises a whole graph: dependency / ((N−1)(N−2)). For pivots, each sampled term
 * N·δ_s(v)/((N−1)(N−2)) lies in [0, N/(N−1)], so Hoeffding and a union bound over N nodes give
 * ε = N/(N−1) · √(ln(2N/δ) / (2k)) (sampling without replacement only tightens it, Hoeffding 1963 §6).
 */
export function withinNetworkCentrality(within: Csr, groups: readonly Int32Array[], options: Partial<WithinNetworkOptions> = {}) {
  const o = { ...WITHIN_NETWORK_DEFAULTS, ...options };
  const n = within.nodes.length;
  const sourceWeight = new Float64Array(n);
  const groupSize = new Float64Array(n);
  const methods: GroupMethod[] = [];
  const rng = seededRandom(o.seed);
  for (const members of groups) {
    const N = members.length;
    let arcs = 0;
    for (const i of members) {
      arcs += within.offsets[i + 1]! - within.offsets[i]!;
      groupSize[i] = N;
    }
    if (N * arcs <= o.maxExactWork) {
      for (const i of members) sourceWeight[i] = 1;
      methods.push({ method: 'exact', pivots: N, errorBound: 0 });
      continue;
    }
    const k = Math.min(N, Math.max(o.minPivots, Math.floor(o.maxExactWork / arcs)));
    const pool = Array.from(members);
    for (let p = 0; p < k; p++) {
      const q = p + Math.floor(rng() * (N - p));
      [pool[p], pool[q]] = [pool[q]!, pool[p]!];
      sourceWeight[pool[p]!] = N / k;
    }
    const bound = k === N ? 0 : (N / (N - 1)) * Math.sqrt(Math.log((2 * N) / o.delta) / (2 * k));
    methods.push({ method: k === N ? 'exact' : 'pivots', pivots: k, errorBound: bound });
  }
  const result = brandes(within, { sourceWeight });
  const betweenness = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const N = groupSize[i]!;
    betweenness[i] = N > 2 ? result.dependency[i]! / ((N - 1) * (N - 2)) : 0;
  }
  return { betweenness, closeness: closenessFrom(result), methods };
}
