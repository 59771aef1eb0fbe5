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
import { ACTIVITY_DEFAULTS, activeMembers, refineByActivity, type Activity, type ActivityOptions } from './lineage/activity-refinement.ts';

export interface AnalyseOptions {
  communities: CommunityOptions;
  lineageJaccard: number;
  /** Activity-aware tracking (used only when the input carries `activity`). */
  activity: ActivityOptions;
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
  activity: ACTIVITY_DEFAULTS,
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
  /**
   * Activity-aware tracking (see lineage/activity-refinement.ts): `edges.lastSeen` must hold each edge's latest evidence
   * day (days since 1970-01-01). Without it, networks are Louvain's communities and lineage is overlap matching alone.
   */
  activity?: {
    asOfDay: number;
    /** Nominals who cannot be offending members (victim, witness or missing person only). */
    ineligible: ReadonlySet<string>;
    /** Reception day of the current custody spell, per nominal in custody. */
    custodySince: ReadonlyMap<string, number>;
  };
}

export interface NetworkRow extends TrackedNetwork {
  size: number;
  /** Members active now (activity-aware tracking; null without it). */
  active_members: number | null;
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
  /** Activity-aware tracking: communities kept apart for want of contact, divided by separate operation, networks dropped as inactive. */
  activity: { active_nodes: number; kept_apart: number; activity_splits: number; dissolved_inactive: number; not_born_inactive: number } | null;
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

  let c = communities(csr, o.communities);
  lap('communities');

  const minSize = o.communities.minNetworkSize ?? COMMUNITY_DEFAULTS.minNetworkSize;
  const act = input.activity && csr.lastSeen ? activityOf(csr, input.activity, o.activity) : null;
  let activitySummary: AnalysisSummary['activity'] = null;
  const previousById = new Map((input.previous ?? []).map((p) => [p.network_id, p]));
  const dissolvedEvidence = new Map<string, Record<string, unknown>>();
  let fragmentOf: (string | null)[] | undefined;
  let index: Map<string, number> | undefined;
  const nodeIndex = () => {
    if (!index) {
      index = new Map();
      for (let i = 0; i < n; i++) index.set(csr.nodes[i]!, i);
    }
    return index;
  };
  const countActive = (members: Int32Array) => {
    const active = act!.active;
    let k = 0;
    for (let j = 0; j < members.length; j++) k += active[members[j]!]!;
    return k;
  };
  if (act) {
    const owner = new Int32Array(n).fill(-1);
    const ix = nodeIndex();
    (input.previous ?? []).forEach((p, k) => {
      for (const id of p.members) {
        const i = ix.get(id);
        if (i !== undefined) owner[i] = k;
      }
    });
    const r = refineByActivity(csr, c, act.active, act.activity, owner, { ...o.activity, minNetworkSize: minSize });
    c = r.communities;
    const fragments = r.fragmentOf;
    const fragmentIds = () => c.networks.map((k) => (fragments[k]! >= 0 ? input.previous![fragments[k]!]!.network_id : null));
    activitySummary = { active_nodes: act.active.reduce((a, b) => a + b, 0), kept_apart: r.keptApart, activity_splits: r.activitySplits, dissolved_inactive: 0, not_born_inactive: 0 };
    // A tracked network whose active members fell below the minimum is DISSOLVED; a new one must have that many to be BORN.
    if (input.previous) {
      const trial = networkLineage(c.networks.map((k) => Array.from(c.members[k]!, (i) => csr.nodes[i]!)), input.previous, { period: input.period, jaccard: o.lineageJaccard, fragmentOf: fragmentIds() });
      const keep: number[] = [];
      c.networks.forEach((k, i) => {
        const t = trial.networks[i]!;
        const now = countActive(c.members[k]!);
        if (t.lineage_event === 'BORN' && now < o.activity.minActiveMembers) {
          activitySummary!.not_born_inactive++;
          return;
        }
        const parent = t.parent_network_ids.length === 1 ? previousById.get(t.parent_network_ids[0]!) : undefined;
        const before = parent?.active_members ?? null;
        // Custody must be what took it below the minimum: members who would be active but for a custody spell begun after
        // their last link. A network that merely goes quiet is left to the link decay (it is "no longer found" in time).
        let inCustody = 0;
        let heldInCustody = 0;
        for (const i of c.members[k]!) {
          if (act.activity.custodySince[i]! < 0) continue;
          inCustody++;
          if (act.activity.eligible[i] && act.lastLink[i]! >= input.activity!.asOfDay - o.activity.activeDays && act.lastLink[i]! <= act.activity.custodySince[i]!) heldInCustody++;
        }
        const continuing = t.lineage_event === 'CONTINUED' || t.lineage_event === 'GREW' || t.lineage_event === 'SHRANK';
        if (continuing && before !== null && before >= o.activity.minActiveMembers && now < o.activity.minActiveMembers && now + heldInCustody >= o.activity.minActiveMembers) {
          dissolvedEvidence.set(parent!.network_id, {
            reason: 'inactive', members: c.members[k]!.length, active_members_before: before, active_members_now: now,
            members_in_custody: inCustody, taken_into_custody_since_last_link: heldInCustody, min_active_members: o.activity.minActiveMembers,
          });
          activitySummary!.dissolved_inactive++;
          return;
        }
        keep.push(k);
      });
      c = { ...c, networks: keep };
    }
    fragmentOf = fragmentIds();
  }

