// An export bundle: a folder of files, each hashed into manifest.json (with the snapshot id(s) and their
// table hashes) and SHA256SUMS; verifyBundle re-hashes everything and names every file that differs.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HarmnetError, ProblemList } from '../core/errors.ts';
import { canonicalJson } from '../snapshot/snapshot-manifest.ts';
import { readManifest } from '../snapshot/read-snapshot.ts';
import { verifySnapshot } from '../snapshot/verify-snapshot.ts';
import { fsyncPath } from '../snapshot/durable-fs.ts';

export const BUNDLE_FORMAT = 'harmnet-export/1';
export const BUNDLE_MANIFEST = 'manifest.json';
export const BUNDLE_SUMS = 'SHA256SUMS';

export interface BundleSnapshotRef {
  snapshot_id: string;
  as_of: string;
  /** The snapshot's table hashes as they were when the bundle was made. */
  tables: Record<string, { file: string; rows: number; sha256: string }>;
}

export interface BundleFile {
  path: string;
  bytes: number;
  sha256: string;
  description: string;
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  kind: 'disclosure' | 'subject-access';
  subject: { type: 'nominal' | 'network'; id: string };
  created_at: string;
  created_by: string;
  code_version: string;
  snapshots: BundleSnapshotRef[];
  files: BundleFile[];
  /** sha256 of the canonical JSON of everything above except created_at/created_by: certifies the file list. */
  bundle_sha256: string;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The hash a manifest certifies: kind, subject, snapshots, files, code version (not the wall clock). */
export function bundleContentHash(m: Pick<BundleManifest, 'format' | 'kind' | 'subject' | 'code_version' | 'snapshots' | 'files'>): string {
  return sha256(canonicalJson({ format: m.format, kind: m.kind, subject: m.subject, code_version: m.code_version, snapshots: m.snapshots, files: m.files }));
}

/** The coreutils `sha256sum` lines for the files and the manifest, sorted by path. */
export function bundleSums(files: Pick<BundleFile, 'path' | 'sha256'>[], manifestSha256: string): string {
  const lines = [...files.map((f) => [f.sha256, f.path] as const), [manifestSha256, BUNDLE_MANIFEST] as const]
    .sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([h, p]) => `${h}  ${p}`);
  return lines.join('\n') + '\n';
}

/** The snapshot reference recorded in a bundle (id, as_of and every table hash from its manifest). */
export function snapshotRef(snapshotsDir: string, snapshotId: string): BundleSnapshotRef {
  const m = readManifest(snapshotsDir, snapshotId);
  const tables = Object.fromEntries(
    Object.entries(m.tables).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, t]) => [name, { file: t.file, rows: t.rows, sha256: t.sha256 }]),
  );
  return { snapshot_id: m.snapshot_id, as_of: m.as_of, tables };
}

/** Refuses an output folder that exists and is not empty (an export never overwrites or mixes); returns its absolute path. */
export function checkOutDir(outDir: string): string {
  const dir = path.resolve(outDir);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new HarmnetError('INPUT_INVALID', `--out ${outDir} is a file; expected an empty or new folder`);
    if (readdirSync(dir).length > 0) throw new HarmnetError('INPUT_INVALID', `--out ${outDir} is not empty; expected an empty or new folder (an export never overwrites)`);
  }
  return dir;
}

/**
 * Collects the files of one bundle in a hidden work folder beside the target; `finish` writes
 * manifest.json and SHA256SUMS, `commit` renames the folder into place (so a crash never leaves a
 * partial bundle under the target name), `discard` removes it. Paths are code, never data.
 */
export class BundleWriter {
  private readonly files: BundleFile[] = [];
  readonly dir: string;
  constructor(readonly finalDir: string) {
    this.dir = path.join(path.dirname(finalDir), `.${path.basename(finalDir)}.tmp-${process.pid}`);
    mkdirSync(path.dirname(finalDir), { recursive: true });
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir);
  }

  commit(): void {
    checkOutDir(this.finalDir);
    if (existsSync(this.finalDir)) rmdirSync(this.finalDir); // empty (just checked): rename needs it gone
    renameSync(this.dir, this.finalDir);
    fsyncPath(path.dirname(this.finalDir));
  }

  discard(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  add(relPath: string, content: string | Buffer, description: string): void {
    if (!/^[A-Za-z0-9][A-Za-z0-9_./-]*$/.test(relPath) || relPath.includes('..') || relPath === BUNDLE_MANIFEST || relPath === BUNDLE_SUMS) {
      throw new HarmnetError('INPUT_INVALID', `bundle file name not allowed: "${relPath}"`);
    }
    if (this.files.some((f) => f.path === relPath)) throw new HarmnetError('INPUT_INVALID', `bundle file written twice: ${relPath}`);
    const file = path.join(this.dir, relPath);
    mkdirSync(path.dirname(file), { recursive: true });
    const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    writeFileSync(file, buf, { flag: 'wx' });
    this.files.push({ path: relPath, bytes: buf.length, sha256: sha256(buf), description });
  }

  finish(meta: Pick<BundleManifest, 'kind' | 'subject' | 'created_at' | 'created_by' | 'code_version' | 'snapshots'>): BundleManifest {
    const files = [...this.files].sort((a, b) => (a.path < b.path ? -1 : 1));
    const base = { format: BUNDLE_FORMAT, ...meta, files } as const;
    const manifest: BundleManifest = { ...base, bundle_sha256: bundleContentHash(base) };
    const text = JSON.stringify(manifest, null, 2) + '\n';
    writeFileSync(path.join(this.dir, BUNDLE_MANIFEST), text, { flag: 'wx' });
    writeFileSync(path.join(this.dir, BUNDLE_SUMS), bundleSums(files, sha256(text)), { flag: 'wx' });
    return manifest;
  }
}

