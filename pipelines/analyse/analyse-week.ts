// The analyse stage: reads graph.edge and score.nominal_harm, runs graph/analyse.ts and the change analysis, and
// writes analysis.* (networks, members, centralities, rank changes, alerts) plus the persistent history it needs.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBDateValue, type DuckDBAppender } from '@duckdb/node-api';
import type { StageContext } from '../core/context.ts';
import { addDays } from '../core/dates.ts';
import { requireTables } from '../harm/require-tables.ts';
import { analyse, ANALYSE_DEFAULTS, type Analysis } from '../../graph/analyse.ts';
import { childFoundWithAlerts, harmRisingAlerts, lineageAlerts, newBandALinkAlerts, releaseAlerts, sortAlerts, type Alert } from '../../graph/change/alerts.ts';
import { harmTrend, type HarmPoint, type HarmTrend } from '../../graph/change/harm-trend.ts';
import { gainingInfluence, rankColumn, RANKED_MEASURES, type Measure, type RankChange } from '../../graph/change/rank-changes.ts';
import type { PreviousNetwork } from '../../graph/lineage/network-lineage.ts';
import { readInputs, type WeekInputs } from './read-inputs.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface PreviousWeek {
  networks: PreviousNetwork[];
  /** Earlier weeks, any order; when absent the persistent analysis.*_history tables are read. */
  history?: { asOf: string; networkHarm: { network_id: string; harm_cchi: number }[]; ranks?: ReadonlyMap<Measure, ReadonlyMap<string, number>> }[];
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
    {
      edges: inputs.edges, nodes: inputs.nominals, period: opts.asOf, previous: previous?.networks ?? null, harm: inputs.harm,
      activity: { asOfDay: inputs.asOfDay, ineligible: inputs.safeguardingOnly, custodySince: inputs.custodySince },
    },
    {
      ...ANALYSE_DEFAULTS, communities: { resolution: c.resolution, seed: c.seed, minNetworkSize: c.minNetworkSize }, lineageJaccard: c.lineageJaccard,
      activity: c.activity, timer: () => performanceNow(ctx),
    },
  );
  Object.assign(seconds, Object.fromEntries(Object.entries(a.summary.seconds).map(([k, v]) => [`analyse_${k}`, v])));
  lap('analyse');

  // Change: harm trends, ranks (banded, non-historic nominals only), alerts.
  const harmSeries = new Map<string, HarmPoint[]>();
  for (const week of history) for (const n of week.networkHarm) harmSeries.set(n.network_id, [...(harmSeries.get(n.network_id) ?? []), { period: week.asOf, harm: n.harm_cchi }]);
  const trends = a.networks.map((n) => harmTrend(n.network_id, opts.asOf, n.harm, harmSeries.get(n.network_id) ?? []));
  const eligible = Uint8Array.from(a.csr.nodes, (id) => (inputs.ranked.has(id) ? 1 : 0));
  const columns = measureColumns(a);
  const current = new Map<Measure, Int32Array>(RANKED_MEASURES.map((m) => [m, rankColumn(columns[m], eligible)]));
  const weekBefore = (weeks: number) => {
    const target = addDays(opts.asOf, -7 * weeks);
    const w = history.filter((h) => h.asOf <= target && h.asOf > addDays(target, -7) && h.ranks).sort((x, y) => (x.asOf < y.asOf ? 1 : -1))[0];
    return w?.ranks ?? null;
  };
  const earlier1w = weekBefore(1);
  const earlier12w = weekBefore(12);
  // Only rises matter for "gaining influence": build change rows for those, not for everyone.
  const changes: RankChange[] = [];
  if (earlier1w) {
    for (const m of RANKED_MEASURES) {
      const col = current.get(m)!;
      const before = earlier1w.get(m);
      if (!before) continue;
      a.csr.nodes.forEach((id, i) => {
        const b = before.get(id);
        if (col[i]! > 0 && b !== undefined && b > col[i]!) changes.push({ nominal_id: id, measure: m, rank: col[i]!, change_1w: b - col[i]!, change_12w: null });
      });
    }
  }
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
    await writeCentrality(ctx, a, current, earlier1w, earlier12w);
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
      const cols = RANKED_MEASURES.map((m) => current.get(m)!);
      a.csr.nodes.forEach((id, i) => {
        if (!eligible[i]) return;
        app.appendDate(dateValue(opts.asOf));
        app.appendVarchar(id);
        for (const c of cols) app.appendInteger(c[i]!);
        app.endRow();
      });
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
    for (const n of a.networks) {
      app.appendDate(dateValue(asOf));
      app.appendVarchar(n.network_id);
      app.appendInteger(n.size);
      app.appendDouble(n.harm);
      nullable(app, n.active_members, true);
      app.endRow();
    }
  });
}

