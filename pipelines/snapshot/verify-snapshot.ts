// Re-hashes a snapshot against its manifest: every table file's size and sha256, no file missing or
// extra, and the manifest's own content hash against the id. Collects every problem, throws once.

import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { HarmnetError, ProblemList } from '../core/errors.ts';
import { sha256File } from './durable-fs.ts';
import { readManifest, snapshotFolder } from './read-snapshot.ts';
import { MANIFEST_FILE, manifestContentHash, SNAPSHOT_ID_PATTERN } from './snapshot-manifest.ts';

/** Throws SNAPSHOT_NOT_FOUND, SNAPSHOT_MANIFEST_INVALID or SNAPSHOT_TAMPERED (naming each file). */
export async function verifySnapshot(dir: string, id: string): Promise<{ ok: true; files: number; bytes: number }> {
  const folder = snapshotFolder(dir, id);
  const manifest = readManifest(dir, id);
  const problems = new ProblemList();
  const manifestFile = path.join(folder, MANIFEST_FILE);

  const [, asOf, hash12] = SNAPSHOT_ID_PATTERN.exec(id)!;
  if (manifest.as_of !== asOf) problems.add(`${manifestFile} was edited: as_of is ${manifest.as_of} but the snapshot id says ${asOf}`);
  const contentHash = manifestContentHash(manifest);
  if (contentHash.slice(0, 12) !== hash12) {
    problems.add(`${manifestFile} was edited: its content hashes to ${contentHash.slice(0, 12)} but the snapshot id says ${hash12}`);
  }

  const expected = new Map(Object.values(manifest.tables).map((t) => [t.file, t]));
  let present: string[];
  try {
    present = readdirSync(folder);
  } catch (e) {
    throw new HarmnetError('SNAPSHOT_TAMPERED', `${folder} cannot be listed: ${(e as Error).message}`, { cause: e });
  }
  for (const name of present.sort()) {
    if (name !== MANIFEST_FILE && !expected.has(name)) problems.add(`${path.join(folder, name)} is not in the manifest (extra file)`);
  }
  let bytes = 0;
  for (const [name, t] of [...expected].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const file = path.join(folder, name);
    if (!present.includes(name)) {
      problems.add(`${file} is missing (the manifest lists ${t.rows} rows, sha256 ${t.sha256})`);
      continue;
    }
    const size = statSync(file).size;
    bytes += size;
    const sha = await sha256File(file);
    if (sha !== t.sha256) problems.add(`${file} has changed: sha256 ${sha}, the manifest says ${t.sha256}${size !== t.bytes ? ` (${size} bytes, was ${t.bytes})` : ''}`);
  }
  problems.throwIfAny('SNAPSHOT_TAMPERED');
  return { ok: true, files: expected.size + 1, bytes };
}
