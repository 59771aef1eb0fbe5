// Client-side cost of publishing and of the bulk export on a synthetic snapshot (no Neo4j needed):
// usage: node_modules/.bin/tsx test/neo4j/bench-neo4j.ts [nominals=100000] [edges=300000] [batch=1000]

import path from 'node:path';
import { freshContext, removeDir } from '../helpers/context.ts';
import { writeSnapshot } from '../../pipelines/snapshot/write-snapshot.ts';
import { openSnapshot } from '../../pipelines/snapshot/read-snapshot.ts';
import { silentLog } from '../../pipelines/core/log.ts';
import { exportNeo4jImport } from '../../graph/neo4j/export-neo4j-import.ts';
import { publishToNeo4j } from '../../graph/neo4j/publish-to-neo4j.ts';
import { resolveNeo4jOptions } from '../../graph/neo4j/neo4j-options.ts';
import { recordingRunner } from './recording-runner.ts';

const [n = 100_000, e = 300_000, batch = 1000] = process.argv.slice(2).map(Number);
const ctx = await freshContext();
const dir = path.join(ctx.root, 'snaps');
try {
  let t = performance.now();
  const { snapshotId } = await writeSnapshot(ctx, {
    asOf: '2026-11-16',
    tables: [
      {
        name: 'nominals',
        orderBy: 'nominal_id',
        sql: `SELECT printf('N%08d', i) AS nominal_id, 'Name ' || i AS display_name, DATE '1990-01-01' + (i % 9000)::INTEGER AS date_of_birth,
                CASE WHEN i % 2 = 0 THEN 'M' ELSE 'F' END AS sex, i % 17 = 0 AS under_18, i % 23 = 0 AS in_custody, i % 29 = 0 AS historic,
                i % 3 = 0 AS safeguarding_only, (i % 500) * 1.5 AS harm_cchi, (i % 500) * 1.0 AS harm_cchi_proven, (i % 500) * 0.5 AS harm_cchi_alleged,
                (i % 700) * 2.0 AS harm_ons, 'C' AS harm_band, i::BIGINT AS harm_rank, printf('W%05d', i // 50) AS network_id,
                (i % 7)::INTEGER AS degree, (i % 7) * 0.5 AS weighted_degree, 1.0 / (i + 1) AS pagerank, 0.1 AS eigenvector,
                0.01 AS betweenness, 0.2 AS closeness, 0.0 AS key_player_impact
              FROM range(${n}) r(i)`,
      },
      {
        name: 'edges',
        orderBy: 'nominal_a, nominal_b',
        sql: `SELECT DISTINCT printf('N%08d', least(a, b)) AS nominal_a, printf('N%08d', greatest(a, b)) AS nominal_b,
                ['CO_OFFENDING']::VARCHAR[] AS link_types, 'recorded crime' AS evidential_class, false AS intelligence_only,
                1.0 AS weight, 1::BIGINT AS evidence_count, DATE '2025-01-01' AS first_seen, DATE '2025-06-01' AS last_seen
              FROM (SELECT i % ${n} AS a, (i * 7919 + 13) % ${n} AS b FROM range(${e}) r(i)) WHERE a <> b`,
      },
      {
        name: 'networks',
        orderBy: 'network_id',
        sql: `SELECT printf('W%05d', w) AS network_id, 50::BIGINT AS size, ['SOC']::VARCHAR[] AS types, 100.0 AS harm_cchi, 80.0 AS harm_cchi_proven,
                40.0 AS harm_cchi_alleged, 200.0 AS harm_ons, NULL::VARCHAR AS lineage_event, NULL::VARCHAR AS parent_network_ids
              FROM range(${Math.ceil(n / 50)}) r(w)`,
      },
    ],
    inputs: [],
    referenceTables: [],
    codeVersion: 'bench',
    snapshotsDir: dir,
  });
  const write = (performance.now() - t) / 1000;
  t = performance.now();
  const exported = await exportNeo4jImport(dir, snapshotId, path.join(ctx.root, 'import'));
  const exportSeconds = (performance.now() - t) / 1000;
  const snapshot = await openSnapshot(dir, snapshotId);
  const runner = recordingRunner();
  runner.calls.push = () => 0; // keep nothing: measure building and converting, not memory
  t = performance.now();
  const report = await publishToNeo4j(runner, snapshot, resolveNeo4jOptions({ batchSize: batch }), { log: silentLog, clock: () => new Date(), target: { uri: 'bench://none' } });
  const publishSeconds = (performance.now() - t) / 1000;
  snapshot.db.close();
  console.log(JSON.stringify({
    nominals_in_snapshot: n, write_snapshot_seconds: +write.toFixed(2),
    export: { files: exported.files, seconds: +exportSeconds.toFixed(2) },
    publish_client_side: { rows: report.rows, transactions: report.transactions, seconds: +publishSeconds.toFixed(2) },
    rss_mb: Math.round(process.memoryUsage().rss / 1e6),
  }));
} finally {
  ctx.db.close();
  removeDir(ctx.root);
}
