// File-system steps a snapshot needs to survive a crash: fsync of files and folders, streamed sha256,
// read-only marking, and removal of read-only trees. Thin wrappers over node:fs, no policy.

import { chmodSync, closeSync, fsyncSync, lstatSync, openSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

/** Flushes a file's or folder's contents (a folder: its entries) to the disk. */
export function fsyncPath(p: string): void {
  const fd = openSync(p, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}


/** Marks every file in a folder 0444 and the folder 0555: a snapshot is never modified. */
export function makeReadOnly(dir: string): void {
  for (const name of readdirSync(dir)) chmodSync(path.join(dir, name), 0o444);
  chmodSync(dir, 0o555);
}

/** Removes a folder tree even when it was made read-only (non-root users need u+w to unlink). */
export function removeTree(dir: string): void {
  let stat;
  try {
    stat = lstatSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (stat.isDirectory()) chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
}

export { pidAlive } from '../core/pid-alive.ts';
export { sha256File } from '../core/sha256-file.ts';
