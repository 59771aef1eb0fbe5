// What a snapshot freezes: each snapshot.md table as a SELECT over the warehouse with an explicit
// total order. Ethnicity never leaves the warehouse except aggregated in the fairness table.

import type { Db } from '../core/db.ts';
import type { SnapshotTable } from '../snapshot/write-snapshot.ts';
import { dataQualitySnapshotTable } from '../accountability/data-quality-snapshot-table.ts';
import { fairnessSnapshotTables } from '../accountability/fairness-report.ts';
import { matchSnapshotTables } from '../match/match-snapshot-tables.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RECORD_LOCATION_SQL = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'harm', 'record_location.sql');


/** The snapshot tables for the week just built (every stage has run). */
export async function snapshotTables(db: Db): Promise<SnapshotTable[]> {
  const hasAlerts = await db.hasTable('analysis.alert');
  const ranks = ['pagerank', 'betweenness', 'degree', 'weighted_degree', 'eigenvector', 'closeness', 'key_player_impact']
    .flatMap((m) => [`c.${m}_rank`, `c.${m}_rank_change_1w`, `c.${m}_rank_change_12w`])
    .join(', ');

  const tables: SnapshotTable[] = [
    {
      name: 'nominals',
      sql: `SELECT n.nominal_id, n.display_name, n.date_of_birth, n.sex, n.pnc_id,
              h.under_18, h.age_years, h.in_custody, h.expected_release_date, h.last_release_date, h.licence_end_date,
              h.historic, h.last_record_date, h.safeguarding_only,
              h.harm_cchi, h.harm_cchi_proven, h.harm_cchi_alleged, h.harm_ons, h.harm_ons_proven, h.harm_ons_alleged,
              h.harm_band, h.harm_rank, h.records_scored, h.has_unweighted_records,
              c.network_id, c.degree, c.weighted_degree, c.pagerank, c.eigenvector, c.betweenness, c.betweenness_in_network,
              c.closeness, c.key_player_impact, c.harm_cut_off_cchi, ${ranks}
            FROM person.nominal AS n
            LEFT JOIN score.nominal_harm AS h ON h.nominal_id = n.nominal_id
            LEFT JOIN analysis.centrality AS c ON c.nominal_id = n.nominal_id`,
      orderBy: 'nominal_id',
    },
    {
      name: 'nominal_sources',
      sql: 'SELECT nominal_id, source, person_ref, identity_id, match_probability FROM person.nominal_sources',
      orderBy: 'nominal_id, source, person_ref, identity_id',
    },
    {
      name: 'edges',
      sql: `SELECT nominal_a, nominal_b, link_types, evidential_class, intelligence_only, weight, evidence_count, first_seen, last_seen
            FROM graph.edge`,
      orderBy: 'nominal_a, nominal_b',
    },
    {
      name: 'edge_evidence',
      sql: `SELECT nominal_a, nominal_b, link_type, source, record_ref, record_date, from_nominal, to_nominal,
              evidential_class, type_weight, decay_factor, weight_contribution
            FROM graph.edge_evidence`,
      orderBy: 'nominal_a, nominal_b, link_type, source, record_ref, record_date, from_nominal, to_nominal',
    },
    {
      name: 'harm_explanations',
      sql: `SELECT nominal_id, source, record_ref, role, outcome, outcome_class, offence_code, offence_ref, classification_code,
              record_date, age_days, handling_code, cchi_days, cchi_rule, ons_weight, decay_factor, outcome_factor,
              contribution_cchi, contribution_ons
            FROM score.harm_explanation`,
      orderBy: 'nominal_id, record_date, source, record_ref, offence_code, offence_ref, role, outcome',
    },
    {
      name: 'safeguarding',
      sql: 'SELECT nominal_id, roles, under_18, records, last_record_date, historic FROM score.safeguarding',
      orderBy: 'nominal_id',
    },
    {
      name: 'networks',
      sql: `SELECT a.*, h.harm_cchi, h.harm_cchi_proven, h.harm_cchi_alleged, h.harm_ons, h.types, h.type_reasons
            FROM analysis.network AS a LEFT JOIN score.network_harm AS h USING (network_id)`,
      orderBy: 'network_id',
    },
    {
      name: 'unweighted_offences',
      sql: 'SELECT measure, offence_code, offence_ref, classification_code, records, nominals FROM score.unweighted_offence',
      orderBy: 'measure, offence_code, offence_ref',
    },
    dataQualitySnapshotTable(),
  ];
  // Approximate places of the scored crime records, for the dashboards' network map (the SQL file says what is left out).
  if ((await db.hasTable('curated.crime')) && (await db.hasTable('score.harm_explanation'))) {
    tables.push({ name: 'record_locations', sql: readFileSync(RECORD_LOCATION_SQL, 'utf8'), orderBy: 'nominal_id, record_ref, record_date, latitude, longitude' });
  }
  if (await db.hasTable('analysis.fairness')) tables.push(...fairnessSnapshotTables());
  // What the partner match service needs to reuse the resolution model against this week's identities.
  if (await db.hasTable('person.identity_feature')) tables.push(...matchSnapshotTables());
  // Code-version changes with the evaluation figures beside the previous version's (safeguard 20), so
  // auditors read them from the snapshot; run starts and ends stay in the warehouse (a re-run of a week
  // must give the same snapshot).
  if (await db.hasTable('ops.deployment_log')) {
    tables.push({ name: 'deployments', sql: `SELECT * FROM ops.deployment_log WHERE event = 'code_version_change'`, orderBy: 'seq' });
  }
  if (hasAlerts) {
    tables.push({ name: 'alerts', sql: 'SELECT * FROM analysis.alert', orderBy: 'alert_type, subject_id, detail' });
  }
  return tables;
}
