// Test fixture: two small snapshots (2026-11-09 and 2026-11-16) written by the real writeSnapshot
// (Parquet + manifest), plus an in-progress '.tmp-' folder that must be ignored. Values check by hand.

import { cpSync } from 'node:fs';
import path from 'node:path';
import { literal, type Db } from '../../pipelines/core/db.ts';
import { writeSnapshot } from '../../pipelines/snapshot/write-snapshot.ts';
import { freshContext } from '../helpers/context.ts';

export interface FixtureIds {
  old: string;
  new: string;
}

interface Week {
  asOf: string;
  previous: boolean;
  harmScale: number;
  pinsStatus: string;
}

const WEEKS: Week[] = [
  { asOf: '2026-11-09', previous: false, harmScale: 0.5, pinsStatus: 'loaded' },
  { asOf: '2026-11-16', previous: true, harmScale: 1, pinsStatus: 'missing' },
];

const ORDER: Record<string, string> = {
  nominals: 'nominal_id', nominal_sources: 'nominal_id, source, person_ref', edges: 'nominal_a, nominal_b',
  edge_evidence: 'nominal_a, nominal_b, record_ref', harm_explanations: 'nominal_id, record_ref', networks: 'network_id',
  alerts: 'alert_type, subject_id', data_quality: 'source, "check"',
  fairness: 'attribute, harm_band, "group"', fairness_history: 'as_of, attribute, harm_band, "group"',
  record_locations: 'nominal_id, record_ref',
};

// Approximate places of scored records (record_location.sql): NET-1 has N1's two and N2's one to map; N3's is
// there too but N3 is under 18, so the map leaves it out; N6's is NET-2's.
const LOCATIONS: [string, string, string, string, number, number][] = [
  ['N1', 'CRM-N1-1', '2026-06-01', 'proven', 52.486, -1.89],
  ['N1', 'CRM-N1-2', '2026-09-01', 'alleged', 52.479, -1.903],
  ['N2', 'CRM-N2-1', '2026-06-01', 'proven', 52.47, -1.88],
  ['N3', 'CRM-N3-1', '2026-06-01', 'proven', 52.5, -1.85],
  ['N6', 'CRM-N6-2', '2026-09-01', 'alleged', 52.41, -1.51],
];

// fairness cells (attribute, group, cohort, count, share, baseline_share, disparity_ratio, flagged): sex over the
// 8 nominals (5 M, 3 F); in the newer week ethnicity B1 is 12 of 30 band A (0.4) against 0.2 of all → ratio 2.0,
// over the 1.25 threshold with at least 10 people, so flagged; in the older week 6 of 30 (0.2) → ratio 1.0.
function fairnessCells(w: Week): unknown[][] {
  const b1 = w.previous ? 12 : 6;
  return [
    ['ethnicity', 'B1', 'all', 20, 0.2, 0.2, 1.0, false],
    ['ethnicity', 'W1', 'all', 80, 0.8, 0.8, 1.0, false],
    ['ethnicity', 'B1', 'A', b1, b1 / 30, 0.2, b1 / 30 / 0.2, w.previous],
    ['ethnicity', 'W1', 'A', 30 - b1, (30 - b1) / 30, 0.8, (30 - b1) / 30 / 0.8, false],
    ['sex', 'F', 'all', 3, 0.375, 0.375, 1.0, false],
    ['sex', 'M', 'all', 5, 0.625, 0.625, 1.0, false],
  ];
}

// nominal_id, name, dob, sex, under_18, in_custody, harm (null = victim only), band, network, degree, pagerank, victim_only
const NOMINALS: [string, string, string, string, boolean, boolean, number | null, string | null, string, number, number, boolean][] = [
  ['N1', 'Alpha ADAMS', '1990-01-01', 'M', false, false, 400, 'A', 'NET-1', 3, 0.30, false],
  ['N2', 'Bravo BROWN', '1992-02-02', 'F', false, false, 100, 'B', 'NET-1', 2, 0.20, false],
  ['N3', 'Charlie CLARK', '2010-03-03', 'M', true, false, 20, 'C', 'NET-1', 1, 0.10, false],
  ['N4', 'Delta DAVIS', '1985-04-04', 'M', false, true, 5, 'D', 'NET-1', 1, 0.10, false],
  ['N5', 'Echo EVANS', '2000-05-05', 'F', false, false, null, null, 'NET-1', 1, 0.05, true],
  ['N6', 'Foxtrot FORD', '1988-06-06', 'M', false, false, 70, 'B', 'NET-2', 1, 0.10, false],
  ['N7', 'Golf GREEN', '1991-07-07', 'F', false, false, 15, 'C', 'NET-2', 2, 0.10, false],
  ['N8', 'Hotel HILL', '1993-08-08', 'M', false, false, 2, 'D', 'NET-2', 1, 0.05, false],
];

