// Benchmark: a force-scale snapshot (1M nominals with every snapshot.md column, 3M edges, 10k
// networks) generated in DuckDB SQL, written, verified and re-written; prints one JSON object.
// Usage: node_modules/.bin/tsx test/bench/snapshot-bench.ts [--nominals N] [--edges N] [--keep]

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Db } from '../../pipelines/core/db.ts';
import { resolveConfig } from '../../pipelines/core/config.ts';
import { silentLog } from '../../pipelines/core/log.ts';
import { writeSnapshot } from '../../pipelines/snapshot/write-snapshot.ts';
import { verifySnapshot } from '../../pipelines/snapshot/verify-snapshot.ts';
import { openSnapshot } from '../../pipelines/snapshot/read-snapshot.ts';
import { diffSnapshots } from '../../pipelines/snapshot/diff-snapshots.ts';
import { removeTree } from '../../pipelines/snapshot/durable-fs.ts';

const { values } = parseArgs({ options: { nominals: { type: 'string', default: '1000000' }, edges: { type: 'string', default: '3000000' }, keep: { type: 'boolean', default: false } } });
const nominals = Number(values.nominals);
const edges = Number(values.edges);
const root = mkdtempSync(path.join(os.tmpdir(), 'harmnet-snapbench-'));
const snapshotsDir = path.join(root, 'snapshots');
const secs = (t0: number) => Math.round((performance.now() - t0) / 10) / 100;

const db = await Db.open(':memory:');
const ctx = { db, log: silentLog, clock: () => new Date('2026-11-16T06:00:00Z'), config: resolveConfig({ root }) };
let t0 = performance.now();
await db.run('CREATE SCHEMA w');
await db.run(`CREATE TABLE w.nominals AS
  SELECT 'N' || lpad(i::VARCHAR, 8, '0') AS nominal_id,
         'Person ' || md5(i::VARCHAR)[1:10] AS display_name,
         DATE '1960-01-01' + (hash(i, 1) % 18000)::INTEGER AS date_of_birth,
         CASE WHEN i % 2 = 0 THEN 'M' ELSE 'F' END AS sex,
         hash(i, 2) % 20 = 0 AS under_18, hash(i, 3) % 30 = 0 AS in_custody, hash(i, 4) % 10 = 0 AS historic,
         (hash(i, 5) % 100000) / 100.0 AS harm_cchi, (hash(i, 6) % 60000) / 100.0 AS harm_cchi_proven,
         (hash(i, 7) % 40000) / 100.0 AS harm_cchi_alleged, (hash(i, 8) % 5000) / 10.0 AS harm_ons,
         CASE WHEN hash(i, 5) % 100000 > 36500 THEN 'A' WHEN hash(i, 5) % 100000 > 6000 THEN 'B' WHEN hash(i, 5) % 100000 > 1000 THEN 'C' END AS harm_band,
         'K' || (hash(i, 9) % 10000)::VARCHAR AS network_id,
         (hash(i, 10) % 40)::INTEGER AS degree, (hash(i, 11) % 4000) / 100.0 AS weighted_degree,
         (hash(i, 12) % 1000000) / 1e9 AS pagerank, (hash(i, 13) % 1000000) / 1e6 AS eigenvector,
         (hash(i, 14) % 1000000) / 1e3 AS betweenness, (hash(i, 15) % 1000) / 1e3 AS key_player_impact
  FROM range($n) t(i)`, { n: nominals });
