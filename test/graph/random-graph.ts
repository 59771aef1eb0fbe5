// Seeded random edge lists for cross-checks and benchmarks (Erdős–Rényi-style G(n, m), duplicates merged).

import { UndirectedGraph } from 'graphology';
import { seededRandom } from '../../graph/csr/seeded-random.ts';
import type { EdgeColumns } from '../../graph/csr/csr.ts';

export function randomEdges(n: number, m: number, seed: number, options: { weighted?: boolean; prefix?: string } = {}): EdgeColumns & { weight: number[] } {
  const rng = seededRandom(seed);
  const source: string[] = [];
  const target: string[] = [];
  const weight: number[] = [];
  const seen = new Set<string>();
  const prefix = options.prefix ?? 'n';
  while (source.length < m) {
    const a = Math.floor(rng() * n);
    const b = Math.floor(rng() * n);
    if (a === b) continue;
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    source.push(`${prefix}${a}`);
    target.push(`${prefix}${b}`);
    weight.push(options.weighted ? 1 + Math.floor(rng() * 4) / 2 : 1);
  }
  return { source, target, weight };
}

/** The same edges as a graphology undirected graph, nodes added in sorted order like the CSR. */
export function toGraphology(edges: EdgeColumns & { weight: number[] }, nodes: readonly string[]): UndirectedGraph {
  const g = new UndirectedGraph();
  for (const id of nodes) g.addNode(id);
  for (let e = 0; e < edges.source.length; e++) g.addEdge(edges.source[e]!, edges.target[e]!, { weight: edges.weight[e] });
  return g;
}
