// Communities by Louvain modularity optimisation (Blondel et al. 2008, "Fast unfolding of communities in large
// networks", J. Stat. Mech. P10008) via graphology-communities-louvain; deterministic: sorted insertion, seeded rng.

import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import { connectedComponents, groupMembers, type Csr } from '../csr/csr.ts';
import { seededRandom } from '../csr/seeded-random.ts';
import { cjsDefault } from './cjs-default.ts';

const louvain = cjsDefault(louvainModule);

export interface CommunityOptions {
  resolution: number;
  seed: number;
  minNetworkSize: number;
}

export const COMMUNITY_DEFAULTS: CommunityOptions = { resolution: 1, seed: 42, minNetworkSize: 3 };

export interface Communities {
  /** Community index per node; communities numbered by their smallest node (so labels never depend on Louvain's). */
  community: Int32Array;
  count: number;
  members: Int32Array[];
  /** Community indices with ≥ minNetworkSize members, in community order. */
  networks: number[];
  modularity: number | null;
}

/**
 * Louvain on the weighted undirected graph. Nodes go in sorted-id order and edges in CSR order, and the rng is
 * seeded, so the same input always gives the same partition. Connected components smaller than the minimum
 * network size (isolated nodes, pairs) can never hold a network and stay out of Louvain's graph, but their
 * edge weight is kept in the modularity's total by scaling the resolution (the gain depends on resolution / m only).
 */
export function communities(csr: Csr, options: Partial<CommunityOptions> = {}): Communities {
  const { resolution, seed, minNetworkSize } = { ...COMMUNITY_DEFAULTS, ...options };
  const n = csr.nodes.length;
  const { component, count: componentCount } = connectedComponents(csr);
  const componentSize = new Int32Array(componentCount);
  for (let i = 0; i < n; i++) componentSize[component[i]!]!++;

  const graph = new UndirectedGraph<Record<string, never>, { weight: number }>();
  let totalWeight = 0;
  let keptWeight = 0;
  for (let i = 0; i < n; i++) {
    const keep = componentSize[component[i]!]! >= Math.max(minNetworkSize, 3);
    for (let j = csr.offsets[i]!; j < csr.offsets[i + 1]!; j++) {
      const t = csr.targets[j]!;
      if (t <= i) continue;
      totalWeight += csr.weights[j]!;
      if (keep) keptWeight += csr.weights[j]!;
    }
    if (keep) graph.addNode(String(i));
  }
  for (let i = 0; i < n; i++) {
    if (!graph.hasNode(String(i))) continue;
    for (let j = csr.offsets[i]!; j < csr.offsets[i + 1]!; j++) {
      const t = csr.targets[j]!;
      if (t > i) graph.addUndirectedEdge(String(i), String(t), { weight: csr.weights[j]! });
    }
  }

  const raw = new Int32Array(n).fill(-1);
  let modularity: number | null = null;
  if (graph.size > 0) {
    const detailed = louvain.detailed(graph, {
      getEdgeWeight: 'weight',
      resolution: totalWeight > 0 ? (resolution * keptWeight) / totalWeight : resolution,
      rng: seededRandom(seed),
    });
    for (const [key, c] of Object.entries(detailed.communities)) raw[Number(key)] = c;
    modularity = graph.order === n ? detailed.modularity : null;
  }
  // Small components are each one community (Louvain would merge a pair or a lone node into nothing else).
  const offset = 1 << 30;
  for (let i = 0; i < n; i++) if (raw[i] === -1) raw[i] = offset + component[i]!;

  // Canonical labels: in order of each community's smallest node index.
  const relabel = new Map<number, number>();
  const community = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let c = relabel.get(raw[i]!);
    if (c === undefined) relabel.set(raw[i]!, (c = relabel.size));
    community[i] = c;
  }
  const members = groupMembers(community, relabel.size);
  const networks: number[] = [];
  for (let c = 0; c < members.length; c++) if (members[c]!.length >= minNetworkSize) networks.push(c);
  return { community, count: relabel.size, members, networks, modularity };
}
