// Test fixture: two weekly snapshots written by the real writeSnapshot from hand-inserted warehouse rows,
// frozen with the weekly run's own table list (pipelines/run/snapshot-tables.ts). Values check by hand.

import type { Db } from '../../pipelines/core/db.ts';
import type { StageContext } from '../../pipelines/core/context.ts';
import { snapshotTables } from '../../pipelines/run/snapshot-tables.ts';
import { writeSnapshot } from '../../pipelines/snapshot/write-snapshot.ts';

/**
 * Week 1 (2026-11-09) and week 2 (2026-11-16). NET-1 = N1, N2, N3, N4.
 * N1 Alpha ADAMS: CR-1 convicted (365 days × decay 0.5 = 182.5 proven), CR-2 under investigation
 *   (100 × 0.8 × outcome factor 0.5 = 40 alleged), CR-3 NFA (counted zero); headline 222.5, band B.
 * N2 Bravo BROWN: under 18, CR-5 convicted 20 days → 20, band C.
 * N3 Charlie CLARK: victim only (safeguarding_only, never scored).
 * N4 Delta DAVIS: CR-6 convicted 12 days → 12, band C; linked to N1 by intelligence only.
 * N9 India IRWIN: in week 1 only (removed before week 2, as a MOPI deletion would).
 */