async function writeCentrality(
  ctx: StageContext, a: Analysis, current: ReadonlyMap<Measure, Int32Array>,
  earlier1w: ReadonlyMap<Measure, ReadonlyMap<string, number>> | null, earlier12w: ReadonlyMap<Measure, ReadonlyMap<string, number>> | null,
): Promise<void> {
  const order: Measure[] = ['pagerank', 'betweenness', 'degree', 'weighted_degree', 'eigenvector', 'closeness', 'key_player_impact'];
  await append(ctx, 'centrality', (app) => {
    a.csr.nodes.forEach((id, i) => {
      const k = a.networkIndex[i]!;
      app.appendVarchar(id);
      if (k >= 0) app.appendVarchar(a.networks[k]!.network_id);
      else app.appendNull();
      app.appendInteger(a.degree[i]!);
      for (const col of [a.weightedDegree, a.pagerank, a.eigenvector, a.betweenness, a.betweennessInNetwork, a.closeness, a.keyPlayerImpact, a.harmCutOff]) app.appendDouble(col[i]!);
      for (const m of order) {
        const rank = current.get(m)![i]!;
        const b1 = earlier1w?.get(m)?.get(id);
        const b12 = earlier12w?.get(m)?.get(id);
        nullable(app, rank > 0 ? rank : null, true);
        nullable(app, rank > 0 && b1 !== undefined ? b1 - rank : null, true);
        nullable(app, rank > 0 && b12 !== undefined ? b12 - rank : null, true);
      }
      app.endRow();
    });
  });
}

function measureColumns(a: Analysis): Record<Measure, Float64Array> {
  return {
    degree: a.degree, weighted_degree: a.weightedDegree, pagerank: a.pagerank, eigenvector: a.eigenvector,
    betweenness: a.betweenness, closeness: a.closeness, key_player_impact: a.keyPlayerImpact,
  };
}

async function previousFromHistory(ctx: StageContext, asOf: string): Promise<PreviousWeek | null> {
  const last = await ctx.db.value<string | null>('SELECT max(as_of)::VARCHAR FROM analysis.network_member_history WHERE as_of < $as_of::DATE', { as_of: asOf });
  if (!last) return null;
  const rows = await ctx.db.all<{ network_id: string; members: string[]; active_members: number | null }>(
    `SELECT m.network_id, list(m.nominal_id ORDER BY m.nominal_id) AS members, any_value(h.active_members) AS active_members
     FROM analysis.network_member_history AS m
     LEFT JOIN analysis.network_history AS h ON h.as_of = m.as_of AND h.network_id = m.network_id
     WHERE m.as_of = $last::DATE GROUP BY m.network_id ORDER BY m.network_id`,
    { last },
  );
  return { networks: rows.map((r) => ({ network_id: r.network_id, members: r.members, active_members: r.active_members === null ? null : Number(r.active_members) })) };
}

async function historyFromTables(ctx: StageContext, asOf: string): Promise<NonNullable<PreviousWeek['history']>> {
  const harm = await ctx.db.all<{ as_of: string; network_id: string; harm_cchi: number }>(
    `SELECT as_of::VARCHAR AS as_of, network_id, harm_cchi FROM analysis.network_history
     WHERE as_of < $as_of::DATE AND as_of >= $as_of::DATE - INTERVAL 13 WEEK ORDER BY as_of, network_id`, { as_of: asOf });
  const weeks = new Map<string, { asOf: string; networkHarm: { network_id: string; harm_cchi: number }[]; ranks?: Map<Measure, Map<string, number>> }>();
  const week = (d: string) => weeks.get(d) ?? weeks.set(d, { asOf: d, networkHarm: [] }).get(d)!;
  for (const r of harm) week(r.as_of).networkHarm.push({ network_id: r.network_id, harm_cchi: r.harm_cchi });
  for (const d of [addDays(asOf, -7), addDays(asOf, -84)]) {
    const cols = (await ctx.db.connection.runAndReadAll(
      `SELECT nominal_id, ${RANKED_MEASURES.join(', ')} FROM analysis.rank_history WHERE as_of = $d::DATE ORDER BY nominal_id`, { d },
    )).getColumns();
    if (!cols[0] || cols[0].length === 0) continue;
    const ids = cols[0] as string[];
    week(d).ranks = new Map(RANKED_MEASURES.map((m, k) => [m, new Map(ids.map((id, i) => [id, Number(cols[k + 1]![i])]))]));
  }
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


/** Stage timings come from the context's clock, so tests with a fixed clock get zeros. */
function performanceNow(ctx: StageContext): number {
  return ctx.clock().getTime();
}

export type { WeekInputs };
