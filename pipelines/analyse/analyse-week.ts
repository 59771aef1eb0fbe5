// The analyse stage: reads graph.edge and score.nominal_harm, runs graph/analyse.ts and the change analysis, and
// writes analysis.* (networks, members, centralities, rank changes, alerts) plus the persistent history it needs.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBDateValue, type DuckDBAppender } from '@duckdb/node-api';
import type { StageContext } from '../core/context.ts';
import { requireTables } from '../harm/require-tables.ts';
import { analyse, ANALYSE_DEFAULTS, type Analysis } from '../../graph/analyse.ts';
import { childFoundWithAlerts, harmRisingAlerts, lineageAlerts, newBandALinkAlerts, releaseAlerts, sortAlerts, type Alert } from '../../graph/change/alerts.ts';
import { harmTrend, type HarmPoint, type HarmTrend } from '../../graph/change/harm-trend.ts';
import { gainingInfluence, rankChanges, ranks, RANKED_MEASURES, type Measure, type RankChange } from '../../graph/change/rank-changes.ts';
import type { PreviousNetwork } from '../../graph/lineage/network-lineage.ts';
import { readInputs, type WeekInputs } from './read-inputs.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface PreviousWeek {
  networks: PreviousNetwork[];
  /** Earlier weeks, any order; when absent the persistent analysis.*_history tables are read. */
  history?: { asOf: string; networkHarm: { network_id: string; harm_cchi: number }[]; ranks?: { nominal_id: string; measure: Measure; rank: number }[] }[];
}

/**
 * `previous`: last week's networks (null = first week, everything is BORN); `undefined` reads them from
 * analysis.network_member_history (the latest week before asOf). Deterministic for the same warehouse.
 */
export async function analyseWeek(ctx: StageContext, opts: { asOf: string; previous?: PreviousWeek | null }): Promise<{ networks: number; alerts: number; seconds: Record<string, number> }> {
  await requireTables(ctx, 'analyse', ['graph.edge', 'score.nominal_harm']);
  const seconds: Record<string, number> = {};
  let t = performanceNow(ctx);
  const lap = (name: string) => {
    const now = performanceNow(ctx);
    seconds[name] = Math.round(now - t) / 1000;
    t = now;
  };
  await ctx.db.runFile(path.join(here, 'analysis_tables.sql'), { as_of: opts.asOf });
  const inputs = await readInputs(ctx, opts.asOf);
  const previous = opts.previous === undefined ? await previousFromHistory(ctx, opts.asOf) : opts.previous;
  const history = previous?.history ?? (previous ? await historyFromTables(ctx, opts.asOf) : []);
  lap('read');

  const c = ctx.config.communities;
  const a = analyse(
    { edges: inputs.edges, nodes: inputs.nominals, period: opts.asOf, previous: previous?.networks ?? null, harm: inputs.harm },
    { ...ANALYSE_DEFAULTS, communities: { resolution: c.resolution, seed: c.seed, minNetworkSize: c.minNetworkSize }, lineageJaccard: c.lineageJaccard, timer: () => performanceNow(ctx) },
  );
  Object.assign(seconds, Object.fromEntries(Object.entries(a.summary.seconds).map(([k, v]) => [`analyse_${k}`, v])));
  lap('analyse');

  // Change: harm trends, ranks (banded, non-historic nominals only), alerts.
  const harmSeries = new Map<string, HarmPoint[]>();
  for (const week of history) for (const n of week.networkHarm) harmSeries.set(n.network_id, [...(harmSeries.get(n.network_id) ?? []), { period: week.asOf, harm: n.harm_cchi }]);
  const trends = a.networks.map((n) => harmTrend(n.network_id, opts.asOf, n.harm, harmSeries.get(n.network_id) ?? []));
  const current = measureRanks(a, (id) => inputs.ranked.has(id));
  const weekBefore = (weeks: number) => {
    const target = addDays(opts.asOf, -7 * weeks);
    const w = history.filter((h) => h.asOf <= target && h.asOf > addDays(target, -7) && h.ranks).sort((x, y) => (x.asOf < y.asOf ? 1 : -1))[0];
    if (!w) return null;
    const m = new Map<Measure, Map<string, number>>();
    for (const r of w.ranks!) (m.get(r.measure) ?? m.set(r.measure, new Map()).get(r.measure)!).set(r.nominal_id, r.rank);
    return m;
  };
  const changes = rankChanges(current, weekBefore(1), weekBefore(12));
  const people = { banded: inputs.ranked, under18: inputs.under18, reviewed: inputs.reviewed };
  const alerts: Alert[] = sortAlerts([
    ...harmRisingAlerts(trends),
    ...(previous ? lineageAlerts(a.networks, a.dissolved) : []),
    ...(inputs.hasEarlierLinks ? newBandALinkAlerts(inputs.newLinks, inputs.band, null, opts.asOf) : []),
    ...releaseAlerts(inputs.releases, inputs.band, opts.asOf),
    ...(inputs.hasEarlierLinks ? childFoundWithAlerts(inputs.newFoundWith, inputs.under18, inputs.harm, null, opts.asOf) : []),
  ]);
  lap('change');

  await ctx.db.transaction(async () => {
    await writeNetworks(ctx, a, trends, opts.asOf);
    await writeCentrality(ctx, a, changes);
    await append(ctx, 'gaining_influence', (app) => {
      for (const m of RANKED_MEASURES) {
        gainingInfluence(changes, m, people, 50).forEach((g, i) => {
          app.appendVarchar(m);
          app.appendInteger(i + 1);
          app.appendVarchar(g.nominal_id);
          app.appendInteger(g.rank);
          app.appendInteger(g.change_1w!);
          app.endRow();
        });
      }
    });
    await append(ctx, 'alert', (app) => {
      for (const x of alerts) [x.alert_type, x.subject_id, x.detail, x.evidence].forEach((v) => app.appendVarchar(v)), app.endRow();
    });
    await append(ctx, 'rank_history', (app) => {
      for (const [m, r] of current) for (const [id, rank] of r) (app.appendDate(dateValue(opts.asOf)), app.appendVarchar(id), app.appendVarchar(m), app.appendInteger(rank), app.endRow());
    });
  });
  lap('write');
  ctx.log.info(`analyse ${opts.asOf}: ${a.networks.length} networks, ${alerts.length} alerts, betweenness ${a.summary.betweenness.method}`);
  return { networks: a.networks.length, alerts: alerts.length, seconds };
}

