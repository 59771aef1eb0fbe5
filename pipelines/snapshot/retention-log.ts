// The append-only retention log `<snapshots>/retention-log.jsonl`: legal holds placed and released,
// and snapshot expiries. Hash-chained (each line carries the sha256 of the line before) so an edit shows.

import { closeSync, existsSync, fsyncSync, openSync, readFileSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { HarmnetError } from '../core/errors.ts';
import { pidAlive } from './durable-fs.ts';

export const RETENTION_LOG = 'retention-log.jsonl';
const GENESIS = '0'.repeat(64);

export type RetentionEvent =
  | { action: 'hold_add'; hold_id: number; snapshot_id: string; reason: string; by: string }
  | { action: 'hold_remove'; hold_id: number; snapshot_id: string; reason: string; by: string }
  | { action: 'expire'; as_of: string; cutoff: string; retention_weeks: number; deleted: string[]; held: string[] };

export type LoggedEvent = RetentionEvent & { seq: number; at: string; prev: string };

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** Reads and checks the whole log. An unterminated last line (an append cut short by a crash) is ignored. */
export function readRetentionLog(snapshotsDir: string): LoggedEvent[] {
  const file = path.join(snapshotsDir, RETENTION_LOG);
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  const lines = complete.split('\n').slice(0, -1);
  const out: LoggedEvent[] = [];
  let prev = GENESIS;
  lines.forEach((line, i) => {
    let e: LoggedEvent;
    try {
      e = JSON.parse(line) as LoggedEvent;
    } catch {
      throw new HarmnetError('SNAPSHOT_TAMPERED', `${file} line ${i + 1} does not parse as JSON`);
    }
    if (e.seq !== i + 1 || e.prev !== prev) {
      throw new HarmnetError('SNAPSHOT_TAMPERED', `${file} line ${i + 1}: the hash chain is broken (a line was edited, removed or inserted)`);
    }
    prev = sha(line);
    out.push(e);
  });
  return out;
}

/** Appends one event (under a lock file, fsynced); returns it as logged. */
export function appendRetentionEvent(snapshotsDir: string, event: RetentionEvent, at: Date): LoggedEvent {
  return withLock(snapshotsDir, () => {
    const file = path.join(snapshotsDir, RETENTION_LOG);
    const events = readRetentionLog(snapshotsDir);
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const completeLength = Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1));
    if (completeLength !== Buffer.byteLength(text)) truncateSync(file, completeLength); // drop a cut-short line
    const lastLine = text.slice(0, completeLength).split('\n').slice(0, -1).at(-1);
    const logged = { seq: events.length + 1, at: at.toISOString(), ...event, prev: lastLine === undefined ? GENESIS : sha(lastLine) } as LoggedEvent;
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

function withLock<T>(snapshotsDir: string, fn: () => T): T {
  const lock = path.join(snapshotsDir, '.retention-log.lock');
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
