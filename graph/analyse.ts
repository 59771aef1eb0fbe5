// The whole network analysis of one period as a pure function: communities, lineage, centralities, key players.
// Plain data in (edge columns, previous networks, harm per node), typed-array columns out; no I/O, no clock of its own.

import { connectedComponents, csrFromEdges, csrWithinGroups, type Csr, type EdgeColumns } from './csr/csr.ts';
import { brandes, normaliseBetweenness } from './centrality/brandes.ts';
import { withinNetworkCentrality, WITHIN_NETWORK_DEFAULTS, type GroupMethod, type WithinNetworkOptions } from './centrality/within-network.ts';
import { sampledBetweenness } from './centrality/sampled-betweenness.ts';
import { degrees, eigenvectorWithinGroups, pagerank } from './centrality/spectral.ts';
import { communities, COMMUNITY_DEFAULTS, type CommunityOptions } from './communities/communities.ts';
import { keyPlayerImpact } from './key-player/key-player-impact.ts';
import { networkLineage, type PreviousNetwork, type TrackedNetwork } from './lineage/network-lineage.ts';

export interface AnalyseOptions {
  communities: CommunityOptions;
  lineageJaccard: number;
  /** Whole-graph betweenness is exact when Σ over components of nodes × directed arcs is at most this. */
  exactBetweennessMaxWork: number;
  sampling: { epsilon: number; delta: number; seed: number };
  withinNetwork: WithinNetworkOptions;
  /** Monotonic milliseconds for the timings (the caller's clock; defaults to none). */
  timer?: () => number;
}

export const ANALYSE_DEFAULTS: AnalyseOptions = {
  communities: COMMUNITY_DEFAULTS,
  lineageJaccard: 0.3,
  exactBetweennessMaxWork: 4e8,
  sampling: { epsilon: 0.01, delta: 0.1, seed: 42 },
  withinNetwork: WITHIN_NETWORK_DEFAULTS,
};

export interface AnalysisInput {
  edges: EdgeColumns;
  /** Nodes that may have no edges (kept as isolated nodes). */
  nodes?: readonly string[];
  period: string;
  previous: readonly PreviousNetwork[] | null;
  /** Harm per node id (absent = 0): for network harm and the harm a key player's removal cuts off. */
  harm?: ReadonlyMap<string, number>;
}

export interface NetworkRow extends TrackedNetwork {
  size: number;
  harm: number;
  /** How betweenness within this network was computed. */
  betweenness: GroupMethod;
}

export interface Analysis {
  csr: Csr;
  /** Per node (csr.nodes order). networkIndex: index into `networks`, −1 when the node's community is too small. */
  networkIndex: Int32Array;
  degree: Float64Array;
  weightedDegree: Float64Array;
  pagerank: Float64Array;
  eigenvector: Float64Array;
  betweenness: Float64Array;
  betweennessInNetwork: Float64Array;
  closeness: Float64Array;
  keyPlayerImpact: Float64Array;
  harmCutOff: Float64Array;
  networks: NetworkRow[];
  dissolved: TrackedNetwork[];
  summary: AnalysisSummary;
}

export interface AnalysisSummary {
  period: string;
  nodes: number;
  edges: number;
  components: number;
  communities: number;
  networks: number;
  modularity: number | null;
  betweenness: { method: 'exact' | 'sampled'; work: number; exact_max_work: number; samples?: number; epsilon?: number; delta?: number; error_bound?: number; vertex_diameter_bound?: number; paths: 'unweighted' };
  within_network: { betweenness: string; closeness: string; eigenvector: string; exact_networks: number; pivot_networks: number; max_exact_work: number; largest_error_bound: number };
  pagerank: { iterations: number; converged: boolean };
  eigenvector: { iterations: number; converged: boolean };
  seconds: Record<string, number>;
}

