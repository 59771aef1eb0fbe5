// The snapshot tables the partner match needs: the resolve stage's comparison-ready identities with
// their nominal, and the trained Fellegi–Sunter parameters — so a match scores exactly as resolve did.

import type { SnapshotTable } from '../snapshot/write-snapshot.ts';

/**
 * match_identities: person.identity_feature (already normalised by resolve's identity-feature.sql)
 * with the nominal each identity belongs to. match_model: person.model_parameter with the prior.
 * match_term_frequency: the surname / first-forename frequencies used by pair-score.sql.
 */
export function matchSnapshotTables(): SnapshotTable[] {
  return [
    {
      name: 'match_identities',
      // Every feature column resolve computes (whatever resolve adds later comes along), plus the nominal.
      sql: `SELECT f.*, s.nominal_id FROM person.identity_feature AS f JOIN person.nominal_sources AS s USING (identity_id)`,
      orderBy: 'cr_id',
    },
    {
      name: 'match_model',
      sql: `SELECT p.field, p.level, p.m, p.u, p.weight, p.level_order, s.prior_weight, s.mode, s.match_threshold
            FROM person.model_parameter AS p CROSS JOIN (SELECT * FROM person.model_summary LIMIT 1) AS s`,
      orderBy: 'field, level_order',
    },
    {
      name: 'match_term_frequency',
      sql: `SELECT 'surname' AS field, surname_value AS value, tf FROM person.surname_tf
            UNION ALL SELECT 'forename', forename_value, tf FROM person.forename_tf`,
      orderBy: 'field, value',
    },
  ];
}