async function writeNetworks(ctx: StageContext, a: Analysis, trends: HarmTrend[], asOf: string): Promise<void> {
  await append(ctx, 'network', (app) => {
    a.networks.forEach((n, k) => {
      const tr = trends[k]!;
      app.appendVarchar(n.network_id);
      app.appendInteger(n.size);
      app.appendVarchar(n.lineage_event);
      app.appendVarchar(n.parent_network_ids.join(';'));
      app.appendDouble(n.jaccard);
      nullable(app, tr.harm_4w);
      nullable(app, tr.harm_12w);
      app.appendBoolean(tr.rising_4w);
      app.appendBoolean(tr.rising_12w);
      app.appendVarchar(n.betweenness.method);
      app.appendInteger(n.betweenness.pivots);
      app.appendDouble(n.betweenness.errorBound);
      app.endRow();
    });
  });
  const rows = (fn: (app: DuckDBAppender, id: string, member: string) => void) => (app: DuckDBAppender) => {
    for (const n of a.networks) for (const m of n.members) fn(app, n.network_id, m);
  };
  await append(ctx, 'network_member', rows((app, id, m) => (app.appendVarchar(id), app.appendVarchar(m), app.endRow())));
  await append(ctx, 'network_member_history', rows((app, id, m) => (app.appendDate(dateValue(asOf)), app.appendVarchar(id), app.appendVarchar(m), app.endRow())));
  await append(ctx, 'network_event', (app) => {
    for (const n of [...a.networks, ...a.dissolved]) (app.appendVarchar(n.network_id), app.appendVarchar(n.lineage_event), app.appendVarchar(n.parent_network_ids.join(';')), app.endRow());
  });
  await append(ctx, 'network_history', (app) => {
    for (const n of a.networks) (app.appendDate(dateValue(asOf)), app.appendVarchar(n.network_id), app.appendInteger(n.size), app.appendDouble(n.harm), app.endRow());
  });
}

