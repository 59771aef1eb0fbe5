// Whole-graph betweenness estimated by sampling shortest paths: Riondato & Kornaropoulos (2016), "Fast approximation
// of betweenness centrality through sampling", Data Min. Knowl. Disc. 30(2). Unweighted paths; seeded; typed arrays.

import { connectedComponents, type Csr } from '../csr/csr.ts';
import { randomInt, seededRandom } from '../csr/seeded-random.ts';

export interface SampledBetweennessOptions {
  /** Additive error on the pair-normalised scale (b(v) / (n(n−1))). */
  epsilon: number;
  /** Probability that any node's estimate misses by more than epsilon. */
  delta: number;
  seed: number;
}

export interface SampledBetweenness {
  /** Estimates on graphology's scale (dependency / ((n−1)(n−2))). */
  betweenness: Float64Array;
  samples: number;
  vertexDiameterBound: number;
  /** With probability ≥ 1 − delta, every |estimate − exact| ≤ errorBound (graphology's scale). */
  errorBound: number;
  epsilon: number;
  delta: number;
}

/** RK sample size r = ⌈(c/ε²)(⌊log₂(VD − 2)⌋ + 1 + ln(1/δ))⌉ with c = 0.5 (their Theorem 2). */
export function sampleSize(vertexDiameter: number, epsilon: number, delta: number): number {
  const vd = Math.max(vertexDiameter, 3);
  return Math.ceil((0.5 / (epsilon * epsilon)) * (Math.floor(Math.log2(vd - 2)) + 1 + Math.log(1 / delta)));
}

/**
 * Upper bound on the vertex diameter (nodes on a longest shortest path): per component, one BFS from
 * its first node x; any shortest path a…b has d(a,b) ≤ d(a,x) + d(x,b) ≤ the two largest distances from x.
 */
export function vertexDiameterBound(csr: Csr, component: Int32Array, count: number): number {
  const n = csr.nodes.length;
  const dist = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const started = new Uint8Array(count);
  let bound = 1;
  for (let s = 0; s < n; s++) {
    if (started[component[s]!]) continue;
    started[component[s]!] = 1;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    dist[s] = 0;
    let first = 0;
    let second = 0;
    while (head < tail) {
      const v = queue[head++]!;
      const d = dist[v]!;
      if (d >= first) {
        second = first;
        first = d;
      } else if (d > second) second = d;
      for (let j = csr.offsets[v]!; j < csr.offsets[v + 1]!; j++) {
        const w = csr.targets[j]!;
        if (dist[w] < 0) {
          dist[w] = d + 1;
          queue[tail++] = w;
        }
      }
    }
    bound = Math.max(bound, first + second + 1);
  }
  return bound;
}

export function sampledBetweenness(csr: Csr, options: SampledBetweennessOptions): SampledBetweenness {
  const { epsilon, delta, seed } = options;
  const n = csr.nodes.length;
  const { offsets, targets } = csr;
  const { component, count } = connectedComponents(csr);
  const vd = vertexDiameterBound(csr, component, count);
  const r = sampleSize(vd, epsilon, delta);
  const rng = seededRandom(seed);
  const estimate = new Float64Array(n);
  const dist = new Int32Array(n).fill(-1);
  const sigma = new Float64Array(n);
  const queue = new Int32Array(n);
  const scale = n > 2 ? n / (n - 2) : 0;

  for (let i = 0; i < r && n > 2; i++) {
    const u = randomInt(rng, n);
    let v = randomInt(rng, n - 1);
    if (v >= u) v++;
    if (component[u] !== component[v]) continue; // no path: this sample adds nothing
    // BFS from u, stopping once v's level is complete.
    let head = 0;
    let tail = 0;
    queue[tail++] = u;
    dist[u] = 0;
    sigma[u] = 1;
    let stopAt = Infinity;
    while (head < tail) {
      const x = queue[head++]!;
      const dx = dist[x]!;
      if (dx >= stopAt) break;
      for (let j = offsets[x]!; j < offsets[x + 1]!; j++) {
        const y = targets[j]!;
        if (dist[y] < 0) {
          dist[y] = dx + 1;
          queue[tail++] = y;
          if (y === v) stopAt = dx + 1;
        }
        if (dist[y] === dx + 1) sigma[y]! += sigma[x]!;
      }
    }
    // Walk back from v choosing each predecessor with probability σ_p / σ_w: a uniform shortest path.
    let w = v;
    while (dist[w]! > 1) {
      let pick = rng() * sigma[w]!;
      let chosen = -1;
      for (let j = offsets[w]!; j < offsets[w + 1]!; j++) {
        const p = targets[j]!;
        if (dist[p] !== dist[w]! - 1) continue;
        chosen = p;
        pick -= sigma[p]!;
        if (pick < 0) break;
      }
      w = chosen;
      estimate[w]! += 1 / r;
    }
    for (let k = 0; k < tail; k++) {
      dist[queue[k]!] = -1;
      sigma[queue[k]!] = 0;
    }
  }
  for (let i = 0; i < n; i++) estimate[i]! *= scale;
  return { betweenness: estimate, samples: r, vertexDiameterBound: vd, errorBound: epsilon * scale, epsilon, delta };
}
