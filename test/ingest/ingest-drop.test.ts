// Drop-level behaviour of ingestDrop: folder name, unknown files, missing sources, idempotency by hash,
// changed files (refused unless replaced), and manifest.json checks (hash and row count).

import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshContext, removeDir, tempDir } from '../helpers/context.ts';
import { ingestDrop } from '../../pipelines/ingest/ingest-drop.ts';
import type { StageContext } from '../../pipelines/core/context.ts';
import { isHarmnetError } from '../../pipelines/core/errors.ts';
import { csv, rows, writeDrop } from './drop-fixture.ts';

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

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const count = async (sql: string) => Number(await ctx.db.value(sql));

describe('ingestDrop', () => {
  it('refuses a folder not named by an ISO date', async () => {
    const dir = writeDrop(root, 'week-47', { 'crime.csv': csv(rows('crime', 1)) });
    const err = await ingestDrop(ctx, dir).catch((e) => e);
    expect(isHarmnetError(err, 'EXTRACT_FOLDER_INVALID')).toBe(true);
    expect(err.message).toBe('extract folder name must be its as-of date YYYY-MM-DD, got "week-47"');
    await expect(ingestDrop(ctx, writeDrop(root, '2026-02-30', {}))).rejects.toThrow(/got "2026-02-30"/);
  });

  it('loads all five sources; a missing source is reported and the run completes', async () => {
    const dir = writeDrop(root, AS_OF, {
      'crime.csv': csv(rows('crime', 3)), 'custody.csv': csv(rows('custody', 2)), 'intel.csv': csv(rows('intel', 4)), 'pins.csv': csv(rows('pins', 1)),
    });
    const r = await ingestDrop(ctx, dir);
    expect(r.as_of).toBe(AS_OF);
    expect(Object.values(r.sources).map((s) => [s.source, s.status, s.rows_loaded])).toEqual([
      ['crime', 'loaded', 3], ['custody', 'loaded', 2], ['intel', 'loaded', 4], ['pins', 'loaded', 1], ['missing', 'missing', 0],
    ]);
    expect(r.sources.missing.message).toBe('no missing file in drop 2026-11-16');
    expect(await ctx.db.all("SELECT source, status FROM raw.files WHERE source = 'missing'")).toEqual([{ source: 'missing', status: 'missing' }]);
    expect(await count("SELECT count(*) FROM raw.crime WHERE drop_as_of = DATE '2026-11-16' AND source_file = 'crime.csv'")).toBe(3);
  });

  it('refuses files that are not one of the five sources, loading the others', async () => {
    const dir = writeDrop(root, AS_OF, { 'crime.csv': csv(rows('crime', 2)), 'stop_search.csv': 'a,b\n1,2\n', 'notes.txt': 'free text' });
    const r = await ingestDrop(ctx, dir);
    expect(r.refused_files.map((f) => f.file)).toEqual(['notes.txt', 'stop_search.csv']);
    expect(r.refused_files[1]!.message).toBe('stop_search.csv is not one of the five sources (expected crime, custody, intel, pins or missing as .csv or .parquet); nothing loaded from it');
    expect(r.sources.crime.status).toBe('loaded');
    expect(await count("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'raw' AND table_name ILIKE '%stop%'")).toBe(0);
  });

  it('two files for one source refuse that source only', async () => {
    const r = await ingestDrop(ctx, writeDrop(root, AS_OF, { 'crime.csv': csv(rows('crime', 1)), 'CRIME.parquet': 'x', 'intel.csv': csv(rows('intel', 1)) }));
    expect(r.sources.crime).toMatchObject({ status: 'refused', message: 'drop 2026-11-16 holds CRIME.parquet and crime.csv; expected one crime file' });
    expect(r.sources.intel.status).toBe('loaded');
  });

  it('re-ingesting the same drop is a no-op (status unchanged, nothing duplicated)', async () => {
    const dir = writeDrop(root, AS_OF, { 'crime.csv': csv(rows('crime', 3, (r, i) => void (i === 0 && (r.role = 'X')))) });
    const first = await ingestDrop(ctx, dir);
    const again = await ingestDrop(ctx, dir);
    expect(first.sources.crime).toMatchObject({ status: 'loaded', rows_read: 3, rows_loaded: 2, rows_rejected: 1 });
    expect(again.sources.crime).toMatchObject({ status: 'unchanged', rows_read: 3, rows_loaded: 2, rows_rejected: 1 });
    expect(await count('SELECT count(*) FROM raw.crime')).toBe(2);
    expect(await count('SELECT count(*) FROM raw.rejects')).toBe(1);
  });

  it('a changed file under a loaded as-of is refused unless replace is asked for', async () => {
    const dir = writeDrop(root, AS_OF, { 'crime.csv': csv(rows('crime', 3)) });
    await ingestDrop(ctx, dir);
    writeFileSync(path.join(dir, 'crime.csv'), csv(rows('crime', 5)));
    const refused = await ingestDrop(ctx, dir);
    expect(refused.sources.crime.status).toBe('refused');
    expect(refused.sources.crime.message).toMatch(/^crime\.csv changed since drop 2026-11-16 was loaded \(sha256 [0-9a-f]{12}…, loaded [0-9a-f]{12}…\); replace it explicitly to reload$/);
    expect(await count('SELECT count(*) FROM raw.crime')).toBe(3);
    const replaced = await ingestDrop(ctx, dir, { replace: true });
    expect(replaced.sources.crime).toMatchObject({ status: 'loaded', rows_loaded: 5 });
    expect(await count('SELECT count(*) FROM raw.crime')).toBe(5);
  });

  it('two drops are kept side by side in raw', async () => {
    await ingestDrop(ctx, writeDrop(root, '2026-11-09', { 'crime.csv': csv(rows('crime', 2)) }));
    await ingestDrop(ctx, writeDrop(root, AS_OF, { 'crime.csv': csv(rows('crime', 3)) }));
    expect(await ctx.db.all('SELECT drop_as_of, count(*) AS n FROM raw.crime GROUP BY 1 ORDER BY 1')).toEqual([
      { drop_as_of: '2026-11-09', n: 2 }, { drop_as_of: '2026-11-16', n: 3 },
    ]);
  });

  it('manifest.json that matches: loads', async () => {
    const crime = csv(rows('crime', 3));
    const intel = csv(rows('intel', 2));
    const manifest = { as_of: AS_OF, files: { crime: { rows: 3, sha256: sha(crime) }, intel: { rows: 2, sha256: sha(intel) } } };
    const r = await ingestDrop(ctx, writeDrop(root, AS_OF, { 'crime.csv': crime, 'intel.csv': intel, 'manifest.json': JSON.stringify(manifest) }));
    expect([r.sources.crime.status, r.sources.intel.status]).toEqual(['loaded', 'loaded']);
  });

  it('manifest.json hash mismatch: the drop is refused naming the file, nothing loaded', async () => {
    const crime = csv(rows('crime', 3));
    const intel = csv(rows('intel', 2));
    const manifest = { as_of: AS_OF, files: { crime: { rows: 3, sha256: sha(crime) }, intel: { rows: 2, sha256: sha('something else') } } };
    const r = await ingestDrop(ctx, writeDrop(root, AS_OF, { 'crime.csv': crime, 'intel.csv': intel, 'manifest.json': JSON.stringify(manifest) }));
    expect(r.sources.crime.status).toBe('refused');
    expect(r.sources.intel.message).toMatch(/^manifest\.json sha256 for intel\.csv is [0-9a-f]{12}…, the file's is [0-9a-f]{12}…; drop 2026-11-16 refused$/);
    expect(await count('SELECT count(*) FROM raw.crime') + await count('SELECT count(*) FROM raw.intel')).toBe(0);
  });

  it('manifest.json row count mismatch: the drop is refused, nothing loaded', async () => {
    const crime = csv(rows('crime', 3));
    const manifest = { as_of: AS_OF, files: { crime: { rows: 4, sha256: sha(crime) } } };
    const r = await ingestDrop(ctx, writeDrop(root, AS_OF, { 'crime.csv': crime, 'manifest.json': JSON.stringify(manifest) }));
    expect(r.sources.crime).toMatchObject({ status: 'refused', message: 'manifest.json says crime.csv has 4 rows, the file has 3; drop 2026-11-16 refused' });
    expect(await count('SELECT count(*) FROM raw.crime')).toBe(0);
  });
});
