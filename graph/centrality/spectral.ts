// Degree, weighted degree, PageRank and eigenvector centrality on a CSR graph, computed as graphology-metrics
// does (Brin & Page 1998 power iteration with dangling mass; eigenvector by power iteration on I + A) but on typed arrays.

import type { Csr } from '../csr/csr.ts';

export interface PowerIterationOptions {
  maxIterations?: number;
  tolerance?: number;
}

export interface PowerIterationResult {
  values: Float64Array;
  iterations: number;
  converged: boolean;
}

export function degrees(csr: Csr): { degree: Float64Array; weightedDegree: Float64Array } {
  const n = csr.nodes.length;
  const degree = new Float64Array(n);
  const weightedDegree = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    degree[i] = csr.offsets[i + 1]! - csr.offsets[i]!;
    let s = 0;
    for (let j = csr.offsets[i]!; j < csr.offsets[i + 1]!; j++) s += csr.weights[j]!;
    weightedDegree[i] = s;
  }
  return { degree, weightedDegree };
}

/** Weighted PageRank, graphology's defaults (alpha 0.85, 100 iterations, tolerance 1e-6 per node); never throws. */
export function pagerank(csr: Csr, options: PowerIterationOptions & { alpha?: number } = {}): PowerIterationResult {
  const alpha = options.alpha ?? 0.85;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-6;
  const n = csr.nodes.length;
  const p = 1 / n;
  const { weightedDegree } = degrees(csr);
  const dangling: number[] = [];
  for (let i = 0; i < n; i++) if (weightedDegree[i] === 0) dangling.push(i);
  let x = new Float64Array(n).fill(p);
  let next = new Float64Array(n);
  for (let it = 0; it < maxIterations; it++) {
    let dangleSum = 0;
    for (const d of dangling) dangleSum += x[d]!;
    const base = alpha * dangleSum * p + (1 - alpha) * p;
    next.fill(base);
    for (let i = 0; i < n; i++) {
      const end = csr.offsets[i + 1]!;
      if (end === csr.offsets[i]) continue;
      const share = (alpha * x[i]!) / weightedDegree[i]!;
      for (let j = csr.offsets[i]!; j < end; j++) next[csr.targets[j]!]! += share * csr.weights[j]!;
    }
    let error = 0;
    for (let i = 0; i < n; i++) error += Math.abs(next[i]! - x[i]!);
    [x, next] = [next, x];
    if (error < n * tolerance) return { values: x, iterations: it + 1, converged: true };
  }
  return { values: x, iterations: maxIterations, converged: false };
}

/**
 * Weighted eigenvector centrality within each group of nodes (e.g. each network), each group normalised to
 * unit length on its own; with one group of all nodes it is graphology's whole-graph eigenvector centrality.
 * `csr` must only link nodes of the same group (see csrWithinGroups).
 */
export function eigenvectorWithinGroups(csr: Csr, groups: readonly Int32Array[], options: PowerIterationOptions = {}): PowerIterationResult {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-6;
  const n = csr.nodes.length;
  const values = new Float64Array(n);
  const last = new Float64Array(n);
  let worstIterations = 0;
  let converged = true;
  for (const members of groups) {
    const N = members.length;
    if (N === 0) continue;
    for (const i of members) values[i] = 1 / N;
    let it = 0;
    let ok = false;
    while (it < maxIterations) {
      for (const i of members) last[i] = values[i]!;
      for (const i of members) {
        const xi = last[i]!;
        for (let j = csr.offsets[i]!; j < csr.offsets[i + 1]!; j++) values[csr.targets[j]!]! += xi * csr.weights[j]!;
      }
      const norm = hypot(values, members);
      let error = 0;
      for (const i of members) {
        values[i]! /= norm;
        error += Math.abs(values[i]! - last[i]!);
      }
      it++;
      if (error < N * tolerance) {
        ok = true;
        break;
      }
    }
    worstIterations = Math.max(worstIterations, it);
    if (!ok) converged = false;
  }
  return { values, iterations: worstIterations, converged };
}

function hypot(x: Float64Array, members: Int32Array): number {
  let max = 0;
  for (const i of members) max = Math.max(max, Math.abs(x[i]!));
  if (max === 0 || max === Infinity) return 1;
  let s = 0;
  for (const i of members) s += (x[i]! / max) ** 2;
  return max * Math.sqrt(s);
}