function listFilesRecursive(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFilesRecursive(path.join(dir, e.name), rel));
    else out.push(rel);
  }
  return out;
}

export interface BundleVerifyResult {
  ok: true;
  kind: BundleManifest['kind'];
  subject: BundleManifest['subject'];
  files: number;
  bundle_sha256: string;
  /** Per snapshot: 'matches' (still retained, table hashes equal and files re-hashed) or 'not retained'. */
  snapshots: { snapshot_id: string; status: 'matches' | 'not retained' }[];
}

/**
 * Re-hashes every file against manifest.json, checks SHA256SUMS and the manifest's own content hash,
 * and, for each snapshot still in `snapshotsDir`, that its table hashes equal those recorded. Collects
 * every problem, then throws BUNDLE_TAMPERED naming each file.
 */
export async function verifyBundle(dir: string, options: { snapshotsDir?: string } = {}): Promise<BundleVerifyResult> {
  const root = path.resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new HarmnetError('NOT_FOUND', `bundle folder ${dir} not found`);
  const manifestFile = path.join(root, BUNDLE_MANIFEST);
  if (!existsSync(manifestFile)) throw new HarmnetError('BUNDLE_TAMPERED', `${manifestFile} is missing: not an export bundle, or its manifest was removed`);
  const manifestText = readFileSync(manifestFile, 'utf8');
  let m: BundleManifest;
  try {
    m = JSON.parse(manifestText) as BundleManifest;
  } catch (e) {
    throw new HarmnetError('BUNDLE_TAMPERED', `${manifestFile} does not parse as JSON: ${(e as Error).message}`);
  }
  if (m.format !== BUNDLE_FORMAT || !Array.isArray(m.files) || !Array.isArray(m.snapshots)) {
    throw new HarmnetError('BUNDLE_TAMPERED', `${manifestFile} field format: expected "${BUNDLE_FORMAT}" with files and snapshots lists`);
  }
  const problems = new ProblemList();
  if (bundleContentHash(m) !== m.bundle_sha256) {
    problems.add(`${manifestFile} was edited: its content hashes to ${bundleContentHash(m).slice(0, 12)}… but bundle_sha256 says ${String(m.bundle_sha256).slice(0, 12)}…`);
  }
  const listed = new Map(m.files.map((f) => [f.path, f]));
  const present = listFilesRecursive(root).sort();
  for (const rel of present) {
    if (rel !== BUNDLE_MANIFEST && rel !== BUNDLE_SUMS && !listed.has(rel)) problems.add(`${path.join(root, rel)} is not in the manifest (extra file)`);
  }
  for (const f of [...m.files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const file = path.join(root, f.path);
    if (!present.includes(f.path)) {
      problems.add(`${file} is missing (the manifest lists sha256 ${f.sha256})`);
      continue;
    }
    const actual = sha256(readFileSync(file));
    if (actual !== f.sha256) problems.add(`${file} has changed: sha256 ${actual}, the manifest says ${f.sha256}`);
  }
  const sumsFile = path.join(root, BUNDLE_SUMS);
  if (!present.includes(BUNDLE_SUMS)) problems.add(`${sumsFile} is missing`);
  else if (readFileSync(sumsFile, 'utf8') !== bundleSums(m.files, sha256(manifestText))) problems.add(`${sumsFile} does not match manifest.json and the files`);

  const snapshots: BundleVerifyResult['snapshots'] = [];
  for (const s of m.snapshots) {
    if (!options.snapshotsDir || !existsSync(path.join(options.snapshotsDir, s.snapshot_id))) {
      snapshots.push({ snapshot_id: s.snapshot_id, status: 'not retained' });
      continue;
    }
    try {
      await verifySnapshot(options.snapshotsDir, s.snapshot_id);
      const now = snapshotRef(options.snapshotsDir, s.snapshot_id);
      for (const [name, t] of Object.entries(s.tables)) {
        if (now.tables[name]?.sha256 !== t.sha256) {
          problems.add(`snapshot ${s.snapshot_id} table ${name}: sha256 is ${now.tables[name]?.sha256 ?? 'absent'}, the bundle recorded ${t.sha256}`);
        }
      }
      snapshots.push({ snapshot_id: s.snapshot_id, status: 'matches' });
    } catch (e) {
      if (!(e instanceof HarmnetError)) throw e;
      problems.add(`snapshot ${s.snapshot_id} does not verify: ${e.message}`);
    }
  }
  problems.throwIfAny('BUNDLE_TAMPERED');
  return { ok: true, kind: m.kind, subject: m.subject, files: m.files.length, bundle_sha256: m.bundle_sha256, snapshots };
}