const EDGES: [string, string, string, string][] = [
  ['N1', 'N2', 'CO_OFFENDING', 'recorded crime'],
  ['N2', 'N3', 'INTEL_ASSOCIATION', 'intelligence — not evidence'],
  ['N1', 'N4', 'CO_ARREST', 'custody'],
  ['N1', 'N5', 'OFFENDER_VICTIM', 'recorded crime'],
  ['N6', 'N7', 'CO_OFFENDING', 'recorded crime'],
  ['N7', 'N8', 'INTEL_ASSOCIATION', 'intelligence — not evidence'],
];

function sqlValue(v: unknown): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return literal(String(v));
}

function values(rows: unknown[][]): string {
  return rows.map((r) => `(${r.map(sqlValue).join(', ')})`).join(', ');
}

async function copy(db: Db, select: string, table: string): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE ${table} AS ${select}`);
}

async function buildWeek(db: Db, w: Week): Promise<void> {
  const s = w.harmScale;
  const nominals = NOMINALS.map(([id, name, dob, sex, u18, custody, harm, band, net, deg, pr, victim]) => [
    id, name, dob, sex, u18, custody, false, harm === null ? null : harm * s,
    harm === null ? null : harm * s * 0.75, harm === null ? null : harm * s * 0.25, harm === null ? null : harm * s / 10,
    harm === null ? null : band, net, deg, deg, pr, pr, deg / 10, harm === null ? null : pr, victim,
    id === 'N3' ? 'P' : id === 'N2' ? 'C' : null,
  ]);
  await copy(db, `SELECT col0 AS nominal_id, col1 AS display_name, col2::DATE AS date_of_birth, col3 AS sex, col4 AS under_18,
      col5 AS in_custody, col6 AS historic, col7::DOUBLE AS harm_cchi, col8::DOUBLE AS harm_cchi_proven, col9::DOUBLE AS harm_cchi_alleged,
      col10::DOUBLE AS harm_ons, col11 AS harm_band, col12 AS network_id, col13::DOUBLE AS degree, col14::DOUBLE AS weighted_degree,
      col15::DOUBLE AS pagerank, col16::DOUBLE AS eigenvector, col17::DOUBLE AS betweenness, col18::DOUBLE AS key_player_impact,
      col19 AS victim_only, col20 AS handling_codes,
      -- force-wide harm rank (1 = most harm); in the older week N1 and N2 are swapped, so N1 rose 2nd → 1st
      CASE WHEN col7 IS NULL THEN NULL ELSE (rank() OVER (ORDER BY col7::DOUBLE DESC NULLS LAST, col0))::INTEGER END AS harm_rank_raw
      FROM (VALUES ${values(nominals)})`, 'nominals');
  await db.run(`ALTER TABLE nominals ADD COLUMN harm_rank INTEGER`);
  await db.run(`UPDATE nominals SET harm_rank = CASE WHEN $old AND harm_rank_raw IN (1, 2) THEN 3 - harm_rank_raw ELSE harm_rank_raw END`, { old: !w.previous });
  await db.run(`ALTER TABLE nominals DROP COLUMN harm_rank_raw`);
  await copy(db, `SELECT col0 AS nominal_id, col1 AS source, col2 AS person_ref, col3::DOUBLE AS match_probability FROM (VALUES
      ${values(NOMINALS.flatMap(([id]) => [[id, 'crime', `CR-${id}`, 1.0], [id, 'custody', `CU-${id}`, 0.82]]))})`,
    'nominal_sources');
  await copy(db, `SELECT col0 AS nominal_a, col1 AS nominal_b, col2 AS link_types, col3 AS evidential_class, 1.0 AS weight,
      1::BIGINT AS evidence_count, DATE '2026-01-10' AS first_seen, DATE '2026-10-01' AS last_seen FROM (VALUES ${values(EDGES)})`,
    'edges');
  await copy(db, `SELECT col0 AS nominal_a, col1 AS nominal_b, col2 AS link_type,
      CASE col2 WHEN 'INTEL_ASSOCIATION' THEN 'intel' WHEN 'CO_ARREST' THEN 'custody' ELSE 'crime' END AS source,
      'REF-' || col0 || '-' || col1 AS record_ref, DATE '2026-10-01' AS record_date,
      CASE col2 WHEN 'INTEL_ASSOCIATION' THEN 'C' ELSE NULL END AS handling_code FROM (VALUES ${values(EDGES)})`,
    'edge_evidence');
  const expl = NOMINALS.filter((n) => n[6] !== null).flatMap(([id, , , , , , harm]) => [
    [id, `CRM-${id}-1`, '008/01', '2026-06-01', 'CONVICTED', harm! * s * 0.75, 1, 1, 1, harm! * s * 0.75, 1],
    [id, `CRM-${id}-2`, '030/01', '2026-09-01', 'UNDER_INVESTIGATION', harm! * s * 0.5, 1, 1, 0.5, harm! * s * 0.25, 1],
  ]);
  await copy(db, `SELECT col0 AS nominal_id, col1 AS record_ref, col2 AS offence_code, col3::DATE AS record_date, col4 AS outcome,
      col5::DOUBLE AS cchi_days, col6::DOUBLE AS ons_weight, col7::DOUBLE AS decay_factor, col8::DOUBLE AS outcome_factor,
      col9::DOUBLE AS contribution_cchi, col10::DOUBLE AS contribution_ons FROM (VALUES ${values(expl)})`,
    'harm_explanations');
  await copy(db, `SELECT col0 AS network_id, col1::BIGINT AS size, col2 AS types, col3::DOUBLE AS harm_cchi, col4::DOUBLE AS harm_cchi_proven,
      col5::DOUBLE AS harm_cchi_alleged, col6::DOUBLE AS harm_ons, col7 AS lineage_event, col8 AS parent_network_ids FROM (VALUES
      ${values([
        ['NET-1', 5, 'COUNTY_LINES', 525 * s, 393.75 * s, 131.25 * s, 52.5 * s, w.previous ? 'GREW' : 'BORN', null],
        ['NET-2', 3, 'SOC', 87 * s, 65.25 * s, 21.75 * s, 8.7 * s, w.previous ? 'CONTINUED' : 'BORN', null],
      ])})`, 'networks');
  await copy(db, `SELECT col0 AS alert_type, col1 AS subject_id, col2 AS detail, col3 AS evidence FROM (VALUES
      ${values([['NETWORK_HARM_RISING', 'NET-1', 'Network harm rose 100% over 4 weeks', 'harm 262.5 → 525']])})`,
    'alerts');
  await copy(db, `SELECT 'crime' AS source, 'unknown_offence_codes' AS "check", 0.0 AS value`, 'data_quality');
  await copy(db, `SELECT col0 AS nominal_id, col1 AS record_ref, col2::DATE AS record_date, '008/01' AS offence_code, col3 AS outcome_class,
      col4::DOUBLE AS latitude, col5::DOUBLE AS longitude FROM (VALUES ${values(LOCATIONS)})`, 'record_locations');
  const fairnessSelect = (rows: unknown[][]) => `SELECT col0::DATE AS as_of, col1 AS attribute, col2 AS "group", col3 AS harm_band, col4::BIGINT AS count,
      col5::DOUBLE AS share, col6::DOUBLE AS baseline_share, NULL::DOUBLE AS population_share, col7::DOUBLE AS disparity_ratio,
      NULL::DOUBLE AS population_ratio, col8 AS flagged FROM (VALUES ${values(rows)})`;
  const history = WEEKS.filter((x) => x.asOf <= w.asOf).flatMap((x) => fairnessCells(x).map((c) => [x.asOf, ...c]));
  await copy(db, fairnessSelect(history), 'fairness_history');
  await copy(db, `SELECT * EXCLUDE (as_of) FROM fairness_history WHERE as_of = ${literal(w.asOf)}::DATE`, 'fairness');
}

function inputs(w: Week) {
  return ['crime', 'custody', 'intel', 'pins', 'missing'].map((source) => ({
    source, path: `extracts/${w.asOf}/${source}.csv`, sha256: '0'.repeat(64), rows_read: 10,
    rows_loaded: source === 'pins' && w.pinsStatus === 'missing' ? 0 : 10, rows_rejected: 0,
    status: source === 'pins' ? w.pinsStatus : source === 'intel' ? 'unchanged' : 'loaded',
  }));
}

/**
 * Writes both fixture snapshots with writeSnapshot (ids are content hashes, so they are returned), and
 * copies the newer one to an in-progress '.tmp-' folder to check that it is never listed.
 */
export async function writeFixtureSnapshots(snapshotsDir: string): Promise<FixtureIds> {
  const ctx = await freshContext({ now: '2026-11-16T03:00:00Z' });
  const ids: string[] = [];
  try {
    for (const w of WEEKS) {
      await buildWeek(ctx.db, w);
      const r = await writeSnapshot(ctx, {
        asOf: w.asOf,
        snapshotsDir,
        codeVersion: 'test-fixture',
        referenceTables: [],
        inputs: inputs(w),
        tables: Object.entries(ORDER).map(([name, orderBy]) => ({ name, sql: `SELECT * FROM ${name}`, orderBy })),
      });
      ids.push(r.snapshotId);
    }
    cpSync(path.join(snapshotsDir, ids[1]!), path.join(snapshotsDir, '.tmp-2026-11-23-99999'), { recursive: true });
  } finally {
    ctx.db.close();
  }
  return { old: ids[0]!, new: ids[1]! };
}
