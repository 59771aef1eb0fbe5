// Bad-input files from test/fixtures/extracts/ through ingestDrop: every row accounted for
// (read = loaded + rejected), reasons name file, line and value, and refused files load nothing.

import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshContext, removeDir, tempDir } from '../helpers/context.ts';
import { ingestDrop, type SourceResult } from '../../pipelines/ingest/ingest-drop.ts';
import type { StageContext } from '../../pipelines/core/context.ts';
import { csv, rows, writeDrop } from './drop-fixture.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/extracts');
const AS_OF = '2026-11-16';

let ctx: StageContext;
let root: string;
beforeEach(async () => {
  ctx = await freshContext();
  root = tempDir();
});
afterEach(() => {
  ctx.db.close();
  removeDir(root);
});

/** Drop with the fixture as crime.csv plus a good intel.csv; returns the crime result. */
async function ingestFixture(fixture: string): Promise<{ crime: SourceResult; intel: SourceResult }> {
  const dir = writeDrop(root, AS_OF, { 'intel.csv': csv(rows('intel', 2)) });
  copyFileSync(path.join(FIXTURES, fixture), path.join(dir, 'crime.csv'));
  const r = await ingestDrop(ctx, dir);
  const { crime, intel } = r.sources;
  expect(crime.rows_read).toBe(crime.rows_loaded + crime.rows_rejected);
  expect(intel).toMatchObject({ status: 'loaded', rows_loaded: 2 }); // other sources still load
  return { crime, intel };
}

const rawCount = async () => Number(await ctx.db.value('SELECT count(*) FROM raw.crime'));
const rejects = () => ctx.db.all<{ line: number; reason: string; raw_text: string }>('SELECT line, reason, raw_text FROM raw.rejects ORDER BY line');

