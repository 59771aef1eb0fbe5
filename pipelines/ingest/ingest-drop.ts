// Ingests one weekly drop folder (extracts/<as_of>/) into raw.*: checks the folder, manifest and file
// hashes, reads each source with the shared DuckDB reader, and commits each source in its own transaction.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StageContext } from '../core/context.ts';
import { HarmnetError, isHarmnetError } from '../core/errors.ts';
import { ident } from '../core/db.ts';
import { isIsoDate } from '../core/dates.ts';
import { sha256File } from '../core/sha256-file.ts';

export { isIsoDate, sha256File };
import { RAW_META_COLUMNS, SOURCES, type Source, type SourceContract } from './extract-columns.ts';
import type { ExtractRead } from './read-extract.ts';
import { withCompression } from './write-settings.ts';
import { CRIME, ingestCrime } from './crime.ts';
import { CUSTODY, ingestCustody } from './custody.ts';
import { INTEL, ingestIntel } from './intel.ts';
import { PINS, ingestPins } from './pins.ts';
import { MISSING, ingestMissing } from './missing.ts';

export type { Source } from './extract-columns.ts';

export interface SourceResult {
  source: Source;
  file: string | null;
  status: 'loaded' | 'unchanged' | 'missing' | 'refused';
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  message: string;
  sha256: string | null;
}

export interface DropResult {
  as_of: string;
  sources: Record<Source, SourceResult>;
  /** Files in the folder that are not one of the five sources (nothing loaded from them). */
  refused_files: { file: string; message: string }[];
}

const here = path.dirname(fileURLToPath(import.meta.url));

export const CONTRACTS: Record<Source, SourceContract> = { crime: CRIME, custody: CUSTODY, intel: INTEL, pins: PINS, missing: MISSING };
const READERS: Record<Source, (ctx: StageContext, file: string) => Promise<ExtractRead>> = {
  crime: ingestCrime, custody: ingestCustody, intel: ingestIntel, pins: ingestPins, missing: ingestMissing,
};

interface Manifest {
  invalid?: string;
  as_of?: unknown;
  files?: Record<string, { rows?: unknown; sha256?: unknown }>;
}

/** Creates raw.rejects, raw.files and raw.<source> (contract columns as VARCHAR + drop_as_of, source_file, line). */
export async function ensureRawSchema(ctx: StageContext): Promise<void> {
  await ctx.db.runFile(path.join(here, 'sql', 'raw-schema.sql'));
  for (const s of SOURCES) {
    const cols = CONTRACTS[s].columns.map((c) => `${ident(c.name)} VARCHAR`).join(', ');
    await ctx.db.run(`CREATE TABLE IF NOT EXISTS raw.${ident(s)} (${cols}, drop_as_of DATE, source_file VARCHAR, line BIGINT)`);
  }
}



const short = (h: string | null | undefined) => (h ? `${h.slice(0, 12)}…` : 'none');

