// Re-hashes a snapshot against its manifest: every table file's sha256, no file missing or extra,
// the manifest's content hash against the id, SHA256SUMS consistent. Collects problems, throws once.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { HarmnetError, ProblemList } from '../core/errors.ts';
import { sha256File } from './durable-fs.ts';
import { readManifest, snapshotFolder } from './read-snapshot.ts';
import { MANIFEST_FILE, manifestContentHash, sha256Sums, SNAPSHOT_ID_PATTERN, SUMS_FILE } from './snapshot-manifest.ts';

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
    if (name !== MANIFEST_FILE && name !== SUMS_FILE && !expected.has(name)) problems.add(`${path.join(folder, name)} is not in the manifest (extra file)`);
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
  const sumsFile = path.join(folder, SUMS_FILE);
  if (!present.includes(SUMS_FILE)) problems.add(`${sumsFile} is missing`);
  else {
    const wanted = sha256Sums(manifest, await sha256File(manifestFile));
    if (readFileSync(sumsFile, 'utf8') !== wanted) problems.add(`${sumsFile} does not match manifest.json and the table files`);
  }
  problems.throwIfAny('SNAPSHOT_TAMPERED');
  return { ok: true, files: expected.size + 2, bytes };
}
