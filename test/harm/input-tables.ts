// Test helper: creates the input tables harm and edges read (curated.*, person.*) exactly as the
// warehouse contract describes them, and inserts plain rows (the same objects the pure functions take).

import type { Db } from '../../pipelines/core/db.ts';
import type { InvolvementRow, NominalRow, NominalSourceRow, OffenceRow, PinsRow } from '../../graph/harm/harm-inputs.ts';

const DDL = `
CREATE SCHEMA IF NOT EXISTS curated;
CREATE SCHEMA IF NOT EXISTS person;
CREATE TABLE curated.involvement (source VARCHAR, record_ref VARCHAR, group_ref VARCHAR, identity_id VARCHAR, person_ref VARCHAR,
  role VARCHAR, outcome VARCHAR, record_date DATE, recorded_date DATE, offence_code VARCHAR, offence_ref VARCHAR, topic VARCHAR,
  handling_code VARCHAR, under_18 BOOLEAN, mopi_group INTEGER, latitude DOUBLE, longitude DOUBLE);
CREATE TABLE curated.pins (person_ref VARCHAR, identity_id VARCHAR, prison_number VARCHAR, establishment VARCHAR, reception_date DATE,
  expected_release_date DATE, actual_release_date DATE, licence_end_date DATE, index_offence_code VARCHAR);
CREATE TABLE curated.offence (offence_code VARCHAR, offence_ref VARCHAR, cchi_days DOUBLE, cchi_rule VARCHAR, classification_code VARCHAR,
  ons_weight DOUBLE, ons_status VARCHAR);
CREATE TABLE curated.identity (identity_id VARCHAR, source VARCHAR, person_ref VARCHAR, ethnicity VARCHAR);
CREATE TABLE person.nominal_sources (nominal_id VARCHAR, source VARCHAR, person_ref VARCHAR, identity_id VARCHAR, match_probability DOUBLE);
CREATE TABLE person.nominal (nominal_id VARCHAR, display_name VARCHAR, date_of_birth DATE, sex VARCHAR, pnc_id VARCHAR);
`;

export async function createInputTables(db: Db): Promise<void> {
  for (const stmt of DDL.split(';').map((s) => s.trim()).filter(Boolean)) await db.run(stmt);
}

type Value = string | number | boolean | null;

/** Inserts rows into `table` (columns from the first row), 200 rows per statement, values bound. */
export async function insertRows(db: Db, table: string, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]!);
  for (let start = 0; start < rows.length; start += 200) {
    const chunk = rows.slice(start, start + 200);
    const params: Value[] = [];
    const tuples = chunk.map((r) => {
      const rec = r as Record<string, Value>;
      return `(${cols.map((c) => { params.push(rec[c] ?? null); return `$${params.length}`; }).join(', ')})`;
    });
    await db.run(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
}

export interface InputData {
  involvements: InvolvementRow[];
  nominalSources: NominalSourceRow[];
  nominals: NominalRow[];
  offences: OffenceRow[];
  pins: PinsRow[];
}

export async function loadInputs(db: Db, data: InputData): Promise<void> {
  await createInputTables(db);
  await insertRows(db, 'curated.involvement', data.involvements);
  await insertRows(db, 'person.nominal_sources', data.nominalSources);
  await insertRows(db, 'person.nominal', data.nominals);
  await insertRows(db, 'curated.offence', data.offences);
  await insertRows(db, 'curated.pins', data.pins);
}

/** One crime-involvement row with defaults; identity_id doubles as person_ref. */
export function inv(p: Partial<InvolvementRow> & Pick<InvolvementRow, 'identity_id' | 'role' | 'record_ref'>): InvolvementRow {
  return {
    source: 'crime',
    group_ref: p.record_ref,
    person_ref: p.identity_id,
    outcome: null,
    record_date: '2026-01-01',
    offence_code: null,
    offence_ref: null,
    topic: null,
    under_18: false,
    ...p,
  };
}

/** Identity `id` belongs to nominal `nominal`. */
export function ns(nominal: string, id: string, source = 'crime'): NominalSourceRow {
  return { nominal_id: nominal, source, person_ref: id, identity_id: id, match_probability: 1 };
}