  const networkMembers = c.networks.map((k) => c.members[k]!);
  const lineage = networkLineage(
    networkMembers.map((m) => Array.from(m, (i) => csr.nodes[i]!)),
    input.previous,
    { period: input.period, jaccard: o.lineageJaccard, fragmentOf },
  );
  for (const d of lineage.dissolved) if (dissolvedEvidence.has(d.network_id)) d.evidence = dissolvedEvidence.get(d.network_id);
  if (act) splitEvidence(csr, act, lineage.networks, networkMembers, input.previous ?? [], nodeIndex);
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
    ...net, size: net.members.length, active_members: act ? countActive(networkMembers[k]!) : null, harm: harms[k]!, betweenness: inNetwork.methods[c.networks[k]!]!,
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
      modularity: c.modularity, activity: activitySummary, betweenness: method,
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

function activityOf(csr: Csr, a: NonNullable<AnalysisInput['activity']>, options: ActivityOptions): { activity: Activity; active: Uint8Array; lastLink: Int32Array } {
  const n = csr.nodes.length;
  const eligible = new Uint8Array(n);
  const custodySince = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const id = csr.nodes[i]!;
    eligible[i] = a.ineligible.has(id) ? 0 : 1;
    custodySince[i] = a.custodySince.get(id) ?? -1;
  }
  const activity: Activity = { asOfDay: a.asOfDay, lastSeen: csr.lastSeen!, eligible, custodySince };
  return { activity, ...activeMembers(csr, activity, options) };
}

const isoDay = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

/** Evidence for each SPLIT: the parts' sizes and active members, the last link between parts, members set aside. */
function splitEvidence(
  csr: Csr, act: { activity: Activity; active: Uint8Array }, networks: TrackedNetwork[], members: Int32Array[], previous: readonly PreviousNetwork[],
  nodeIndex: () => Map<string, number>,
): void {
  const byParent = new Map<string, number[]>();
  networks.forEach((net, k) => {
    if (net.lineage_event === 'SPLIT') byParent.set(net.parent_network_ids[0]!, [...(byParent.get(net.parent_network_ids[0]!) ?? []), k]);
  });
  if (byParent.size === 0) return;
  const index = nodeIndex();
  const previousById = new Map(previous.map((p) => [p.network_id, p]));
  for (const [parent, ks] of byParent) {
    const part = new Map<number, number>();
    ks.forEach((k) => members[k]!.forEach((i) => part.set(i, k)));
    let lastContact = -Infinity;
    for (const [i, k] of part) {
      for (let j = csr.offsets[i]!; j < csr.offsets[i + 1]!; j++) {
        const other = part.get(csr.targets[j]!);
        if (other !== undefined && other !== k && act.activity.lastSeen[j]! > lastContact) lastContact = act.activity.lastSeen[j]!;
      }
    }
    const before = previousById.get(parent)?.members ?? [];
    let setAside = 0;
    for (const id of before) {
      const i = index.get(id);
      if (i !== undefined && !act.active[i] && act.activity.custodySince[i]! >= 0) setAside++;
    }
    const evidence = {
      sizes: ks.map((k) => members[k]!.length),
      active_members: ks.map((k) => members[k]!.reduce((a, i) => a + act.active[i]!, 0)),
      last_link_between_parts: Number.isFinite(lastContact) ? isoDay(lastContact) : null,
      former_members_in_custody: setAside,
    };
    for (const k of ks) networks[k]!.evidence = evidence;
  }
}