describe('bad input', () => {
  it('missing required column: refused, names the column, loads nothing', async () => {
    const { crime } = await ingestFixture('missing-column.crime.csv');
    expect(crime.status).toBe('refused');
    expect(crime.message).toMatch(/^crime\.csv line 1: missing required column "committed_date"/);
    expect(crime.rows_loaded).toBe(0);
    expect(await rawCount()).toBe(0);
  });

  it('bad date: that row rejected with file, line, column and value', async () => {
    const { crime } = await ingestFixture('bad-date.crime.csv');
    expect(crime).toMatchObject({ status: 'loaded', rows_read: 3, rows_loaded: 2, rows_rejected: 1 });
    const [r] = await rejects();
    expect(r!.line).toBe(3);
    expect(r!.reason).toBe('bad date in crime.csv line 3 column committed_date: "2026-13-01"');
    expect(r!.raw_text).toContain('CR2,008/01,,2026-13-01');
  });

  it('unknown enum value: rejected with the value quoted', async () => {
    const { crime } = await ingestFixture('unknown-role.crime.csv');
    expect(crime).toMatchObject({ rows_read: 3, rows_loaded: 2, rows_rejected: 1 });
    expect((await rejects())[0]!.reason).toBe('unknown role in crime.csv line 4: "SUSPCT"');
  });

  it('truncated file (last line cut mid-field): the cut row is rejected, the rest loads', async () => {
    const { crime } = await ingestFixture('truncated.crime.csv');
    expect(crime).toMatchObject({ status: 'loaded', rows_read: 3, rows_loaded: 2, rows_rejected: 1 });
    const [r] = await rejects();
    expect(r!.line).toBe(4);
    expect(r!.reason).toMatch(/^too few columns in crime\.csv line 4: Expected Number of Columns: 17 Found: \d+/);
  });

  it('wrong delimiter (semicolons): refused with what was expected', async () => {
    const { crime } = await ingestFixture('semicolons.crime.csv');
    expect(crime.status).toBe('refused');
    expect(crime.message).toMatch(/^crime\.csv line 1: header is separated by ";", not commas; expected comma-separated columns crime_ref, /);
    expect(await rawCount()).toBe(0);
  });

  it('UTF-8 BOM: loads fine, first column recognised', async () => {
    const { crime } = await ingestFixture('bom.crime.csv');
    expect(crime).toMatchObject({ status: 'loaded', rows_read: 3, rows_loaded: 3, rows_rejected: 0 });
    expect(await ctx.db.all('SELECT crime_ref FROM raw.crime ORDER BY line')).toEqual([{ crime_ref: 'CR1' }, { crime_ref: 'CR2' }, { crime_ref: 'CR3' }]);
  });

  it('duplicate header column (case-insensitive): refused', async () => {
    const { crime } = await ingestFixture('duplicate-header.crime.csv');
    expect(crime.status).toBe('refused');
    expect(crime.message).toBe('crime.csv line 1: duplicate column "surname" in the header; expected each column once');
    expect(await rawCount()).toBe(0);
  });

  it('header only: loaded with 0 rows', async () => {
    const { crime } = await ingestFixture('header-only.crime.csv');
    expect(crime).toMatchObject({ status: 'loaded', rows_read: 0, rows_loaded: 0, rows_rejected: 0 });
  });

  it('0-byte file: refused', async () => {
    const { crime } = await ingestFixture('zero-byte.crime.csv');
    expect(crime.status).toBe('refused');
    expect(crime.message).toMatch(/^crime\.csv is empty \(0 bytes\); expected a header row with columns crime_ref, ho_offence_code/);
  });

  it('Latin-1 bytes: that row rejected with an encoding reason (decision: row, not file)', async () => {
    const { crime } = await ingestFixture('latin1.crime.csv');
    expect(crime).toMatchObject({ status: 'loaded', rows_read: 3, rows_loaded: 2, rows_rejected: 1 });
    const [r] = await rejects();
    expect(r!.line).toBe(3);
    expect(r!.reason).toBe('invalid UTF-8 in crime.csv line 3: expected UTF-8 text (is the file Latin-1 encoded?)');
    expect(await ctx.db.all('SELECT crime_ref FROM raw.crime ORDER BY line')).toEqual([{ crime_ref: 'CR1' }, { crime_ref: 'CR3' }]);
  });

  it('quoted newline inside a field: loads, later line numbers are physical lines', async () => {
    const { crime } = await ingestFixture('quoted-newline.crime.csv');
    expect(crime).toMatchObject({ rows_read: 3, rows_loaded: 2, rows_rejected: 1 });
    expect(await ctx.db.all('SELECT crime_ref, surname, line FROM raw.crime ORDER BY line')).toEqual([
      { crime_ref: 'CR1', surname: 'O\nNEIL', line: 2 },
      { crime_ref: 'CR2', surname: 'SMITH', line: 4 },
    ]);
    expect((await rejects())[0]!.reason).toBe('bad date in crime.csv line 5 column committed_date: "2026-02-30"');
  });

  it('a 1 MB line loads, and rows after it keep their line numbers', async () => {
    const big = 'X'.repeat(1024 * 1024);
    const body = csv([...rows('crime', 1, (r) => void (r.forenames = big)), ...rows('crime', 1, (r) => void (r.role = 'NOPE'))]);
    const dir = writeDrop(root, AS_OF, { 'crime.csv': body });
    const { crime } = (await ingestDrop(ctx, dir)).sources;
    expect(crime).toMatchObject({ status: 'loaded', rows_read: 2, rows_loaded: 1, rows_rejected: 1 });
    expect(Number(await ctx.db.value('SELECT length(forenames) FROM raw.crime'))).toBe(1024 * 1024);
    expect((await rejects())[0]!.reason).toBe('unknown role in crime.csv line 3: "NOPE"');
  });

  it('reader rejects and validation rejects mixed: every line number physical', async () => {
    // line 2 good (spans 2-3), 4 too few columns, 5 bad role, 6 good, 7 too many columns, 8 good
    const good = (ref: string, edit: (r: Record<string, string>) => void = () => {}) => {
      const text = csv(rows('crime', 1, (r) => { r.crime_ref = ref; edit(r); }));
      return text.slice(text.indexOf('\n') + 1).trimEnd();
    };
    const header = csv(rows('crime', 1)).split('\n')[0];
    const text = [header, good('A', (r) => void (r.surname = 'TWO\nLINES')), 'B,008/01', good('C', (r) => void (r.role = 'BAD')), good('D'), `${good('E')},extra`, good('F')].join('\n') + '\n';
    const dir = writeDrop(root, AS_OF, { 'crime.csv': text });
    const { crime } = (await ingestDrop(ctx, dir)).sources;
    expect(crime).toMatchObject({ rows_read: 6, rows_loaded: 3, rows_rejected: 3 });
    expect(await ctx.db.all('SELECT crime_ref, line FROM raw.crime ORDER BY line')).toEqual([
      { crime_ref: 'A', line: 2 }, { crime_ref: 'D', line: 6 }, { crime_ref: 'F', line: 8 },
    ]);
    expect((await rejects()).map((r) => r.line)).toEqual([4, 5, 7]);
  });

  it('CRLF line endings load, with no carriage return left in the last column', async () => {
    const dir = writeDrop(root, AS_OF, { 'crime.csv': csv(rows('crime', 2)).replace(/\n/g, '\r\n') });
    const { crime } = (await ingestDrop(ctx, dir)).sources;
    expect(crime).toMatchObject({ status: 'loaded', rows_read: 2, rows_loaded: 2, rows_rejected: 0 });
    expect(await ctx.db.all('SELECT ethnicity, line FROM raw.crime ORDER BY line')).toEqual([{ ethnicity: 'W1', line: 2 }, { ethnicity: 'W1', line: 3 }]);
  });

  it('column names are case-insensitive, order is free, extra columns are kept in raw', async () => {
    const { crime } = await ingestFixture('mixed-case-extra.crime.csv');
    expect(crime).toMatchObject({ status: 'loaded', rows_read: 2, rows_loaded: 2, rows_rejected: 0 });
    expect(crime.message).toContain('extra columns kept: extra_note');
    expect(await ctx.db.all('SELECT crime_ref, role, extra_note, latitude FROM raw.crime ORDER BY line')).toEqual([
      { crime_ref: 'CR1', role: 'suspect', extra_note: 'x1', latitude: null },
      { crime_ref: 'CR2', role: 'VICTIM', extra_note: 'x2', latitude: null },
    ]);
  });

  it('Parquet with the same columns is accepted; rejects carry the row number', async () => {
    const src = path.join(root, 'src.csv');
    writeFileSync(src, csv(rows('crime', 3, (r, i) => void (i === 2 && (r.person_outcome = 'GUILTY')))));
    const dir = writeDrop(root, AS_OF, {});
    await ctx.db.run(`COPY (SELECT * FROM read_csv('${src}', all_varchar = true)) TO '${path.join(dir, 'crime.parquet')}' (FORMAT parquet)`);
    const { crime } = (await ingestDrop(ctx, dir)).sources;
    expect(crime).toMatchObject({ status: 'loaded', rows_read: 3, rows_loaded: 2, rows_rejected: 1 });
    expect((await rejects())[0]!.reason).toBe('unknown outcome in crime.parquet line 3: "GUILTY"');
  });
});
