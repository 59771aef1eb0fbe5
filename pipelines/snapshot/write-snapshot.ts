// Writes one snapshot: each table COPYed to Parquet in an explicit total order with fixed writer
// settings (byte-identical for identical content), a manifest, fsync, read-only, then one rename.

import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { StageContext } from '../core/context.ts';
import { literal } from '../core/db.ts';
import { HarmnetError } from '../core/errors.ts';
import { fsyncPath, makeReadOnly, pidAlive, removeTree, sha256File } from './durable-fs.ts';
import {
  MANIFEST_FILE, MANIFEST_FORMAT, SUMS_FILE, TABLE_NAME_PATTERN, manifestContentHash, sha256Sums, snapshotIdFor,
  type Manifest, type ManifestInput, type ManifestReferenceTable, type ManifestTable,
} from './snapshot-manifest.ts';
import { latestSnapshotBefore, readManifest } from './read-snapshot.ts';
import { verifySnapshot } from './verify-snapshot.ts';

export interface SnapshotTable {
  /** e.g. 'nominals' → nominals.parquet and the view `nominals` in openSnapshot. */
  name: string;
  /** A SELECT over warehouse tables (code, never data). */
  sql: string;
  /** An explicit total order, e.g. 'nominal_id' or 'nominal_a, nominal_b'. */
  orderBy: string;
}

export type SnapshotInput = ManifestInput;

export interface WriteSnapshotOptions {
  asOf: string;
  tables: SnapshotTable[];
  inputs: SnapshotInput[];
  referenceTables: ManifestReferenceTable[];
  codeVersion: string;
  snapshotsDir?: string;
}

export interface WriteSnapshotResult {
  snapshotId: string;
  dir: string;
  tables: Record<string, { rows: number; sha256: string }>;
}

/**
 * Parquet writer settings, all explicit so the bytes depend only on the rows: one thread and
 * insertion order preserved for the COPY, fixed row-group size, zstd at a fixed level.
 * (The file footer names the DuckDB version, so byte identity holds within one DuckDB version.)
 */
export const PARQUET_OPTIONS = 'FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 3, ROW_GROUP_SIZE 122880, PARQUET_VERSION V1';

export const TMP_PREFIX = '.tmp-';
/** Writes started by this process: keeps two concurrent writes in one process apart. */
let writes = 0;

export async function writeSnapshot(ctx: StageContext, opts: WriteSnapshotOptions): Promise<WriteSnapshotResult> {
  validate(opts);
  const snapshotsDir = path.resolve(opts.snapshotsDir ?? ctx.config.paths.snapshots);
  try {
    mkdirSync(snapshotsDir, { recursive: true });
  } catch (e) {
    throw writeFailed(`cannot create the snapshots folder ${snapshotsDir}`, e);
  }
  removeStaleWorkFolders(ctx, snapshotsDir);
  const tmp = path.join(snapshotsDir, `${TMP_PREFIX}${opts.asOf}-${++writes}-${process.pid}`);
  try {
    removeTree(tmp);
    mkdirSync(tmp);
  } catch (e) {
    throw writeFailed(`cannot create ${tmp}`, e);
  }
  try {
    const tables = await copyTables(ctx, tmp, opts.tables);
    const base = {
      format: MANIFEST_FORMAT,
      as_of: opts.asOf,
      code_version: opts.codeVersion,
      config: JSON.parse(JSON.stringify(ctx.config)) as Record<string, unknown>,
      reference_tables: [...opts.referenceTables]
        .map((r) => ({ name: r.name, version: r.version, sha256: r.sha256, rows: r.rows }))
        .sort((a, b) => cmp(a.name, b.name)),
      inputs: [...opts.inputs].map(normaliseInput).sort((a, b) => cmp(a.source, b.source) || cmp(a.path ?? '', b.path ?? '')),
      tables,
    };
    const snapshotId = snapshotIdFor(opts.asOf, manifestContentHash(base));
    const final = path.join(snapshotsDir, snapshotId);
    if (existsSync(final)) {
      removeTree(tmp);
      return await existing(ctx, snapshotsDir, snapshotId);
    }
    const manifest: Manifest = {
      format: base.format,
      snapshot_id: snapshotId,
      as_of: base.as_of,
      created_at: ctx.clock().toISOString(),
      code_version: base.code_version,
      config: base.config,
      reference_tables: base.reference_tables,
      inputs: base.inputs,
      tables,
      previous_snapshot_id: latestSnapshotBefore(snapshotsDir, opts.asOf),
    };
    const manifestFile = path.join(tmp, MANIFEST_FILE);
    const manifestText = JSON.stringify(manifest, null, 2) + '\n';
    writeFileSync(manifestFile, manifestText);
    fsyncPath(manifestFile);
    const sumsFile = path.join(tmp, SUMS_FILE);
    writeFileSync(sumsFile, sha256Sums(manifest, createHash('sha256').update(manifestText).digest('hex')));
    fsyncPath(sumsFile);
    makeReadOnly(tmp);
    fsyncPath(tmp);
    try {
      renameSync(tmp, final);
    } catch (e) {
      // Another writer renamed identical content into place first: that snapshot is ours too.
      const code = (e as NodeJS.ErrnoException).code;
      if ((code === 'ENOTEMPTY' || code === 'EEXIST') && existsSync(final)) {
        removeTree(tmp);
        return await existing(ctx, snapshotsDir, snapshotId);
      }
      throw e;
    }
    fsyncPath(snapshotsDir);
    const rows = Object.values(tables).reduce((s, t) => s + t.rows, 0);
    ctx.log.info(`snapshot ${snapshotId}: ${Object.keys(tables).length} tables, ${rows} rows`);
    return { snapshotId, dir: final, tables: summarise(tables) };
  } catch (e) {
    try {
      removeTree(tmp);
    } catch (cleanup) {
      ctx.log.warn(`could not remove the partial snapshot folder ${tmp} (hidden; removed at the next write): ${(cleanup as Error).message}`);
    }
    if (e instanceof HarmnetError) throw e;
    throw writeFailed(`snapshot for ${opts.asOf} not written to ${snapshotsDir}`, e);
  }
}

