// A small snapshot for the partner match tests: the real resolve stage run on a seeded synthetic
// population plus four hand-written people, then written with writeSnapshot including the match tables.

import type { StageContext } from '../../pipelines/core/context.ts';
import { resolve } from '../../pipelines/resolve/resolve.ts';
import { writeSnapshot, type SnapshotTable } from '../../pipelines/snapshot/write-snapshot.ts';
import { matchSnapshotTables } from '../../pipelines/match/match-snapshot-tables.ts';
import { pncCheckLetter } from '../../pipelines/resolve/pnc.ts';
import { createIdentityTable, insertIdentities, syntheticPopulation, type IdentityRow } from '../resolve/fixture.ts';

export const AS_OF = '2026-11-16';

/**
 * THISTLEWOOD Ambrose 1988-03-14: offender, harm 420 (300 proven + 120 alleged), band B, network K1 by a crime link.
 * FEATHERSTONEHAUGH Imelda 1995-07-21: victim only (safeguarding_only).
 * QUARRINGTON Bartholomew 1979-11-02: harm 50 from a record with handling code C.
 * PENGELLY Oswin 1983-01-30: network K2 through intelligence-only links; harm 10, band C.
 * MARCHBANKS Perpetua, no DOB held: harm 75 (60 + 15), band C, network K1 — a name-only agreement, so at most POSSIBLE_MATCH.
 */
/** Thistlewood's PNC id (check letter by the PNC rule). */
export const THISTLEWOOD_PNC = `2006/0123456${pncCheckLetter('2006', '0123456')}`;

export const PEOPLE: IdentityRow[] = [
  { source: 'crime', person_ref: 'CRX001', surname: 'Thistlewood', forenames: 'Ambrose', date_of_birth: '1988-03-14', sex: 'M', pnc_id: THISTLEWOOD_PNC },
  { source: 'custody', person_ref: 'CUX001', surname: 'THISTLEWOOD', forenames: 'Ambrose John', date_of_birth: '1988-03-14', sex: 'M' },
  { source: 'crime', person_ref: 'CRX002', surname: 'Featherstonehaugh', forenames: 'Imelda', date_of_birth: '1995-07-21', sex: 'F' },
  { source: 'crime', person_ref: 'CRX003', surname: 'Quarrington', forenames: 'Bartholomew', date_of_birth: '1979-11-02', sex: 'M' },
  { source: 'intel', person_ref: 'INX004', surname: 'Pengelly', forenames: 'Oswin', date_of_birth: '1983-01-30', sex: 'M' },
  { source: 'crime', person_ref: 'CRX005', surname: 'Marchbanks', forenames: 'Perpetua', date_of_birth: null, sex: 'F' },
];

export interface MatchFixture {
  snapshotId: string;
  snapshotsDir: string;
  nominal: Record<'thistlewood' | 'featherstonehaugh' | 'quarrington' | 'pengelly' | 'marchbanks', string>;
  population: ReturnType<typeof syntheticPopulation>;
}

/**
 * extra: more identities (after PEOPLE). withPopulationPnc: keep the synthetic population's PNC ids too (by default they are lost: the
 * fixture's bound lists take their type from the first row, whose PNC id is NULL).
 */
