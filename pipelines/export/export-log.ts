// The append-only export log `<snapshots>/export-log.jsonl`: every disclosure and subject-access export
// (who, what, which snapshot, when). Same hash-chained line format as snapshot/retention-log.ts.

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { HarmnetError } from '../core/errors.ts';
import { pidAlive } from '../snapshot/durable-fs.ts';

export const EXPORT_LOG = 'export-log.jsonl';
const GENESIS = '0'.repeat(64);

/** No personal data beyond the subject's id: no names, no output paths, no record contents. */
export interface ExportEvent {
  action: 'disclosure' | 'subject_access';
  subject_type: 'nominal' | 'network';
  subject_id: string;
  snapshot_ids: string[];
  by: string;
  bundle_sha256: string;
  /** For a network disclosure: the member nominal ids whose figures went into the bundle. */
  member_ids?: string[];
}

export type LoggedExport = ExportEvent & { seq: number; at: string; prev: string };

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** Reads and checks the whole chain; an unterminated last line (an append cut short) is ignored. */
export function readExportLog(snapshotsDir: string): LoggedExport[] {
  const file = path.join(snapshotsDir, EXPORT_LOG);
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const lines = text.slice(0, text.lastIndexOf('\n') + 1).split('\n').slice(0, -1);
  let prev = GENESIS;
  return lines.map((line, i) => {
    let e: LoggedExport;
    try {
      e = JSON.parse(line) as LoggedExport;
    } catch {
      throw new HarmnetError('AUDIT_CHAIN_BROKEN', `${file} line ${i + 1} does not parse as JSON`);
    }
    if (e.seq !== i + 1 || e.prev !== prev) throw new HarmnetError('AUDIT_CHAIN_BROKEN', `${file} line ${i + 1}: the hash chain is broken (a line was edited, removed or inserted)`);
    prev = sha(line);
    return e;
  });
}

/** Appends one export (under a lock file, fsynced) and returns it as logged. */
export function appendExportEvent(snapshotsDir: string, event: ExportEvent, at: Date): LoggedExport {
  mkdirSync(snapshotsDir, { recursive: true });
  return withLock(path.join(snapshotsDir, '.export-log.lock'), () => {
    const file = path.join(snapshotsDir, EXPORT_LOG);
    const events = readExportLog(snapshotsDir);
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    if (complete.length !== text.length) truncateSync(file, Buffer.byteLength(complete)); // drop a cut-short line
    const lastLine = complete.split('\n').slice(0, -1).at(-1);
    const logged: LoggedExport = { seq: events.length + 1, at: at.toISOString(), ...event, prev: lastLine === undefined ? GENESIS : sha(lastLine) };
    const fd = openSync(file, 'a', 0o644);
    try {
      writeSync(fd, JSON.stringify(logged) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return logged;
  });
}

function withLock<T>(lock: string, fn: () => T): T {
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(lock, 'utf8'));
      if (!holder || !pidAlive(holder)) {
        rmSync(lock, { force: true });
        continue;
      }
      if (attempt > 200) throw new HarmnetError('RUN_LOCKED', `${lock} is held by process ${holder}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { force: true });
  }
}