export async function buildWeek(db: Db, week: 1 | 2): Promise<void> {
  const nominals = week === 1 ? `('N1','Alpha ADAMS','1990-01-01','M'),('N2','Bravo BROWN','2010-02-02','F'),('N3','Charlie CLARK','1995-03-03','M'),('N4','Delta DAVIS','1985-04-04','M'),('N9','India IRWIN','1970-09-09','F')`
    : `('N1','Alpha ADAMS','1990-01-01','M'),('N2','Bravo BROWN','2010-02-02','F'),('N3','Charlie CLARK','1995-03-03','M'),('N4','Delta DAVIS','1985-04-04','M')`;
  // nominal, under_18, safeguarding_only, harm, proven, alleged, band, rank
  const harm = `('N1', false, false, 222.5, 182.5, 80.0, 'B', 1), ('N2', true, false, 20.0, 20.0, 0.0, 'C', 2),
    ('N3', false, true, NULL, NULL, NULL, NULL, NULL), ('N4', false, false, 12.0, 12.0, 0.0, 'C', 3)${week === 1 ? `, ('N9', false, false, 15.0, 15.0, 0.0, 'C', 4)` : ''}`;
  const stmts = [
    'CREATE SCHEMA IF NOT EXISTS person', 'CREATE SCHEMA IF NOT EXISTS score', 'CREATE SCHEMA IF NOT EXISTS graph',
    'CREATE SCHEMA IF NOT EXISTS analysis', 'CREATE SCHEMA IF NOT EXISTS curated',
    `CREATE OR REPLACE TABLE person.nominal AS SELECT col0 AS nominal_id, col1 AS display_name, col2::DATE AS date_of_birth, col3 AS sex, NULL::VARCHAR AS pnc_id FROM (VALUES ${nominals})`,
    `CREATE OR REPLACE TABLE score.nominal_harm AS SELECT ${week === 1 ? "DATE '2026-11-09'" : "DATE '2026-11-16'"} AS as_of, col0 AS nominal_id, col1 AS under_18, NULL::INTEGER AS age_years, false AS in_custody,
       NULL::DATE AS expected_release_date, NULL::DATE AS last_release_date, NULL::DATE AS licence_end_date, false AS historic, DATE '2026-10-01' AS last_record_date,
       col2 AS safeguarding_only, col3::DOUBLE AS harm_cchi, col4::DOUBLE AS harm_cchi_proven, col5::DOUBLE AS harm_cchi_alleged, col3::DOUBLE * 2 AS harm_ons,
       col4::DOUBLE * 2 AS harm_ons_proven, col5::DOUBLE * 2 AS harm_ons_alleged, col6 AS harm_band, col7::BIGINT AS harm_rank, 1::BIGINT AS records_scored,
       false AS has_unweighted_records FROM (VALUES ${harm})`,
    `CREATE OR REPLACE TABLE analysis.centrality AS SELECT nominal_id, CASE WHEN nominal_id = 'N9' THEN NULL ELSE 'NET-1' END AS network_id,
       CASE nominal_id WHEN 'N1' THEN 3 ELSE 1 END AS degree, 1.0 AS weighted_degree, 0.25 AS pagerank, 0.5 AS eigenvector, 0.1 AS betweenness,
       0.4 AS closeness, CASE nominal_id WHEN 'N1' THEN 0.9 WHEN 'N2' THEN 0.8 ELSE 0.1 END AS key_player_impact,
       0.1 AS betweenness_in_network, NULL::DOUBLE AS harm_cut_off_cchi, NULL::INTEGER AS pagerank_rank, NULL::INTEGER AS pagerank_rank_change_1w, NULL::INTEGER AS pagerank_rank_change_12w, NULL::INTEGER AS betweenness_rank, NULL::INTEGER AS betweenness_rank_change_1w, NULL::INTEGER AS betweenness_rank_change_12w, NULL::INTEGER AS degree_rank, NULL::INTEGER AS degree_rank_change_1w, NULL::INTEGER AS degree_rank_change_12w, NULL::INTEGER AS weighted_degree_rank, NULL::INTEGER AS weighted_degree_rank_change_1w, NULL::INTEGER AS weighted_degree_rank_change_12w, NULL::INTEGER AS eigenvector_rank, NULL::INTEGER AS eigenvector_rank_change_1w, NULL::INTEGER AS eigenvector_rank_change_12w, NULL::INTEGER AS closeness_rank, NULL::INTEGER AS closeness_rank_change_1w, NULL::INTEGER AS closeness_rank_change_12w, NULL::INTEGER AS key_player_impact_rank, NULL::INTEGER AS key_player_impact_rank_change_1w, NULL::INTEGER AS key_player_impact_rank_change_12w FROM person.nominal`,
    `CREATE OR REPLACE TABLE person.nominal_sources AS SELECT col0 AS nominal_id, col1 AS source, col2 AS person_ref, col3 AS identity_id, col4::DOUBLE AS match_probability
       FROM (VALUES ('N1','crime','CN-001','id-1',0.99), ('N1','custody','CU-001','id-2',0.6), ('N2','crime','CN-002','id-3',1.0), ('N3','crime','CN-003','id-4',1.0),
                    ('N4','intel','IN-004','id-5',0.97), ('N9','crime','CN-009','id-9',1.0))`,
    `CREATE OR REPLACE TABLE graph.edge AS SELECT col0 AS nominal_a, col1 AS nominal_b, [col2] AS link_types, col3 AS evidential_class, col4 AS intelligence_only,
       col5::DOUBLE AS weight, 1::BIGINT AS evidence_count, DATE '2026-06-01' AS first_seen, DATE '2026-06-01' AS last_seen
       FROM (VALUES ('N1','N2','CO_OFFENDING','recorded crime',false,1.0), ('N1','N3','OFFENDER_VICTIM','recorded crime',false,0.6),
                    ('N1','N4','INTEL_ASSOCIATION','intelligence — not evidence',true,0.5))`,
    `CREATE OR REPLACE TABLE graph.edge_evidence AS SELECT col0 AS nominal_a, col1 AS nominal_b, col2 AS link_type, col3 AS source, col4 AS record_ref, DATE '2026-06-01' AS record_date,
       col0 AS from_nominal, col1 AS to_nominal, col5 AS evidential_class, 1.0 AS type_weight, 1.0 AS decay_factor, 1.0 AS weight_contribution
       FROM (VALUES ('N1','N2','CO_OFFENDING','crime','CR-1','recorded crime'), ('N1','N3','OFFENDER_VICTIM','crime','CR-4','recorded crime'),
                    ('N1','N4','INTEL_ASSOCIATION','intel','INT-7','intelligence — not evidence'))`,
    `CREATE OR REPLACE TABLE score.harm_explanation AS SELECT col0 AS nominal_id, 'crime' AS source, col1 AS record_ref, 'OFFENDER' AS role, col2 AS outcome,
       CASE col2 WHEN 'CONVICTED' THEN 'proven' WHEN 'NFA' THEN 'zero' ELSE 'alleged' END AS outcome_class, '008/01' AS offence_code, NULL::VARCHAR AS offence_ref,
       NULL::VARCHAR AS classification_code, col3::DATE AS record_date, 100::BIGINT AS age_days, col4 AS handling_code, col5::DOUBLE AS cchi_days, 'offence_ref' AS cchi_rule,
       10.0 AS ons_weight, col6::DOUBLE AS decay_factor, col7::DOUBLE AS outcome_factor, col8::DOUBLE AS contribution_cchi, 1.0 AS contribution_ons
       FROM (VALUES ('N1','CR-1','CONVICTED','2025-11-01',NULL,365,0.5,1.0,182.5), ('N1','CR-2','UNDER_INVESTIGATION','2026-06-01','C',100,0.8,0.5,40.0),
                    ('N1','CR-3','NFA','2026-01-01',NULL,50,0.9,0.0,0.0), ('N2','CR-5','CONVICTED','2026-05-01',NULL,20,1.0,1.0,20.0),
                    ('N4','CR-6','CONVICTED','2026-05-02',NULL,12,1.0,1.0,12.0)${week === 1 ? `, ('N9','CR-9','CONVICTED','2026-01-09',NULL,15,1.0,1.0,15.0)` : ''})`,
    `CREATE OR REPLACE TABLE score.safeguarding AS SELECT 'N3' AS nominal_id, ['VICTIM'] AS roles, false AS under_18, 1::BIGINT AS records, DATE '2026-06-01' AS last_record_date, false AS historic`,
    `CREATE OR REPLACE TABLE score.network_harm AS SELECT 'NET-1' AS network_id, 4 AS size, ['SOC'] AS types, 'SOC: a member is in an organised-crime report (1 record)' AS type_reasons,
       ${week === 1 ? 230.0 : 254.5} AS harm_cchi, ${week === 1 ? 200.0 : 214.5} AS harm_cchi_proven, 80.0 AS harm_cchi_alleged, 500.0 AS harm_ons`,
    `CREATE OR REPLACE TABLE analysis.network AS SELECT 'NET-1' AS network_id, 4 AS size, ${week === 1 ? "'BORN'" : "'CONTINUED'"} AS lineage_event,
       NULL::VARCHAR AS parent_network_ids`,
    `CREATE OR REPLACE TABLE score.unweighted_offence (measure VARCHAR, offence_code VARCHAR, offence_ref VARCHAR, classification_code VARCHAR, records BIGINT, nominals BIGINT)`,
    // empty upstream tables the data_quality snapshot table reads
    `CREATE SCHEMA IF NOT EXISTS raw`,
    `CREATE TABLE IF NOT EXISTS raw.rejects (source VARCHAR, drop_as_of DATE, source_file VARCHAR, line BIGINT, raw_text VARCHAR, reason VARCHAR)`,
    `CREATE TABLE IF NOT EXISTS raw.files (source VARCHAR, drop_as_of DATE, path VARCHAR, sha256 VARCHAR, rows_read BIGINT, rows_loaded BIGINT,
       rows_rejected BIGINT, status VARCHAR, message VARCHAR, loaded_at TIMESTAMP)`,
    `CREATE OR REPLACE TABLE curated.offence (offence_code VARCHAR, offence_ref VARCHAR, cchi_days DOUBLE)`,
    `CREATE OR REPLACE TABLE curated.involvement (source VARCHAR, record_ref VARCHAR, offence_code VARCHAR, offence_ref VARCHAR)`,
    `CREATE OR REPLACE TABLE curated.identity (source VARCHAR, date_of_birth DATE, pnc_id VARCHAR, forenames VARCHAR, sex VARCHAR)`,
    `CREATE OR REPLACE TABLE curated.quality AS SELECT 'crime' AS source, 'rows_rejected' AS "check", 0 AS value`,
    `CREATE OR REPLACE TABLE curated.retention_deleted AS SELECT 1 AS "group", 'group3_clear' AS reason, ${week === 1 ? 0 : 1} AS records`,
  ];
  for (const s of stmts) await db.run(s);
}

/** Writes both weeks into ctx.config.paths.snapshots; returns the two snapshot ids. */
export async function writeTwoWeeks(ctx: StageContext): Promise<{ week1: string; week2: string }> {
  const ids: string[] = [];
  for (const [week, asOf] of [[1, '2026-11-09'], [2, '2026-11-16']] as const) {
    await buildWeek(ctx.db, week);
    const r = await writeSnapshot(ctx, { asOf, tables: await snapshotTables(ctx.db), inputs: [], referenceTables: [], codeVersion: 'test-code-version' });
    ids.push(r.snapshotId);
  }
  return { week1: ids[0]!, week2: ids[1]! };
}
