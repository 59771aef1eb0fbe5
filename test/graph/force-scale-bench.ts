// Measures the whole analysis (graph/analyse.ts) on a synthetic force-scale week: ~1M nodes, a few million edges,
// most nodes in small components. Prints JSON with the stage timings and peak RSS.
// Usage: node_modules/.bin/tsx test/graph/force-scale-bench.ts [--nodes 1000000] [--seed 1] [--stage]
// --stage: load the synthetic week into an in-memory warehouse (graph.edge, score.nominal_harm) and time analyseWeek instead.
// Without --stage the week is analysed twice with activity-aware tracking (link dates, custody, victims from a second seeded
// generator): once as a first week, once with the first week's networks as the previous week's.

import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { analyse } from '../../graph/analyse.ts';
import { seededRandom } from '../../graph/csr/seeded-random.ts';

const { values } = parseArgs({ options: { nodes: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '1' }, stage: { type: 'boolean', default: false } } });
const target = Number(values.nodes);
const rng = seededRandom(Number(values.seed));
const source: string[] = [];
const dest: string[] = [];
const weight: number[] = [];
let next = 0;
const id = (i: number) => `NOM-${String(i).padStart(8, '0')}`;
// Components: mostly 2–40 nodes; 1 in 2000 is a 2k–8k-node cluster. Each is a random tree plus extra edges (avg degree ≈ 6).
while (next < target) {
  const big = rng() < 0.0005;
  const size = Math.min(target - next, big ? 2000 + Math.floor(rng() * 6000) : 2 + Math.floor(rng() ** 2 * 39));
  const base = next;
  next += size;
  for (let k = 1; k < size; k++) {
    source.push(id(base + k));
    dest.push(id(base + Math.floor(rng() * k)));
    weight.push(0.5 + Math.floor(rng() * 4) / 4);
  }
  const extra = Math.floor(size * 2);
  for (let e = 0; e < extra && size > 2; e++) {
    const a = base + Math.floor(rng() * size);
    const b = base + Math.floor(rng() * size);
    if (a === b) continue;
    source.push(id(a));
    dest.push(id(b));
    weight.push(0.5 + Math.floor(rng() * 4) / 4);
  }
}
const harm = new Map<string, number>();
for (let i = 0; i < next; i += 3) harm.set(id(i), Math.floor(rng() * 400));

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let report: Record<string, unknown>;
if (values.stage) {
  const { freshContext } = await import('../helpers/context.ts');
  const { analyseWeek } = await import('../../pipelines/analyse/analyse-week.ts');
  const ctx = await freshContext();
  await ctx.db.run('CREATE SCHEMA graph; CREATE SCHEMA score;');
  await ctx.db.run('CREATE TABLE graph.edge (nominal_a VARCHAR, nominal_b VARCHAR, weight DOUBLE, link_types VARCHAR[])');
  await ctx.db.run('CREATE TABLE score.nominal_harm (nominal_id VARCHAR, harm_cchi DOUBLE, harm_band VARCHAR)');
  const { DuckDBListValue } = await import('@duckdb/node-api');
  let app = await ctx.db.connection.createAppender('edge', 'graph');
  const types = new DuckDBListValue(['CO_OFFENDING']);
  for (let e = 0; e < source.length; e++) {
    const [a, b] = source[e]! < dest[e]! ? [source[e]!, dest[e]!] : [dest[e]!, source[e]!];
    app.appendVarchar(a); app.appendVarchar(b); app.appendDouble(weight[e]!); app.appendList(types); app.endRow();
  }
  app.flushSync(); app.closeSync();
  app = await ctx.db.connection.createAppender('nominal_harm', 'score');
  for (let i = 0; i < next; i++) {
    const h = harm.get(id(i)) ?? 0;
    app.appendVarchar(id(i)); app.appendDouble(h);
    if (h >= 365) app.appendVarchar('A'); else if (h >= 60) app.appendVarchar('B'); else if (h >= 10) app.appendVarchar('C'); else if (h > 0) app.appendVarchar('D'); else app.appendNull();
    app.endRow();
  }
  app.flushSync(); app.closeSync();
  const loaded = performance.now();
  const cpuLoaded = process.cpuUsage();
  const perf = { ...ctx, clock: () => new Date(performance.timeOrigin + performance.now()) };
  const r = await analyseWeek(perf, { asOf: '2026-11-16', previous: null });
  report = { stage: 'analyseWeek', nominals: next, edge_rows: source.length, load_seconds: Number(((loaded - t0) / 1000).toFixed(2)), stage_seconds: Number(((performance.now() - loaded) / 1000).toFixed(2)), stage_cpu_seconds: Number((((c) => (c.user + c.system) / 1e6)(process.cpuUsage(cpuLoaded))).toFixed(2)), networks: r.networks, alerts: r.alerts, seconds: r.seconds };
} else {
  // Link dates over the last two years, 3 % of nominals in custody (received in the last year), 10 % victims only.
  const rng2 = seededRandom(Number(values.seed) + 1);
  const asOfDay = 20_773; // 2026-11-16
  const lastSeen = source.map(() => asOfDay - Math.floor(rng2() ** 2 * 730));
  const custodySince = new Map<string, number>();
  const ineligible = new Set<string>();
  for (let i = 0; i < next; i++) {
    const u = rng2();
    if (u < 0.03) custodySince.set(id(i), asOfDay - Math.floor(rng2() * 365));
    else if (u < 0.13) ineligible.add(id(i));
  }
  const activity = { asOfDay, custodySince, ineligible };
  const edges = { source, target: dest, weight, lastSeen };
  const result = analyse({ edges, period: 'w1', previous: null, harm, activity }, { timer: () => performance.now() });
  const previous = result.networks.map((x) => ({ network_id: x.network_id, members: x.members, active_members: x.active_members }));
  const t1 = performance.now();
  const second = analyse({ edges, period: 'w2', previous, harm, activity: { ...activity, asOfDay: asOfDay + 7 } }, { timer: () => performance.now() });
  report = {
    nodes: result.summary.nodes, edges: result.summary.edges, components: result.summary.components, communities: result.summary.communities, networks: result.summary.networks,
    betweenness: result.summary.betweenness, within_network: result.summary.within_network, activity: result.summary.activity, seconds: result.summary.seconds,
    second_week: { seconds: Number(((performance.now() - t1) / 1000).toFixed(2)), networks: second.summary.networks, activity: second.summary.activity, lineage_seconds: second.summary.seconds.lineage },
  };
}
const total = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
process.stdout.write(JSON.stringify({ ...report, total_seconds: Number(total.toFixed(2)), cpu_seconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)), peak_rss_mb: Math.round(peak / 1e6) }) + '\n');