async function writeCentrality(ctx: StageContext, a: Analysis, changes: RankChange[]): Promise<void> {
  const byNominal = new Map<string, Map<Measure, RankChange>>();
  for (const c of changes) (byNominal.get(c.nominal_id) ?? byNominal.set(c.nominal_id, new Map()).get(c.nominal_id)!).set(c.measure, c);
  const order: Measure[] = ['pagerank', 'betweenness', 'degree', 'weighted_degree', 'eigenvector', 'closeness', 'key_player_impact'];
  await append(ctx, 'centrality', (app) => {
    a.csr.nodes.forEach((id, i) => {
      const k = a.networkIndex[i]!;
      app.appendVarchar(id);
      if (k >= 0) app.appendVarchar(a.networks[k]!.network_id);
      else app.appendNull();
      app.appendInteger(a.degree[i]!);
      for (const col of [a.weightedDegree, a.pagerank, a.eigenvector, a.betweenness, a.betweennessInNetwork, a.closeness, a.keyPlayerImpact, a.harmCutOff]) app.appendDouble(col[i]!);
      const rc = byNominal.get(id);
      for (const m of order) {
        const c = rc?.get(m);
        nullable(app, c ? c.rank : null, true);
        nullable(app, c ? c.change_1w : null, true);
        nullable(app, c ? c.change_12w : null, true);
      }
      app.endRow();
    });
  });
}

function measureRanks(a: Analysis, eligible: (id: string) => boolean): Map<Measure, Map<string, number>> {
  const columns: Record<Measure, Float64Array> = {
    degree: a.degree, weighted_degree: a.weightedDegree, pagerank: a.pagerank, eigenvector: a.eigenvector,
    betweenness: a.betweenness, closeness: a.closeness, key_player_impact: a.keyPlayerImpact,
  };
  const out = new Map<Measure, Map<string, number>>();
  for (const m of RANKED_MEASURES) out.set(m, ranks(new Map(a.csr.nodes.map((id, i) => [id, columns[m][i]!])), eligible));
  return out;
}

async function previousFromHistory(ctx: StageContext, asOf: string): Promise<PreviousWeek | null> {
  const last = await ctx.db.value<string | null>('SELECT max(as_of)::VARCHAR FROM analysis.network_member_history WHERE as_of < $as_of::DATE', { as_of: asOf });
  if (!last) return null;
  const rows = await ctx.db.all<{ network_id: string; members: string[] }>(
    'SELECT network_id, list(nominal_id ORDER BY nominal_id) AS members FROM analysis.network_member_history WHERE as_of = $last::DATE GROUP BY network_id ORDER BY network_id',
    { last },
  );
  return { networks: rows.map((r) => ({ network_id: r.network_id, members: r.members })) };
}

async function historyFromTables(ctx: StageContext, asOf: string): Promise<NonNullable<PreviousWeek['history']>> {
  const harm = await ctx.db.all<{ as_of: string; network_id: string; harm_cchi: number }>(
    `SELECT as_of::VARCHAR AS as_of, network_id, harm_cchi FROM analysis.network_history
     WHERE as_of < $as_of::DATE AND as_of >= $as_of::DATE - INTERVAL 13 WEEK ORDER BY as_of, network_id`, { as_of: asOf });
  const rankRows = await ctx.db.all<{ as_of: string; nominal_id: string; measure: Measure; rank: number }>(
    `SELECT as_of::VARCHAR AS as_of, nominal_id, measure, rank FROM analysis.rank_history
     WHERE as_of IN ($w1::DATE, $w12::DATE) ORDER BY as_of, measure, rank`,
    { w1: addDays(asOf, -7), w12: addDays(asOf, -84) });
  const weeks = new Map<string, NonNullable<PreviousWeek['history']>[number]>();
  const week = (d: string) => weeks.get(d) ?? weeks.set(d, { asOf: d, networkHarm: [], ranks: [] }).get(d)!;
  for (const r of harm) week(r.as_of).networkHarm.push({ network_id: r.network_id, harm_cchi: r.harm_cchi });
  for (const r of rankRows) week(r.as_of).ranks!.push({ nominal_id: r.nominal_id, measure: r.measure, rank: r.rank });
  return [...weeks.values()];
}

async function append(ctx: StageContext, table: string, fill: (app: DuckDBAppender) => void): Promise<void> {
  const app = await ctx.db.connection.createAppender(table, 'analysis');
  fill(app);
  app.flushSync();
  app.closeSync();
}

function nullable(app: DuckDBAppender, v: number | null, integer = false): void {
  if (v === null) app.appendNull();
  else if (integer) app.appendInteger(v);
  else app.appendDouble(v);
}

function dateValue(iso: string): DuckDBDateValue {
  return new DuckDBDateValue(Math.round(Date.parse(iso + 'T00:00:00Z') / 86_400_000));
}

function addDays(iso: string, days: number): string {
  const d = new Date(iso + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Stage timings come from the context's clock, so tests with a fixed clock get zeros. */
function performanceNow(ctx: StageContext): number {
  return ctx.clock().getTime();
}

export type { WeekInputs };