/** Loads the drop in `dropDir` (folder named by its ISO as-of date). Never loads part of a source. */
export async function ingestDrop(ctx: StageContext, dropDir: string, opts: { replace?: boolean } = {}): Promise<DropResult> {
  const { db } = ctx;
  const dir = path.resolve(dropDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new HarmnetError('EXTRACT_NOT_FOUND', `extract folder not found: ${dropDir}`);
  const asOf = path.basename(dir);
  if (!isIsoDate(asOf)) {
    throw new HarmnetError('EXTRACT_FOLDER_INVALID', `extract folder name must be its as-of date YYYY-MM-DD, got "${asOf}"`);
  }
  await ensureRawSchema(ctx);
  return withCompression(db, 'uncompressed', () => ingestFolder(ctx, dir, asOf, opts));
}

async function ingestFolder(ctx: StageContext, dir: string, asOf: string, opts: { replace?: boolean }): Promise<DropResult> {
  const { db, log } = ctx;
  // 1. Classify the folder's entries.
  const candidates: Record<Source, string[]> = { crime: [], custody: [], intel: [], pins: [], missing: [] };
  const refused_files: { file: string; message: string }[] = [];
  let manifestFile: string | null = null;
  for (const name of readdirSync(dir).sort()) {
    const m = /^([a-z_]+)\.(csv|parquet)$/i.exec(name);
    const stem = m?.[1]!.toLowerCase();
    if (name.toLowerCase() === 'manifest.json') manifestFile = path.join(dir, name);
    else if (m && (SOURCES as readonly string[]).includes(stem!)) candidates[stem as Source].push(path.join(dir, name));
    else {
      const what = statSync(path.join(dir, name)).isDirectory() ? 'is a folder' : 'is not one of the five sources';
      refused_files.push({ file: name, message: `${name} ${what} (expected crime, custody, intel, pins or missing as .csv or .parquet); nothing loaded from it` });
    }
  }
  for (const r of refused_files) log.warn(`drop ${asOf}: ${r.message}`);

  const results = {} as Record<Source, SourceResult>;
  const files: Partial<Record<Source, { file: string; sha256: string }>> = {};
  for (const s of SOURCES) {
    const c = candidates[s];
    if (c.length === 0) {
      results[s] = { source: s, file: null, status: 'missing', rows_read: 0, rows_loaded: 0, rows_rejected: 0, message: `no ${s} file in drop ${asOf}`, sha256: null };
    } else if (c.length > 1) {
      results[s] = refused(s, c[0]!, null, `drop ${asOf} holds ${c.map((f) => path.basename(f)).join(' and ')}; expected one ${s} file`);
    } else {
      files[s] = { file: c[0]!, sha256: await sha256File(c[0]!) };
    }
  }

  // 2. Manifest: hashes checked before anything is read; row counts after reading, before committing.
  const manifest = manifestFile ? readManifest(manifestFile) : null;
  const manifestProblem = manifest ? checkManifestHashes(manifest, asOf, files) : null;
  if (manifestProblem) return refuseDrop(ctx, asOf, results, files, refused_files, manifestProblem);

  // 3. Idempotency by hash, then read each source into staging tables.
  const staged: Partial<Record<Source, ExtractRead>> = {};
  for (const s of SOURCES) {
    const f = files[s];
    if (!f) continue;
    const base = path.basename(f.file);
    const prev = await db.one<{ sha256: string; path: string; rows_read: number; rows_loaded: number; rows_rejected: number }>(
      `SELECT sha256, path, rows_read, rows_loaded, rows_rejected FROM raw.files
       WHERE source = $source AND drop_as_of = $as_of::DATE AND status = 'loaded' ORDER BY loaded_at DESC LIMIT 1`,
      { source: s, as_of: asOf },
    );
    if (prev && prev.sha256 === f.sha256) {
      results[s] = { source: s, file: f.file, status: 'unchanged', rows_read: prev.rows_read, rows_loaded: prev.rows_loaded, rows_rejected: prev.rows_rejected, message: `${base} already loaded for ${asOf} (same sha256); nothing to do`, sha256: f.sha256 };
      continue;
    }
    if (prev && !opts.replace) {
      const err = new HarmnetError('EXTRACT_CHANGED', `${base} changed since drop ${asOf} was loaded (sha256 ${short(f.sha256)}, loaded ${short(prev.sha256)}); replace it explicitly to reload`);
      results[s] = refused(s, f.file, f.sha256, err.message);
      continue;
    }
    try {
      staged[s] = await READERS[s](ctx, f.file);
    } catch (e) {
      if (!isHarmnetError(e)) throw e;
      results[s] = refused(s, f.file, f.sha256, e.message);
    }
  }
  if (manifest) {
    for (const s of SOURCES) {
      const want = manifest.files?.[s]?.rows;
      const got = staged[s];
      if (got && want !== undefined && Number(want) !== got.rows_read) {
        await dropStaging(ctx, staged);
        return refuseDrop(ctx, asOf, results, files, refused_files,
          `manifest.json says ${path.basename(got.file)} has ${Number(want)} rows, the file has ${got.rows_read}; drop ${asOf} refused`);
      }
    }
  }

  // 4. Commit each staged source on its own: all of it or nothing.
  for (const s of SOURCES) {
    const st = staged[s];
    if (!st) continue;
    results[s] = await commitSource(ctx, asOf, st, files[s]!.sha256);
  }
  await dropStaging(ctx, staged);
  for (const s of SOURCES) {
    if (results[s].status !== 'loaded') await recordFile(ctx, asOf, results[s]);
    log.info(`ingest ${asOf} ${s}: ${results[s].status} (${results[s].rows_loaded} loaded, ${results[s].rows_rejected} rejected)`);
  }
  return { as_of: asOf, sources: inSourceOrder(results), refused_files };
}

function inSourceOrder(results: Record<Source, SourceResult>): Record<Source, SourceResult> {
  return Object.fromEntries(SOURCES.map((s) => [s, results[s]])) as Record<Source, SourceResult>;
}

function refused(source: Source, file: string, sha256: string | null, message: string): SourceResult {
  return { source, file, status: 'refused', rows_read: 0, rows_loaded: 0, rows_rejected: 0, message, sha256 };
}

function readManifest(file: string): Manifest {
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!m || typeof m !== 'object' || Array.isArray(m)) return { invalid: 'expected a JSON object' };
    return m as Manifest;
  } catch (e) {
    return { invalid: (e as Error).message.split('\n')[0]! };
  }
}

