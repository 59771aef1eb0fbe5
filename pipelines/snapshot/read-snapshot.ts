// Reading snapshots: list the complete ones, read a manifest, and open one as an in-memory DuckDB
// with a view per table over its Parquet file. Hidden folders (.tmp-*, .deleting-*) are never seen.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Db, ident, literal } from '../core/db.ts';
import { HarmnetError } from '../core/errors.ts';
import { MANIFEST_FILE, SNAPSHOT_ID_PATTERN, parseManifest, type Manifest } from './snapshot-manifest.ts';

export type { Manifest } from './snapshot-manifest.ts';

export interface SnapshotSummary {
  snapshot_id: string;
  as_of: string;
  created_at: string | null;
  previous_snapshot_id: string | null;
  code_version: string | null;
  /** Rows per table, in table-name order. */
  rows: Record<string, number>;
  bytes: number;
  /** Set when the manifest is missing or does not parse; such a snapshot is never "latest". */
  problem?: string;
}

/** Snapshot folder names in `dir` (complete snapshots only: hidden and partial folders are skipped). */
function snapshotFolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && SNAPSHOT_ID_PATTERN.test(e.name))
    .map((e) => e.name);
}

/** Every snapshot in `dir`, sorted by as_of then id. */
export function listSnapshots(dir: string): SnapshotSummary[] {
  const out: SnapshotSummary[] = [];
  for (const id of snapshotFolders(dir)) {
    const asOf = id.slice(0, 10);
    try {
      const m = readManifest(dir, id);
      out.push({
        snapshot_id: id,
        as_of: m.as_of,
        created_at: m.created_at,
        previous_snapshot_id: m.previous_snapshot_id,
        code_version: m.code_version,
        rows: Object.fromEntries(Object.entries(m.tables).map(([name, t]) => [name, t.rows])),
        bytes: Object.values(m.tables).reduce((s, t) => s + t.bytes, 0),
      });
    } catch (e) {
      if (!(e instanceof HarmnetError)) throw e;
      out.push({ snapshot_id: id, as_of: asOf, created_at: null, previous_snapshot_id: null, code_version: null, rows: {}, bytes: 0, problem: e.message });
    }
  }
  return out.sort((a, b) => (a.as_of < b.as_of ? -1 : a.as_of > b.as_of ? 1 : a.snapshot_id < b.snapshot_id ? -1 : a.snapshot_id > b.snapshot_id ? 1 : 0));
}

/** The newest readable snapshot (by as_of, then id), or null when there is none. */
export function latestSnapshotId(dir: string): string | null {
  return listSnapshots(dir).filter((s) => !s.problem).at(-1)?.snapshot_id ?? null;
}

/** The newest readable snapshot with as_of strictly before `asOf` (a manifest's previous_snapshot_id). */
export function latestSnapshotBefore(dir: string, asOf: string): string | null {
  return listSnapshots(dir).filter((s) => !s.problem && s.as_of < asOf).at(-1)?.snapshot_id ?? null;
}

/** The folder of snapshot `id`, or SNAPSHOT_NOT_FOUND naming the id (also for ids that are not ids). */
export function snapshotFolder(dir: string, id: string): string {
  const folder = path.join(dir, id);
  if (!SNAPSHOT_ID_PATTERN.test(id) || !existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new HarmnetError('SNAPSHOT_NOT_FOUND', `snapshot "${id}" not found in ${dir} (ids look like 2026-11-16-3f9a1c2b7d10; see harmnet snapshot list)`);
  }
  return folder;
}

export function readManifest(dir: string, id: string): Manifest {
  const file = path.join(snapshotFolder(dir, id), MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new HarmnetError('SNAPSHOT_MANIFEST_INVALID', `${file} cannot be read: ${(e as Error).message}`, { cause: e });
  }
  const m = parseManifest(text, file);
  if (m.snapshot_id !== id) {
    throw new HarmnetError('SNAPSHOT_MANIFEST_INVALID', `${file} field snapshot_id: expected "${id}" (its folder), got "${m.snapshot_id}"`);
  }
  return m;
}

/** Resolves "latest" (or undefined) to the newest snapshot id; other ids pass through. */
export function resolveSnapshotId(dir: string, id?: string): string {
  if (id !== undefined && id !== 'latest') return id;
  const latest = latestSnapshotId(dir);
  if (!latest) throw new HarmnetError('SNAPSHOT_NOT_FOUND', `no snapshots in ${dir} (run harmnet run first)`);
  return latest;
}

/**
 * Opens a snapshot read-only: an in-memory DuckDB with one VIEW per table (`nominals`, `edges`, …)
 * over its Parquet file. Checks every file is present with its recorded size (cheap); with
 * `{ verify: true }` it first re-hashes everything (verifySnapshot; use it for exports). The caller
 * closes the Db.
 */
export async function openSnapshot(dir: string, id?: string, options: { verify?: boolean } = {}): Promise<{ db: Db; manifest: Manifest }> {
  const snapshotId = resolveSnapshotId(dir, id);
  if (options.verify) {
    const { verifySnapshot } = await import('./verify-snapshot.ts');
    await verifySnapshot(dir, snapshotId);
  }
  const manifest = readManifest(dir, snapshotId);
  const folder = snapshotFolder(dir, snapshotId);
  for (const t of Object.values(manifest.tables)) {
    const file = path.join(folder, t.file);
    const size = existsSync(file) ? statSync(file).size : -1;
    if (size !== t.bytes) {
      throw new HarmnetError('SNAPSHOT_TAMPERED', size < 0 ? `${file} is missing from snapshot ${snapshotId}` : `${file} is ${size} bytes, the manifest says ${t.bytes}`);
    }
  }
  const db = await Db.open(':memory:');
  try {
    for (const [name, t] of Object.entries(manifest.tables)) {
      await db.run(`CREATE VIEW ${ident(name)} AS SELECT * FROM read_parquet(${literal(path.resolve(folder, t.file))})`);
    }
  } catch (e) {
    db.close();
    throw e;
  }
  return { db, manifest };
}