/**
 * Refuses an orderBy that is not a total order (two rows sharing a key would be written in an order
 * that depends on the warehouse's layout, so the bytes would not be reproducible).
 */
async function checkTotalOrder(ctx: StageContext, t: SnapshotTable): Promise<void> {
  const keys = splitTopLevel(t.orderBy).map((k) => k.trim().replace(/(\s+(ASC|DESC))?(\s+NULLS\s+(FIRST|LAST))?$/i, '')).filter(Boolean);
  const source = `FROM (${t.sql}) AS snapshot_source`;
  let n: number;
  let k: number;
  try {
    // Distinct hashes prove distinct keys (about twice as fast); only a hash tie needs the exact count.
    const fast = await ctx.db.one<{ n: number; h: number }>(`SELECT count(*) AS n, count(DISTINCT hash(${keys.join(', ')})) AS h ${source}`);
    n = Number(fast!.n);
    k = Number(fast!.h);
    if (k !== n) k = Number(await ctx.db.value(`SELECT count(DISTINCT row(${keys.join(', ')})) ${source}`));
  } catch (e) {
    throw writeFailed(`cannot write ${t.name}.parquet (table "${t.name}": ${firstLine(e)})`, e);
  }
  if (n !== k) {
    throw new HarmnetError('INPUT_INVALID', `writeSnapshot: orderBy "${t.orderBy}" is not a total order for table "${t.name}": ${n} rows but only ${k} distinct keys (add a unique tie-breaker)`);
  }
}

/** Splits an ORDER BY list on the commas outside parentheses and quotes. */
export function splitTopLevel(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(list.slice(start, i));
      start = i + 1;
    }
  }
  out.push(list.slice(start));
  return out;
}

async function copyTables(ctx: StageContext, tmp: string, tables: SnapshotTable[]): Promise<Record<string, ManifestTable>> {
  const out: Record<string, ManifestTable> = {};
  for (const t of tables) await checkTotalOrder(ctx, t);
  const settings = await ctx.db.one<{ threads: number; order: boolean }>(
    `SELECT current_setting('threads') AS threads, current_setting('preserve_insertion_order') AS "order"`,
  );
  await ctx.db.run('SET threads = 1');
  await ctx.db.run('SET preserve_insertion_order = true');
  try {
    for (const t of [...tables].sort((a, b) => cmp(a.name, b.name))) {
      const file = path.join(tmp, `${t.name}.parquet`);
      const sql = `COPY (SELECT * FROM (${t.sql}) AS snapshot_source ORDER BY ${t.orderBy}) TO ${literal(file)} (${PARQUET_OPTIONS})`;
      let rows: number;
      try {
        rows = Number(await ctx.db.value(sql));
      } catch (e) {
        throw writeFailed(`cannot write ${t.name}.parquet (table "${t.name}": ${firstLine(e)})`, e);
      }
      try {
        fsyncPath(file);
      } catch (e) {
        throw writeFailed(`cannot flush ${file} to disk`, e);
      }
      out[t.name] = { file: `${t.name}.parquet`, rows, bytes: statSync(file).size, sha256: await sha256File(file) };
      ctx.log.progress(`snapshot: ${t.name} ${rows} rows`);
    }
  } finally {
    await ctx.db.run(`SET threads = ${Number(settings?.threads ?? 2)}`);
    await ctx.db.run(`SET preserve_insertion_order = ${settings?.order === false ? 'false' : 'true'}`);
  }
  return out;
}