export function analyse(input: AnalysisInput, options: Partial<AnalyseOptions> = {}): Analysis {
  const o = { ...ANALYSE_DEFAULTS, ...options };
  const timer = o.timer ?? (() => 0);
  const seconds: Record<string, number> = {};
  let t = timer();
  const lap = (name: string) => {
    const now = timer();
    seconds[name] = Math.round(now - t) / 1000;
    t = now;
  };

  const csr = csrFromEdges(input.edges, { nodes: input.nodes });
  const n = csr.nodes.length;
  const harm = Float64Array.from(csr.nodes, (id) => input.harm?.get(id) ?? 0);
  lap('graph');

  const c = communities(csr, o.communities);
  lap('communities');

  const networkMembers = c.networks.map((k) => c.members[k]!);
  const lineage = networkLineage(
    networkMembers.map((m) => Array.from(m, (i) => csr.nodes[i]!)),
    input.previous,
    { period: input.period, jaccard: o.lineageJaccard },
  );
  // networkLineage sorts by smallest member id; community order is by smallest node index, the same order.
  const networkIndex = new Int32Array(n).fill(-1);
  const harms = lineage.networks.map((_, k) => {
    let h = 0;
    for (const i of networkMembers[k]!) {
      networkIndex[i] = k;
      h += harm[i]!;
    }
    return h;
  });
  lap('lineage');

  const { degree, weightedDegree } = degrees(csr);
  const pr = pagerank(csr);
  lap('pagerank');

  const within = csrWithinGroups(csr, c.community);
  const inNetwork = withinNetworkCentrality(within, c.members, o.withinNetwork);
  const betweennessInNetwork = inNetwork.betweenness;
  const closeness = inNetwork.closeness;
  const networks: NetworkRow[] = lineage.networks.map((net, k) => ({
    ...net, size: net.members.length, harm: harms[k]!, betweenness: inNetwork.methods[c.networks[k]!]!,
  }));
  const eig = eigenvectorWithinGroups(within, c.members);
  const kp = keyPlayerImpact(within, networkMembers, harm);
  lap('within_network');

  const { component, count } = connectedComponents(csr);
  const compNodes = new Float64Array(count);
  const compArcs = new Float64Array(count);
  for (let i = 0; i < n; i++) {
    compNodes[component[i]!]!++;
    compArcs[component[i]!]! += csr.offsets[i + 1]! - csr.offsets[i]!;
  }
  let work = 0;
  for (let k = 0; k < count; k++) work += compNodes[k]! * compArcs[k]!;
  let betweenness: Float64Array;
  let method: AnalysisSummary['betweenness'];
  if (work <= o.exactBetweennessMaxWork) {
    betweenness = normaliseBetweenness(brandes(csr).dependency, () => n);
    method = { method: 'exact', work, exact_max_work: o.exactBetweennessMaxWork, paths: 'unweighted' };
  } else {
    const s = sampledBetweenness(csr, o.sampling);
    betweenness = s.betweenness;
    method = {
      method: 'sampled', work, exact_max_work: o.exactBetweennessMaxWork, samples: s.samples, epsilon: s.epsilon, delta: s.delta,
      error_bound: s.errorBound, vertex_diameter_bound: s.vertexDiameterBound, paths: 'unweighted',
    };
  }
  lap('betweenness');

  return {
    csr, networkIndex, degree, weightedDegree, pagerank: pr.values, eigenvector: eig.values, betweenness, betweennessInNetwork,
    closeness, keyPlayerImpact: kp.impact, harmCutOff: kp.harmCutOff, networks, dissolved: lineage.dissolved,
    summary: {
      period: input.period, nodes: n, edges: csr.targets.length / 2, components: count, communities: c.count, networks: networks.length,
      modularity: c.modularity, betweenness: method,
      within_network: {
        betweenness: 'Brandes (2001) on each community, normalised by its size; pivot sampling (Brandes & Pich 2007) above max_exact_work',
        closeness: 'within community: reachable / sum of distances (graphology definition)',
        eigenvector: 'within community, unit length per community',
        exact_networks: networks.filter((x) => x.betweenness.method === 'exact').length,
        pivot_networks: networks.filter((x) => x.betweenness.method === 'pivots').length,
        max_exact_work: o.withinNetwork.maxExactWork,
        largest_error_bound: Math.max(0, ...networks.map((x) => x.betweenness.errorBound)),
      },
      pagerank: { iterations: pr.iterations, converged: pr.converged },
      eigenvector: { iterations: eig.iterations, converged: eig.converged },
      seconds,
    },
  };
}
