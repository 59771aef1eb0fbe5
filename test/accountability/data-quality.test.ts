// data_quality snapshot table on hand-built warehouse rows: files, reject reasons (classed, no values),
// missing sources, unknown offence codes, identity fields missing.

import { afterEach, describe, expect, it } from 'vitest';
import { freshContext } from '../helpers/context.ts';
import type { StageContext } from '../../pipelines/core/context.ts';
import { dataQualitySnapshotTable } from '../../pipelines/accountability/data-quality-snapshot-table.ts';

let ctx: StageContext;
afterEach(() => ctx?.db.close());

describe('dataQualitySnapshotTable', () => {
  it('reports files, reject reasons, missing sources, unknown offences and identity gaps', async () => {
    ctx = await freshContext();
    const { db } = ctx;
    await db.run(`CREATE SCHEMA raw; CREATE SCHEMA curated; CREATE SCHEMA score;
      CREATE TABLE curated.quality (source VARCHAR, "check" VARCHAR, value BIGINT);
      CREATE TABLE curated.retention_deleted ("group" INTEGER, reason VARCHAR, records BIGINT);
      CREATE TABLE raw.files (source VARCHAR, drop_as_of DATE, path VARCHAR, sha256 VARCHAR, rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT, status VARCHAR, message VARCHAR, loaded_at TIMESTAMP);
      CREATE TABLE raw.rejects (source VARCHAR, drop_as_of DATE, source_file VARCHAR, line BIGINT, raw_text VARCHAR, reason VARCHAR);
      CREATE TABLE curated.offence (offence_code VARCHAR, offence_ref VARCHAR, cchi_days DOUBLE);
      CREATE TABLE curated.involvement (record_ref VARCHAR, offence_code VARCHAR, offence_ref VARCHAR);
      CREATE TABLE curated.identity (source VARCHAR, date_of_birth DATE, pnc_id VARCHAR, forenames VARCHAR, sex VARCHAR);
      CREATE TABLE score.nominal_harm (as_of DATE, nominal_id VARCHAR);`);
    await db.run(`INSERT INTO curated.quality VALUES ('intel', 'excluded_by_reliability:3x5x2:source=2:intel=A', 7)`);
    await db.run(`INSERT INTO curated.retention_deleted VALUES (3, 'clear_period_6_years', 4)`);
    await db.run(`INSERT INTO score.nominal_harm VALUES ('2026-11-09', 'N1')`);
    // week 2026-11-09: crime from its own drop (the later 2026-11-16 drop is not this week's); custody refused; no pins/intel/missing
    await db.run(`INSERT INTO raw.files VALUES
      ('crime', '2026-11-02', 'c0', 'h', 1, 1, 0, 'loaded', '', '2026-11-02 03:00'),
      ('crime', '2026-11-09', 'c1', 'h', 10, 8, 2, 'loaded', '', '2026-11-09 03:00'),
      ('crime', '2026-11-16', 'c2', 'h', 99, 99, 0, 'loaded', '', '2026-11-16 03:00'),
      ('custody', '2026-11-09', 'k1', 'h', 0, 0, 0, 'refused', 'bad', '2026-11-09 03:00')`);
    await db.run(`INSERT INTO raw.rejects VALUES
      ('crime', '2026-11-09', 'c1', 5, 'x', 'bad date in crime.csv line 5 column committed_date: "31/02/2026"'),
      ('crime', '2026-11-09', 'c1', 9, 'x', 'bad date in crime.csv line 9 column committed_date: "2026-13-01"; missing surname in crime.csv line 9'),
      ('crime', '2026-11-02', 'c0', 3, 'x', 'unknown role in crime.csv line 3: "SUSPCT"')`);
    // 999/99 has no CCHI value under two offence refs (one code, two rows); 008/01 is known under X but not under Y
    await db.run(`INSERT INTO curated.offence VALUES ('999/99', NULL, NULL), ('999/99', 'Z', NULL), ('008/01', 'X', 3.5), ('008/01', 'Y', NULL)`);
    await db.run(`INSERT INTO curated.involvement VALUES ('R1', '999/99', NULL), ('R2', '999/99', 'Z'), ('R4', '999/99', 'Z'), ('R3', '008/01', 'X'), ('R5', '008/01', 'Y')`);
    // crime identities: 4, of which 1 without DOB, 3 without PNC (NULL or blank), 0 without forenames
    await db.run(`INSERT INTO curated.identity VALUES
      ('crime', '1990-01-01', 'P1', 'A', 'M'), ('crime', NULL, NULL, 'B', 'M'), ('crime', '1991-01-01', ' ', 'C', 'F'), ('crime', '1992-01-01', NULL, 'D', NULL)`);
    const t = dataQualitySnapshotTable();
    const rows = await db.all<{ source: string; check: string; value: number }>(`SELECT * FROM (${t.sql}) ORDER BY ${t.orderBy}`);
    const v = (source: string, check: string) => rows.find((r) => r.source === source && r.check === check)?.value;
    expect(v('intel', 'excluded_by_reliability:3x5x2:source=2:intel=A')).toBe(7);
    expect(v('retention', 'deleted_group_3_clear_period_6_years')).toBe(4);
    expect([v('crime', 'file_rows_read'), v('crime', 'file_rows_loaded'), v('crime', 'file_rows_rejected')]).toEqual([10, 8, 2]);
    // both rejects of the week's drop are "bad date column committed_date" (first reason, no value, no line)
    expect(v('crime', 'rejected_reason:bad date column committed_date')).toBe(2);
    expect(rows.filter((r) => r.check.startsWith('rejected_reason:'))).toHaveLength(1);
    expect(rows.some((r) => r.check.includes('31/02') || r.check.includes('SUSPCT'))).toBe(false);
    expect([v('crime', 'source_missing'), v('custody', 'source_missing'), v('pins', 'source_missing')]).toEqual([0, 1, 1]);
    expect(v('custody', 'file_status:refused')).toBe(1);
    expect(v('pins', 'file_status:never_received')).toBe(1);
    expect(v('offence', 'unknown_offence_codes')).toBe(2);
    expect(v('offence', 'unknown_offence_code:999/99')).toBe(3); // R1, R2, R4
    expect(v('offence', 'unknown_offence_code:008/01')).toBe(1); // R5 only: R3's ref is weighted
    expect(v('crime', 'identities')).toBe(4);
    expect(v('crime', 'identity_missing_share:date_of_birth')).toBe(1 / 4);
    expect(v('crime', 'identity_missing_share:pnc_id')).toBe(3 / 4);
    expect(v('crime', 'identity_missing_share:forenames')).toBe(0);
    expect(v('crime', 'identity_missing_share:sex')).toBe(1 / 4);
    // (source, check) is a total order, as the snapshot writer requires
    expect(new Set(rows.map((r) => `${r.source}|${r.check}`)).size).toBe(rows.length);
  });
});