await db.run(`CREATE TABLE w.edges AS
  SELECT 'N' || lpad((hash(i, 20) % $n)::VARCHAR, 8, '0') AS nominal_a,
         'N' || lpad((hash(i, 21) % $n)::VARCHAR, 8, '0') || '-' || i::VARCHAR AS nominal_b,
         ['CO_OFFENDING', 'CO_ARREST', 'INTEL_ASSOCIATION'][1:(1 + hash(i, 22) % 3)::INTEGER] AS link_types,
         CASE WHEN hash(i, 23) % 3 = 0 THEN 'alleged' ELSE 'proven' END AS evidential_class,
         (hash(i, 24) % 300) / 100.0 AS weight, (1 + hash(i, 25) % 9)::INTEGER AS evidence_count,
         DATE '2018-01-01' + (hash(i, 26) % 3000)::INTEGER AS first_seen,
         DATE '2024-01-01' + (hash(i, 27) % 1000)::INTEGER AS last_seen
  FROM range($e) t(i)`, { n: nominals, e: edges });
await db.run(`CREATE TABLE w.networks AS
  SELECT network_id, count(*) AS size, ['CO_OFFENDING'] AS types, sum(harm_cchi) AS harm_cchi, sum(harm_cchi_proven) AS harm_cchi_proven,
         sum(harm_cchi_alleged) AS harm_cchi_alleged, sum(harm_ons) AS harm_ons, 'continued' AS lineage_event, []::VARCHAR[] AS parent_network_ids
  FROM w.nominals GROUP BY network_id`);
const generateSeconds = secs(t0);

const tables = [
  { name: 'nominals', sql: 'SELECT * FROM w.nominals', orderBy: 'nominal_id' },
  { name: 'edges', sql: 'SELECT * FROM w.edges', orderBy: 'nominal_a, nominal_b' },
  { name: 'networks', sql: 'SELECT * FROM w.networks', orderBy: 'network_id' },
];
const opts = { asOf: '2026-11-16', tables, inputs: [], referenceTables: [], codeVersion: 'bench', snapshotsDir };

t0 = performance.now();
const first = await writeSnapshot(ctx, opts);
const writeSeconds = secs(t0);

t0 = performance.now();
const verified = await verifySnapshot(snapshotsDir, first.snapshotId);
const verifySeconds = secs(t0);

t0 = performance.now();
const opened = await openSnapshot(snapshotsDir, first.snapshotId);
const top = await opened.db.value(`SELECT count(*) FROM nominals WHERE harm_band = 'A'`);
opened.db.close();
const openQuerySeconds = secs(t0);

// Re-write the same content into a second folder: every file must be byte-identical.
t0 = performance.now();
const second = await writeSnapshot(ctx, { ...opts, snapshotsDir: path.join(root, 'again') });
const rewriteSeconds = secs(t0);
const identical = second.snapshotId === first.snapshotId && Object.entries(first.tables).every(([k, t]) => second.tables[k]!.sha256 === t.sha256);

// A week later with 1% of nominals' harm changed: diff time.
await db.run(`UPDATE w.nominals SET harm_cchi = harm_cchi + 50 WHERE hash(nominal_id, 99) % 100 = 0`);
const third = await writeSnapshot(ctx, { ...opts, asOf: '2026-11-23' });
t0 = performance.now();
const d = await diffSnapshots(snapshotsDir, first.snapshotId, third.snapshotId, { limit: 100 });
const diffSeconds = secs(t0);

db.close();
const result = {
  nominals, edges, networks: first.tables.networks!.rows,
  bytes: verified.bytes,
  generate_seconds: generateSeconds,
  write_seconds: writeSeconds, write_target_seconds: 30,
  verify_seconds: verifySeconds, verify_target_seconds: 15,
  open_and_query_seconds: openQuerySeconds, band_a_nominals: top,
  rewrite_seconds: rewriteSeconds, byte_identical: identical,
  diff_seconds: diffSeconds, diff_nominals_changed: d.nominals.counts.changed,
  rss_mb_at_end: Math.round(process.memoryUsage().rss / 1e6),
};
process.stdout.write(JSON.stringify(result) + '\n');
if (values.keep) process.stderr.write(`kept: ${snapshotsDir}\n`);
if (!values.keep) removeTree(snapshotsDir), removeTree(path.join(root, 'again')), rmSync(root, { recursive: true, force: true });