export async function buildMatchSnapshot(
  ctx: StageContext, snapshotsDir: string, persons = 600, options: { withPopulationPnc?: boolean; extra?: IdentityRow[] } = {},
): Promise<MatchFixture> {
  const { db } = ctx;
  const population = syntheticPopulation(persons, 11);
  await createIdentityTable(db);
  // Two inserts: the fixture's bound lists take their type from the first row, so a list whose first
  // value is NULL would lose every PNC id; PEOPLE starts with one.
  if (options.withPopulationPnc) {
    const withPnc = population.rows.filter((r) => r.pnc_id_norm);
    await insertIdentities(db, withPnc);
    await insertIdentities(db, population.rows.filter((r) => !r.pnc_id_norm).map((r) => ({ ...r, pnc_id: null, pnc_id_norm: null })));
  } else {
    await insertIdentities(db, population.rows);
  }
  await insertIdentities(db, PEOPLE);
  if (options.extra?.length) await insertIdentities(db, options.extra);
  await resolve(ctx, { asOf: AS_OF });
  const idOf = async (ref: string) =>
    db.value<string>(`SELECT s.nominal_id FROM person.nominal_sources s JOIN curated.identity i USING (identity_id) WHERE i.person_ref = $ref`, { ref });
  const nominal = {
    thistlewood: await idOf('CRX001'), featherstonehaugh: await idOf('CRX002'), quarrington: await idOf('CRX003'), pengelly: await idOf('INX004'),
    marchbanks: await idOf('CRX005'),
  };
  await db.run('CREATE SCHEMA IF NOT EXISTS t');
  await db.run(`CREATE OR REPLACE TABLE t.harm (nominal_id VARCHAR, harm_cchi DOUBLE, harm_cchi_proven DOUBLE, harm_cchi_alleged DOUBLE,
    harm_band VARCHAR, network_id VARCHAR, safeguarding_only BOOLEAN)`);
  await db.run(`INSERT INTO t.harm VALUES ($a, 420, 300, 120, 'B', 'K1', false), ($b, 0, 0, 0, NULL, NULL, true),
    ($c, 50, 50, 0, 'C', NULL, false), ($d, 10, 10, 0, 'C', 'K2', false), ($e, 75, 60, 15, 'C', 'K1', false)`,
    { a: nominal.thistlewood, b: nominal.featherstonehaugh, c: nominal.quarrington, d: nominal.pengelly, e: nominal.marchbanks });
  await db.run(`CREATE OR REPLACE TABLE t.edges (nominal_a VARCHAR, nominal_b VARCHAR, intelligence_only BOOLEAN)`);
  // K1: Thistlewood linked by a crime record to some other nominal; K2: Pengelly by intelligence only.
  await db.run(`INSERT INTO t.edges VALUES ($a, $e, false)`, { a: nominal.thistlewood, e: nominal.marchbanks });
  await db.run(`INSERT INTO t.edges SELECT $a, min(nominal_id), false FROM person.nominal WHERE nominal_id NOT IN ($a, $b, $c, $d)`,
    { a: nominal.thistlewood, b: nominal.featherstonehaugh, c: nominal.quarrington, d: nominal.pengelly });
  await db.run(`INSERT INTO t.edges SELECT $d, max(nominal_id), true FROM person.nominal WHERE nominal_id NOT IN ($a, $b, $c, $d)`,
    { a: nominal.thistlewood, b: nominal.featherstonehaugh, c: nominal.quarrington, d: nominal.pengelly });
  await db.run(`CREATE OR REPLACE TABLE t.harm_explanations AS SELECT $c AS nominal_id, 'intel' AS source, 'C' AS handling_code`, { c: nominal.quarrington });
  const tables: SnapshotTable[] = [
    {
      name: 'nominals',
      sql: `SELECT n.nominal_id, n.display_name, n.date_of_birth, coalesce(h.harm_cchi, 0) AS harm_cchi, coalesce(h.harm_cchi_proven, 0) AS harm_cchi_proven,
              coalesce(h.harm_cchi_alleged, 0) AS harm_cchi_alleged, h.harm_band, h.network_id, coalesce(h.safeguarding_only, false) AS safeguarding_only
            FROM person.nominal n LEFT JOIN t.harm h USING (nominal_id)`,
      orderBy: 'nominal_id',
    },
    { name: 'edges', sql: 'SELECT * FROM t.edges', orderBy: 'nominal_a, nominal_b' },
    { name: 'harm_explanations', sql: 'SELECT * FROM t.harm_explanations', orderBy: 'nominal_id' },
    ...matchSnapshotTables(),
  ];
  const w = await writeSnapshot(ctx, { asOf: AS_OF, tables, inputs: [], referenceTables: [], codeVersion: 'test', snapshotsDir });
  return { snapshotId: w.snapshotId, snapshotsDir, nominal, population };
}
