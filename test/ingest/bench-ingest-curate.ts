// Times ingestDrop + curate (+ retention) on one drop folder, in a fresh file-backed warehouse.
// Usage: node_modules/.bin/tsx test/ingest/bench-ingest-curate.ts /tmp/harmnet-force/2026-11-16 [warehouse.duckdb]

import { rmSync } from 'node:fs';
import path from 'node:path';
import { Db } from '../../pipelines/core/db.ts';
import { resolveConfig } from '../../pipelines/core/config.ts';
import { consoleLog } from '../../pipelines/core/log.ts';
import { loadReferenceTables } from '../../pipelines/reference/load-reference.ts';
import { ingestDrop } from '../../pipelines/ingest/ingest-drop.ts';
import { curate } from '../../pipelines/curate/curate.ts';
import { applyRetention } from '../../pipelines/curate/retention.ts';

async function main(): Promise<void> {
  const drop = process.argv[2];
  if (!drop) throw new Error('usage: bench-ingest-curate.ts <drop-folder> [warehouse]');
  const file = process.argv[3] ?? '/tmp/harmnet-bench/warehouse.duckdb';
  rmSync(file, { force: true });
  rmSync(`${file}.wal`, { force: true });
  // Db.open's defaults (threads 2); ingest/curate cap DuckDB memory themselves (BULK_MEMORY_LIMIT).
  const db = await Db.open(file);
  const asOf = path.basename(path.resolve(drop));
  const ctx = { db, log: consoleLog(), clock: () => new Date(`${asOf}T06:00:00Z`), config: resolveConfig({ root: path.dirname(file) }) };
  const t0 = performance.now();
  await loadReferenceTables(ctx);
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const r = await ingestDrop(ctx, drop);
  const t2 = performance.now();
  const c2 = process.cpuUsage();
  const c = await curate(ctx, { asOf, dropAsOf: asOf });
  const t3 = performance.now();
  const c3 = process.cpuUsage();
  const ret = await applyRetention(ctx, { asOf });
  const t4 = performance.now();
  for (const s of Object.values(r.sources)) console.log(`${s.source}: ${s.status} read ${s.rows_read} loaded ${s.rows_loaded} rejected ${s.rows_rejected} — ${s.message.slice(0, 200)}`);
  console.log(JSON.stringify(c.counts));
  console.log(JSON.stringify(ret));
  const secs = (a: number, b: number) => ((b - a) / 1000).toFixed(1);
  const cpuS = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => ((b.user + b.system - a.user - a.system) / 1e6).toFixed(1);
  console.log(`CPU (user+system, all threads): ingest ${cpuS(c1, c2)} s, curate ${cpuS(c2, c3)} s`);
  console.log(`reference ${secs(t0, t1)} s, ingest ${secs(t1, t2)} s, curate ${secs(t2, t3)} s, retention ${secs(t3, t4)} s, ingest+curate ${secs(t1, t3)} s`);
  db.close();
}

await main();
