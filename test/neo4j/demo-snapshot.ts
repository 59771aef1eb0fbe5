// A small demo-like snapshot for the Neo4j tests, written with the real writeSnapshot: six nominals
// (one safeguarding-only victim), two networks, four edges; `week2` drops N3 (MOPI) and moves N6.

import type { StageContext } from '../../pipelines/core/context.ts';
import { writeSnapshot } from '../../pipelines/snapshot/write-snapshot.ts';

/**
 * N1 band A in W1 with a name containing both quote kinds (it must never reach Cypher text or, by
 * default, Neo4j); N2 under 18; N3 in custody; N4 a safeguarding-only victim of N1; N5 historic and N6 in W2.
 */
const NOMINALS_WEEK1 = `
SELECT * FROM (VALUES
  ('N1', 'Dan ''Danny'' "The Quote" O''Brien', DATE '1990-01-01', 'M', false, false, false, false, 400.5, 300.5, 200.0, 1000.25, 'A', 1, 'W1', 2, 3.5, 0.4, 0.7, 0.5, 0.9, 0.25),
  ('N2', 'Ann Smith',   DATE '2010-05-05', 'F', true,  false, false, false, 100.0, 100.0, 0.0,   250.0, 'B', 2, 'W1', 2, 2.0, 0.3, 0.5, 0.0, 0.6, 0.1),
  ('N3', 'Bob Jones',   DATE '1985-03-03', 'M', false, true,  false, false, 20.0,  20.0,  0.0,   40.0,  'C', 3, 'W1', 1, 1.0, 0.2, 0.3, 0.0, 0.4, 0.0),
  ('N4', 'Vic Tim',     DATE '1970-07-07', 'F', false, false, false, true,  NULL,  NULL,  NULL,  NULL,  NULL, NULL, 'W1', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  ('N5', 'Eve Old',     DATE '1960-06-06', 'F', false, false, true,  false, 5.0,   5.0,   0.0,   8.0,   'D', 4, 'W2', 1, 0.5, 0.05, 0.1, 0.0, 0.2, 0.0),
  ('N6', 'Finn Six',    DATE '1999-09-09', 'M', false, false, false, false, 12.0,  2.0,   20.0,  30.0,  'C', 5, 'W2', 1, 0.5, 0.05, 0.1, 0.0, 0.2, 0.0)
) AS t(nominal_id, display_name, date_of_birth, sex, under_18, in_custody, historic, safeguarding_only,
       harm_cchi, harm_cchi_proven, harm_cchi_alleged, harm_ons, harm_band, harm_rank, network_id,
       degree, weighted_degree, pagerank, eigenvector, betweenness, closeness, key_player_impact)`;

const EDGES_WEEK1 = `
SELECT nominal_a, nominal_b, link_types::VARCHAR[] AS link_types, evidential_class, intelligence_only, weight,
       evidence_count::BIGINT AS evidence_count, first_seen, last_seen
FROM (VALUES
  ('N1', 'N2', ['CO_OFFENDING', 'INTEL_ASSOCIATION'], 'recorded crime; intelligence — not evidence', false, 1.5, 3, DATE '2024-01-10', DATE '2026-10-01'),
  ('N1', 'N4', ['OFFENDER_VICTIM'], 'recorded crime', false, 0.6, 1, DATE '2025-02-02', DATE '2025-02-02'),
  ('N2', 'N3', ['CO_OFFENDING'], 'recorded crime', false, 1.0, 1, DATE '2025-03-03', DATE '2025-03-03'),
  ('N5', 'N6', ['INTEL_ASSOCIATION'], 'intelligence — not evidence', true, 0.5, 2, DATE '2023-04-04', DATE '2026-01-01')
) AS t(nominal_a, nominal_b, link_types, evidential_class, intelligence_only, weight, evidence_count, first_seen, last_seen)`;

const NETWORKS_WEEK1 = `
SELECT network_id, size::BIGINT AS size, types::VARCHAR[] AS types, harm_cchi, harm_cchi_proven, harm_cchi_alleged, harm_ons, lineage_event, parent_network_ids
FROM (VALUES
  ('W1', 4, ['CSE', 'SOC'], 520.5, 420.5, 200.0, 1290.25, 'continued', 'W1'),
  ('W2', 2, [], 17.0, 7.0, 20.0, 38.0, NULL, NULL)
) AS t(network_id, size, types, harm_cchi, harm_cchi_proven, harm_cchi_alleged, harm_ons, lineage_event, parent_network_ids)`;

export interface DemoWeek {
  nominals: string;
  edges: string;
  networks: string;
}

export const WEEK1: DemoWeek = { nominals: NOMINALS_WEEK1, edges: EDGES_WEEK1, networks: NETWORKS_WEEK1 };

/**
 * Week 2: N3 removed by MOPI retention (with its link N2–N3); N6 moved to a new network W3; N1's harm
 * changed; a new custody link N2–N5 makes N2 (W1) a broker towards W2.
 */
export const WEEK2: DemoWeek = {
  nominals: `SELECT * REPLACE (
      CASE WHEN nominal_id = 'N6' THEN 'W3' ELSE network_id END AS network_id,
      CASE WHEN nominal_id = 'N1' THEN 410.0 ELSE harm_cchi END AS harm_cchi)
    FROM (${NOMINALS_WEEK1}) WHERE nominal_id <> 'N3'`,
  edges: `SELECT * FROM (${EDGES_WEEK1}) WHERE NOT (nominal_a = 'N2' AND nominal_b = 'N3')
    UNION ALL SELECT 'N2', 'N5', ['CO_ARREST']::VARCHAR[], 'custody', false, 0.8, 1::BIGINT, DATE '2026-11-10', DATE '2026-11-10'`,
  networks: `SELECT * FROM (${NETWORKS_WEEK1}) UNION ALL
    SELECT 'W3', 1::BIGINT, ['SOC']::VARCHAR[], 12.0, 2.0, 20.0, 30.0, 'split', 'W2'`,
};

/** Writes one snapshot of `week` as at `asOf` into `snapshotsDir`; returns its id. */
export async function writeDemoSnapshot(ctx: StageContext, snapshotsDir: string, asOf: string, week: DemoWeek): Promise<string> {
  const { snapshotId } = await writeSnapshot(ctx, {
    asOf,
    tables: [
      { name: 'nominals', sql: week.nominals, orderBy: 'nominal_id' },
      { name: 'edges', sql: week.edges, orderBy: 'nominal_a, nominal_b' },
      { name: 'networks', sql: week.networks, orderBy: 'network_id' },
    ],
    inputs: [],
    referenceTables: [],
    codeVersion: 'test',
    snapshotsDir,
  });
  return snapshotId;
}