/** Removes hidden work folders left by killed writers (their pid is gone). Never touches snapshots. */
export function removeStaleWorkFolders(ctx: Pick<StageContext, 'log'>, snapshotsDir: string): void {
  for (const name of readdirSync(snapshotsDir)) {
    const m = /^\.(?:tmp|deleting)-.*?(?:-(\d+))?$/.exec(name);
    if (!m) continue;
    const pid = m[1] ? Number(m[1]) : null;
    if (pid !== null && pidAlive(pid)) continue; // a live writer (maybe this process) owns it
    try {
      removeTree(path.join(snapshotsDir, name));
      ctx.log.info(`removed an incomplete snapshot folder left by an interrupted run: ${name}`);
    } catch (e) {
      ctx.log.warn(`could not remove ${name}: ${(e as Error).message}`);
    }
  }
}

/**
 * The snapshot already on disk with this id (identical content): verified first, because a damaged
 * snapshot must be reported, never silently passed off (nor overwritten: snapshots are immutable).
 */
async function existing(ctx: StageContext, snapshotsDir: string, id: string): Promise<WriteSnapshotResult> {
  try {
    await verifySnapshot(snapshotsDir, id);
  } catch (e) {
    if (!(e instanceof HarmnetError)) throw e;
    throw new HarmnetError(e.code, `snapshot ${id} already exists but fails verification (move it aside to write it again): ${e.message}`, { cause: e });
  }
  ctx.log.info(`snapshot ${id} already exists with identical content and verifies; kept as is`);
  const m = readManifest(snapshotsDir, id);
  return { snapshotId: id, dir: path.join(snapshotsDir, id), tables: summarise(m.tables) };
}

function summarise(tables: Record<string, ManifestTable>): Record<string, { rows: number; sha256: string }> {
  return Object.fromEntries(Object.entries(tables).map(([k, t]) => [k, { rows: t.rows, sha256: t.sha256 }]));
}

function normaliseInput(i: SnapshotInput): ManifestInput {
  const out: ManifestInput = {
    source: i.source, path: i.path, sha256: i.sha256, rows_read: i.rows_read, rows_loaded: i.rows_loaded,
    rows_rejected: i.rows_rejected, status: i.status,
  };
  if (i.message !== undefined && i.message !== null) out.message = i.message;
  return out;
}

function validate(opts: WriteSnapshotOptions): void {
  const bad = (m: string) => new HarmnetError('INPUT_INVALID', `writeSnapshot: ${m}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf) || Number.isNaN(Date.parse(`${opts.asOf}T00:00:00Z`))) throw bad(`asOf must be YYYY-MM-DD, got "${opts.asOf}"`);
  if (!opts.codeVersion) throw bad('codeVersion is required');
  if (opts.tables.length === 0) throw bad('no tables given');
  const seen = new Set<string>();
  for (const t of opts.tables) {
    if (!TABLE_NAME_PATTERN.test(t.name)) throw bad(`table name must be lower snake case, got "${t.name}"`);
    if (seen.has(t.name)) throw bad(`table "${t.name}" given twice`);
    seen.add(t.name);
    if (!t.sql.trim()) throw bad(`table "${t.name}" has no sql`);
    if (!t.orderBy.trim()) throw bad(`table "${t.name}" has no orderBy (an explicit total order is required for byte-identical files)`);
  }
}

function writeFailed(what: string, cause: unknown): HarmnetError {
  const code = (cause as NodeJS.ErrnoException)?.code;
  const text = firstLine(cause);
  const hint = code === 'ENOSPC' || /no space|disk full|ENOSPC/i.test(text) ? ' — the disk is full' : '';
  return new HarmnetError('SNAPSHOT_WRITE_FAILED', `${what}${hint}: ${text}; no snapshot was written and earlier snapshots are untouched`, { cause });
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
