// Benchmark: edges + harm + network harm on a synthetic force-scale week generated in DuckDB SQL
// (default 1M nominals, ~4.5M involvement rows). Prints seconds per stage and peak RSS.
// Run: node_modules/.bin/tsx test/harm/bench-harm.ts [nominals] [warehouse-file]

import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Db } from '../../pipelines/core/db.ts';
import { resolveConfig } from '../../pipelines/core/config.ts';
import { silentLog } from '../../pipelines/core/log.ts';
import type { StageContext } from '../../pipelines/core/context.ts';
import { buildEdges } from '../../pipelines/network/build-edges.ts';
import { scoreHarm } from '../../pipelines/harm/score-harm.ts';
import { scoreNetworks } from '../../pipelines/harm/score-networks.ts';
import { createInputTables } from './input-tables.ts';

const AS_OF = '2026-11-16';
const nominals = Number(process.argv[2] ?? 1_000_000);
const file = process.argv[3] ?? path.join(os.tmpdir(), `harmnet-bench-${process.pid}.duckdb`);

export async function generate(db: Db, n: number): Promise<void> {
  await createInputTables(db);
  await db.run('SELECT setseed(0.42)');
  const crimes = Math.round(n * 1.5), occasions = Math.round(n * 0.5), reports = Math.round(n * 0.3), episodes = Math.round(n * 0.05);
  await db.run(`INSERT INTO person.nominal SELECT 'N' || lpad(i::VARCHAR, 7, '0'), 'x', DATE '1950-01-01' + (random() * 25000)::INTEGER, 'U', NULL FROM range(${n}) t(i)`);
  await db.run(`INSERT INTO person.nominal_sources SELECT 'N' || lpad(i::VARCHAR, 7, '0'), 'crime', 'I' || i, 'I' || i, 1.0 FROM range(${n}) t(i)`);
  await db.run(`INSERT INTO person.nominal_sources SELECT 'N' || lpad(i::VARCHAR, 7, '0'), 'custody', 'J' || i, 'J' || i, 0.97 FROM range(${n}) t(i) WHERE i % 5 = 0`);
  // identity of a random person: 'I' || k, or their second identity 'J' || k when k % 5 = 0
  const who = `(CASE WHEN k % 5 = 0 AND random() < 0.5 THEN 'J' ELSE 'I' END || k)`;
  const pickK = `(random() * ${n})::BIGINT`;
  await db.run(`
    INSERT INTO curated.involvement
    SELECT 'crime', 'C' || c, 'C' || c, ${who}, ${who}, role,
           CASE WHEN role IN ('SUSPECT','OFFENDER') THEN ['CONVICTED','CHARGED','CAUTIONED','UNDER_INVESTIGATION','NFA','ACQUITTED','NONE'][1 + (random() * 7)::INTEGER % 7] ELSE 'NONE' END,
           d, d, code, NULL, NULL, 'P', random() < 0.1, 2, NULL, NULL
    FROM (
      SELECT c, ${pickK} AS k, ['SUSPECT','SUSPECT','OFFENDER','VICTIM','WITNESS','OTHER'][1 + (random() * 6)::INTEGER % 6] AS role,
             DATE '${AS_OF}' - (hash(c) % 3000)::INTEGER AS d0,
             ['092/30','008/01','105/01','019/07','038/01','058/01','030/01','028/01','999/99'][1 + (c % 9)::INTEGER] AS code
      FROM range(${crimes}) t(c), range(1 + (hash(c) % 3)::INTEGER) u(j)
    ) x, LATERAL (SELECT d0 AS d)`);
  await db.run(`
    INSERT INTO curated.involvement
    SELECT 'custody', 'K' || o || '-' || j, 'OCC' || o, ${who}, ${who}, 'ARRESTED', 'CHARGED', d, d, NULL, NULL, NULL, 'P', false, 2, NULL, NULL
    FROM (SELECT o, j, ${pickK} AS k, DATE '${AS_OF}' - (random() * 3000)::INTEGER AS d FROM range(${occasions}) t(o), range(1 + (hash(o) % 2)::INTEGER) u(j)) x`);
  await db.run(`
    INSERT INTO curated.involvement
    SELECT 'intel', 'R' || r, 'R' || r, ${who}, ${who}, CASE WHEN j = 0 THEN 'SUBJECT' ELSE 'ASSOCIATE' END, NULL, d, d, NULL, NULL,
           ['DRUGS','COUNTY_LINES','CSE','FIREARMS','OCG','EXPLOITATION','OTHER'][1 + (r % 7)::INTEGER], 'C', false, 2, NULL, NULL
    FROM (SELECT r, j, ${pickK} AS k, DATE '${AS_OF}' - (random() * 3000)::INTEGER AS d FROM range(${reports}) t(r), range(1 + (hash(r) % 3)::INTEGER) u(j)) x`);
  await db.run(`
    INSERT INTO curated.involvement
    SELECT 'missing', 'E' || e, 'E' || e, ${who}, ${who}, CASE WHEN j = 0 THEN 'MISSING' ELSE 'FOUND_WITH' END, NULL, d, d, NULL, NULL, NULL, 'P', j = 0, 3, NULL, NULL
    FROM (SELECT e, j, ${pickK} AS k, DATE '${AS_OF}' - (random() * 1500)::INTEGER AS d FROM range(${episodes}) t(e), range(1 + (hash(e) % 2)::INTEGER) u(j)) x`);
  await db.run(`
    INSERT INTO curated.pins
    SELECT 'I' || k, 'I' || k, 'P' || s, 'HMP X', DATE '${AS_OF}' - (random() * 1500)::INTEGER, DATE '${AS_OF}' + (random() * 700)::INTEGER,
           CASE WHEN random() < 0.5 THEN DATE '${AS_OF}' - (random() * 300)::INTEGER END, NULL, '092/30'
    FROM (SELECT s, ${pickK} AS k FROM range(${Math.round(n * 0.03)}) t(s)) x`);
  await db.run(`INSERT INTO curated.offence VALUES
    ('092/30', NULL, 547.5, 'single', '92A', 512.9573593857484, 'found'), ('008/01', NULL, 912.5, 'ho_code_max', '8N', 36.6, 'found'),
    ('105/01', NULL, 10, 'single', '105A', NULL, 'missing'), ('019/07', NULL, 2555, 'single', '19D', 1000.3, 'found'),
    ('038/01', NULL, 10, 'single', '38', 55.5, 'found'), ('058/01', NULL, 1, 'single', '58A', 5.4, 'found'),
    ('030/01', NULL, 182.5, 'single', '30A', 60.1, 'found'), ('028/01', NULL, 273.5, 'single', '28E', 90.2, 'found')`);
}