function checkManifestHashes(m: Manifest, asOf: string, files: Partial<Record<Source, { file: string; sha256: string }>>): string | null {
  if (m.invalid) return `manifest.json is not usable (${m.invalid}); drop ${asOf} refused`;
  if (m.as_of !== undefined && m.as_of !== asOf) return `manifest.json as_of "${String(m.as_of)}" does not match folder ${asOf}; drop refused`;
  const listed = m.files ?? {};
  for (const s of SOURCES) {
    const entry = listed[s];
    const f = files[s];
    if (entry && !f) return `manifest.json lists ${s} but drop ${asOf} has no ${s} file; drop refused`;
    if (!entry && f) return `${path.basename(f.file)} is not listed in manifest.json; drop ${asOf} refused`;
    if (entry && f && typeof entry.sha256 === 'string' && entry.sha256.toLowerCase() !== f.sha256) {
      return `manifest.json sha256 for ${path.basename(f.file)} is ${short(entry.sha256)}, the file's is ${short(f.sha256)}; drop ${asOf} refused`;
    }
  }
  return null;
}

async function refuseDrop(
  ctx: StageContext, asOf: string, results: Record<Source, SourceResult>, files: Partial<Record<Source, { file: string; sha256: string }>>,
  refused_files: DropResult['refused_files'], message: string,
): Promise<DropResult> {
  ctx.log.warn(`drop ${asOf}: ${message}`);
  for (const s of SOURCES) {
    const f = files[s];
    results[s] = f ? refused(s, f.file, f.sha256, message) : { ...results[s], status: 'refused', message };
    await recordFile(ctx, asOf, results[s]);
  }
  return { as_of: asOf, sources: inSourceOrder(results), refused_files };
}

async function recordFile(ctx: StageContext, asOf: string, r: SourceResult): Promise<void> {
  await ctx.db.run(
    `INSERT INTO raw.files VALUES ($source, $as_of::DATE, $path, $sha256, $rows_read, $rows_loaded, $rows_rejected, $status, $message, $loaded_at::TIMESTAMP)`,
    {
      source: r.source, as_of: asOf, path: r.file, sha256: r.sha256, rows_read: r.rows_read, rows_loaded: r.rows_loaded,
      rows_rejected: r.rows_rejected, status: r.status, message: r.message, loaded_at: ctx.clock().toISOString(),
    },
  );
}

async function commitSource(ctx: StageContext, asOf: string, st: ExtractRead, sha256: string): Promise<SourceResult> {
  const { db } = ctx;
  const s = st.source;
  const base = path.basename(st.file);
  if (st.rows_read !== st.rows_loaded + st.rows_rejected) {
    throw new Error(`internal: ${base} rows_read ${st.rows_read} != loaded ${st.rows_loaded} + rejected ${st.rows_rejected}`);
  }
  const result: SourceResult = {
    source: s, file: st.file, status: 'loaded', rows_read: st.rows_read, rows_loaded: st.rows_loaded, rows_rejected: st.rows_rejected,
    message: `${base}: ${st.rows_loaded} rows loaded, ${st.rows_rejected} rejected${st.extras.length ? `; extra columns kept: ${st.extras.join(', ')}` : ''}`,
    sha256,
  };
  await db.transaction(async () => {
    const params = { as_of: asOf, source: s };
    await db.run(`DELETE FROM raw.${ident(s)} WHERE drop_as_of = $as_of::DATE`, { as_of: asOf });
    await db.run(`DELETE FROM raw.rejects WHERE source = $source AND drop_as_of = $as_of::DATE`, params);
    const have = new Set((await db.all<{ column_name: string }>(
      `SELECT column_name FROM duckdb_columns() WHERE schema_name = 'raw' AND table_name = $source`, { source: s })).map((r) => r.column_name));
    for (const x of st.extras) {
      if (!have.has(x) && !(RAW_META_COLUMNS as readonly string[]).includes(x)) await db.run(`ALTER TABLE raw.${ident(s)} ADD COLUMN ${ident(x)} VARCHAR`);
    }
    const cols = st.columns.map(ident).join(', ');
    await db.run(
      `INSERT INTO raw.${ident(s)} BY NAME SELECT ${cols}, $as_of::DATE AS drop_as_of, $file AS source_file, line FROM (${st.validSql})`,
      { as_of: asOf, file: base },
    );
    await db.run(
      `INSERT INTO raw.rejects SELECT $source, $as_of::DATE, $file, line, raw_text, reason FROM temp.${ident(st.rejectsTable)} ORDER BY line`,
      { source: s, as_of: asOf, file: base },
    );
    await recordFile(ctx, asOf, result);
  });
  return result;
}

async function dropStaging(ctx: StageContext, staged: Partial<Record<Source, ExtractRead>>): Promise<void> {
  for (const st of Object.values(staged)) {
    if (!st) continue;
    for (const t of st.tempTables) await ctx.db.run(`DROP TABLE IF EXISTS temp.${ident(t)}`);
  }
}
