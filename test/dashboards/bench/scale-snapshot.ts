// A larger synthetic snapshot for the dashboards benchmark: N nominals in networks of 10, plus one
// 500-member network (ring + seeded chords), written with the real writeSnapshot. Synthetic only.

import { writeSnapshot } from '../../../pipelines/snapshot/write-snapshot.ts';
import { freshContext } from '../../helpers/context.ts';

export async function writeScaleSnapshot(snapshotsDir: string, nominals = 20_000, bigNetwork = 500): Promise<string> {
  const ctx = await freshContext({ now: '2026-11-16T03:00:00Z' });
  const db = ctx.db;
  try {
    await db.run(`CREATE TABLE nominals AS
      SELECT 'N' || i AS nominal_id, 'Person ' || i AS display_name, DATE '1990-01-01' + (i % 7000)::INTEGER AS date_of_birth,
             CASE WHEN i % 2 = 0 THEN 'M' ELSE 'F' END AS sex, i % 50 = 0 AS under_18, i % 40 = 0 AS in_custody, false AS historic,
             CASE WHEN i % 25 = 0 THEN NULL ELSE (i * 37 % 500)::DOUBLE END AS harm_cchi,
             CASE WHEN i % 25 = 0 THEN NULL ELSE (i * 37 % 500) * 0.75 END AS harm_cchi_proven,
             CASE WHEN i % 25 = 0 THEN NULL ELSE (i * 37 % 500) * 0.25 END AS harm_cchi_alleged,
             CASE WHEN i % 25 = 0 THEN NULL ELSE (i * 37 % 500) / 10.0 END AS harm_ons,
             CASE WHEN i % 25 = 0 THEN NULL WHEN i * 37 % 500 >= 365 THEN 'A' WHEN i * 37 % 500 >= 60 THEN 'B' WHEN i * 37 % 500 >= 10 THEN 'C' ELSE 'D' END AS harm_band,
             CASE WHEN i < $big THEN 'NET-BIG' ELSE 'NET-' || (i // 10) END AS network_id,
             2.0 AS degree, 2.0 AS weighted_degree, 1.0 / $n AS pagerank, 0.01 AS eigenvector, 0.01 AS betweenness,
             CASE WHEN i % 25 = 0 THEN NULL ELSE 0.01 END AS key_player_impact, i % 25 = 0 AS victim_only
      FROM range($n) t(i)`, { n: nominals, big: bigNetwork });
    await db.run(`CREATE TABLE edges AS
      WITH pairs AS (
        SELECT i AS a, CASE WHEN i < $big THEN (i + 1) % $big ELSE CASE WHEN i % 10 = 9 THEN i - 9 ELSE i + 1 END END AS b FROM range($n) t(i)
        UNION ALL SELECT i, (i * 7 + 13) % $big FROM range($big) t(i)
      )
      SELECT DISTINCT 'N' || least(a, b) AS nominal_a, 'N' || greatest(a, b) AS nominal_b,
             CASE WHEN (a + b) % 5 = 0 THEN 'INTEL_ASSOCIATION' ELSE 'CO_OFFENDING' END AS link_types,
             CASE WHEN (a + b) % 5 = 0 THEN 'intelligence — not evidence' ELSE 'recorded crime' END AS evidential_class,
             1.0 AS weight, 1::BIGINT AS evidence_count, DATE '2026-01-01' AS first_seen, DATE '2026-10-01' AS last_seen
      FROM pairs WHERE a <> b`, { n: nominals, big: bigNetwork });
    await db.run(`CREATE TABLE edge_evidence AS SELECT nominal_a, nominal_b, link_types AS link_type, 'crime' AS source,
      'REF-' || nominal_a || '-' || nominal_b AS record_ref, DATE '2026-10-01' AS record_date, NULL::VARCHAR AS handling_code FROM edges`);
    await db.run(`CREATE TABLE harm_explanations AS SELECT nominal_id, 'CRM-' || nominal_id || '-' || k AS record_ref, '008/01' AS offence_code,
      DATE '2026-06-01' AS record_date, CASE k WHEN 1 THEN 'CONVICTED' ELSE 'UNDER_INVESTIGATION' END AS outcome, harm_cchi AS cchi_days,
      1.0 AS ons_weight, 1.0 AS decay_factor, CASE k WHEN 1 THEN 1.0 ELSE 0.5 END AS outcome_factor,
      CASE k WHEN 1 THEN harm_cchi_proven ELSE harm_cchi_alleged END AS contribution_cchi, 1.0 AS contribution_ons
      FROM nominals, range(1, 3) t(k) WHERE harm_cchi IS NOT NULL`);
    await db.run(`CREATE TABLE nominal_sources AS SELECT nominal_id, 'crime' AS source, 'CR-' || nominal_id AS person_ref, 0.97 AS match_probability FROM nominals`);
    await db.run(`CREATE TABLE networks AS SELECT network_id, count(*)::BIGINT AS size, CASE WHEN network_id = 'NET-BIG' THEN 'COUNTY_LINES' ELSE 'SOC' END AS types,
      sum(harm_cchi) AS harm_cchi, sum(harm_cchi_proven) AS harm_cchi_proven, sum(harm_cchi_alleged) AS harm_cchi_alleged, sum(harm_ons) AS harm_ons,
      'CONTINUED' AS lineage_event, NULL::VARCHAR AS parent_network_ids FROM nominals GROUP BY network_id`);
    await db.run(`CREATE TABLE alerts AS SELECT 'NETWORK_HARM_RISING' AS alert_type, 'NET-BIG' AS subject_id, 'rising' AS detail, '' AS evidence`);
    const order: Record<string, string> = {
      nominals: 'nominal_id', nominal_sources: 'nominal_id, source, person_ref', edges: 'nominal_a, nominal_b',
      edge_evidence: 'nominal_a, nominal_b, record_ref', harm_explanations: 'nominal_id, record_ref', networks: 'network_id', alerts: 'alert_type, subject_id',
    };
    const r = await writeSnapshot(ctx, {
      asOf: '2026-11-16', snapshotsDir, codeVersion: 'bench', referenceTables: [],
      inputs: ['crime', 'custody', 'intel', 'pins', 'missing'].map((source) => ({ source, path: `${source}.csv`, sha256: null, rows_read: 1, rows_loaded: 1, rows_rejected: 0, status: 'loaded' })),
      tables: Object.entries(order).map(([name, orderBy]) => ({ name, sql: `SELECT * FROM ${name}`, orderBy })),
    });
    return r.snapshotId;
  } finally {
    db.close();
  }
}
