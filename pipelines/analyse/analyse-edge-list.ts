// Runs the network analysis on any edge list, per period when there is a period column, with lineage and rank
// changes carried from period to period; writes nodes.csv / networks.csv / summary.json (design/cli.md).

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { analyse, ANALYSE_DEFAULTS, type AnalyseOptions, type Analysis, type AnalysisSummary } from '../../graph/analyse.ts';
import { lineageAlerts, type Alert } from '../../graph/change/alerts.ts';
import { gainingInfluence, rankChanges, ranks, RANKED_MEASURES, type Measure } from '../../graph/change/rank-changes.ts';
import type { PreviousNetwork } from '../../graph/lineage/network-lineage.ts';
import type { EdgeList } from './edge-list.ts';

export const NODE_COLUMNS = ['node', 'period', 'network_id', 'degree', 'weighted_degree', 'pagerank', 'eigenvector', 'betweenness', 'closeness', 'key_player_impact'] as const;
export const NETWORK_COLUMNS = ['network_id', 'period', 'size', 'lineage_event', 'parent_network_ids'] as const;

export interface EdgeListSummary {
  input: string;
  periods: string[];
  nodes: number;
  edges: number;
  networks: number;
  methods: {
    communities: string;
    lineage: string;
    betweenness: string;
    key_player_impact: string;
  };
  per_period: (AnalysisSummary & { lineage_events: Record<string, number>; alerts: Alert[]; gaining_influence: Record<string, { node: string; rank: number; change: number }[]> })[];
  seconds_total: number;
}

export function analyseEdgeList(list: EdgeList, options: { input: string; analyse?: Partial<AnalyseOptions>; timer?: () => number }): { summary: EdgeListSummary; nodesCsv: string; networksCsv: string } {
  const timer = options.timer ?? (() => 0);
  const t0 = timer();
  const periods = list.period ? [...new Set(list.period)].sort() : [''];
  const nodeLines: string[] = [NODE_COLUMNS.join(',')];
  const networkLines: string[] = [NETWORK_COLUMNS.join(',')];
  const perPeriod: EdgeListSummary['per_period'] = [];
  let previous: PreviousNetwork[] | null = null;
  let previousRanks: Map<Measure, Map<string, number>> | null = null;
  const allNodes = new Set<string>();
  let edgeRows = 0;
  let networkCount = 0;
  for (const period of periods) {
    const rows = list.period ? list.period.flatMap((p, i) => (p === period ? [i] : [])) : list.source.map((_, i) => i);
    const edges = { source: rows.map((i) => list.source[i]!), target: rows.map((i) => list.target[i]!), weight: rows.map((i) => list.weight[i]!) };
    edgeRows += rows.length;
    const a = analyse({ edges, period, previous }, { ...ANALYSE_DEFAULTS, ...options.analyse, timer });
    a.csr.nodes.forEach((id) => allNodes.add(id));
    networkCount += a.networks.length;
    for (let i = 0; i < a.csr.nodes.length; i++) {
      const k = a.networkIndex[i]!;
      nodeLines.push([
        csvField(a.csr.nodes[i]!), csvField(period), k >= 0 ? csvField(a.networks[k]!.network_id) : '',
        a.degree[i], a.weightedDegree[i], a.pagerank[i], a.eigenvector[i], a.betweenness[i], a.closeness[i], a.keyPlayerImpact[i],
      ].join(','));
    }
    for (const net of [...a.networks, ...a.dissolved.map((d) => ({ ...d, size: 0 }))]) {
      networkLines.push([csvField(net.network_id), csvField(period), net.size, net.lineage_event, csvField(net.parent_network_ids.join(';'))].join(','));
    }
    const currentRanks = measureRanks(a);
    const changes = rankChanges(currentRanks, previousRanks, null);
    const everyone = { banded: new Set(a.csr.nodes), under18: new Set<string>(), reviewed: new Set<string>() };
    const gaining: Record<string, { node: string; rank: number; change: number }[]> = {};
    if (previousRanks) {
      for (const m of ['pagerank', 'betweenness'] as const) {
        gaining[m] = gainingInfluence(changes, m, everyone, 10).map((c) => ({ node: c.nominal_id, rank: c.rank, change: c.change_1w! }));
      }
    }
    const events: Record<string, number> = {};
    for (const n of [...a.networks, ...a.dissolved]) events[n.lineage_event] = (events[n.lineage_event] ?? 0) + 1;
    perPeriod.push({ ...a.summary, lineage_events: events, alerts: previous ? lineageAlerts(a.networks, a.dissolved) : [], gaining_influence: gaining });
    previous = a.networks.map((n) => ({ network_id: n.network_id, members: n.members }));
    previousRanks = currentRanks;
  }
  const summary: EdgeListSummary = {
    input: options.input,
    periods: list.period ? periods : [],
    nodes: allNodes.size,
    edges: edgeRows,
    networks: networkCount,
    methods: {
      communities: 'Louvain (Blondel et al. 2008), graphology-communities-louvain, weighted, undirected, seeded and sorted node order; networks = communities of >= minNetworkSize',
      lineage: 'Jaccard member overlap with the previous period\'s networks (Greene, Doyle & Cunningham 2010), threshold ' + (options.analyse?.lineageJaccard ?? ANALYSE_DEFAULTS.lineageJaccard),
      betweenness: 'whole graph, unweighted shortest paths, normalised as graphology (1/((n-1)(n-2))): exact Brandes (2001) when sum over components of nodes x arcs <= exact_max_work, else Riondato & Kornaropoulos (2016) sampling with the stated error bound (see per_period[].betweenness)',
      key_player_impact: 'share of the other members\' pairs disconnected if the node is removed from its network (Borgatti 2006 fragmentation)',
    },
    per_period: perPeriod,
    seconds_total: Math.round(timer() - t0) / 1000,
  };
  return { summary, nodesCsv: nodeLines.join('\n') + '\n', networksCsv: networkLines.join('\n') + '\n' };
}

export function writeEdgeListOutputs(dir: string, out: { summary: EdgeListSummary; nodesCsv: string; networksCsv: string }): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'nodes.csv'), out.nodesCsv);
  writeFileSync(path.join(dir, 'networks.csv'), out.networksCsv);
  writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(out.summary, null, 2) + '\n');
}

function measureRanks(a: Analysis): Map<Measure, Map<string, number>> {
  const columns: Record<Measure, Float64Array> = {
    degree: a.degree, weighted_degree: a.weightedDegree, pagerank: a.pagerank, eigenvector: a.eigenvector,
    betweenness: a.betweenness, closeness: a.closeness, key_player_impact: a.keyPlayerImpact,
  };
  const out = new Map<Measure, Map<string, number>>();
  for (const m of RANKED_MEASURES) out.set(m, ranks(new Map(a.csr.nodes.map((id, i) => [id, columns[m][i]!])), () => true));
  return out;
}

export function csvField(value: string): string {
  return /[",\n\r]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}