async function main(): Promise<void> {
  rmSync(file, { force: true });
  const db = await Db.open(file);
  const ctx: StageContext = { db, log: silentLog, clock: () => new Date(`${AS_OF}T06:00:00Z`), config: resolveConfig({ root: os.tmpdir() }) };
  let t = performance.now();
  await generate(db, nominals);
  await db.run('CHECKPOINT');
  const rows = await db.value<number>('SELECT count(*) FROM curated.involvement');
  console.log(`generated ${nominals} nominals, ${rows} involvement rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const rssBefore = process.resourceUsage().maxRSS;
  const timings: Record<string, number> = {};
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const stageCpu: Record<string, number> = {};
  let c = process.cpuUsage();
  const cpuSince = () => { const d = process.cpuUsage(c); c = process.cpuUsage(); return Number(((d.user + d.system) / 1e6).toFixed(1)); };
  t = performance.now();
  const e = await db.transaction(() => buildEdges(ctx, { asOf: AS_OF }));
  timings.edges = (performance.now() - t) / 1000;
  stageCpu.edges = cpuSince();
  t = performance.now();
  const h = await db.transaction(() => scoreHarm(ctx, { asOf: AS_OF }));
  timings.harm = (performance.now() - t) / 1000;
  stageCpu.harm = cpuSince();
  t = performance.now();
  const n = await db.transaction(() => scoreNetworks(ctx, { asOf: AS_OF }));
  timings.networks = (performance.now() - t) / 1000;
  stageCpu.networks = cpuSince();
  const total = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = Number(((cpu.user + cpu.system) / 1e6).toFixed(1));
  console.log(JSON.stringify({ nominals, involvement_rows: rows, ...e, ...h, ...n, seconds: timings, total_seconds: Number(total.toFixed(1)), cpu_seconds_all_threads: cpuSeconds, cpu_seconds: stageCpu, load_average_1m: Number(os.loadavg()[0]!.toFixed(1)), peak_rss_mb_before_stages: Math.round(rssBefore / 1024), peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }));
  db.close();
  rmSync(file, { force: true });
  rmSync(`${file}.wal`, { force: true });
}

if (process.argv[1]?.endsWith('bench-harm.ts')) await main();
