// An append-only JSON-lines log where each line carries the sha256 of the line before, so an edit,
// removal or insertion shows. Appends are fsynced under a lock file; a line cut short by a crash is dropped.

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { HarmnetError, type HarmnetErrorCode } from './errors.ts';
import { pidAlive } from './pid-alive.ts';

const GENESIS = '0'.repeat(64);
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

export type Chained<E> = E & { seq: number; at: string; prev: string };

export interface ChainedLog<E extends object> {
  file: string;
  read(): Chained<E>[];
  append(event: E, at: Date): Chained<E>;
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
        rmSync(lock, { force: true }); // left by a process that died
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

/** The log `<dir>/<name>`; a broken chain is reported with `brokenCode`, naming the line. */
export function chainedLog<E extends object>(dir: string, name: string, brokenCode: HarmnetErrorCode): ChainedLog<E> {
  const file = path.join(dir, name);
  const lock = path.join(dir, `.${name.replace(/\.jsonl$/, '')}.lock`);
  const completeText = () => {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    return { text, complete: text.slice(0, text.lastIndexOf('\n') + 1) };
  };
  const read = (): Chained<E>[] => {
    const lines = completeText().complete.split('\n').slice(0, -1);
    let prev = GENESIS;
    return lines.map((line, i) => {
      let e: Chained<E>;
      try {
        e = JSON.parse(line) as Chained<E>;
      } catch {
        throw new HarmnetError(brokenCode, `${file} line ${i + 1} does not parse as JSON`);
      }
      if (e.seq !== i + 1 || e.prev !== prev) {
        throw new HarmnetError(brokenCode, `${file} line ${i + 1}: the hash chain is broken (a line was edited, removed or inserted)`);
      }
      prev = sha(line);
      return e;
    });
  };
  const append = (event: E, at: Date): Chained<E> => {
    mkdirSync(dir, { recursive: true });
    return withLock(lock, () => {
      const events = read();
      const { text, complete } = completeText();
      if (complete.length !== text.length) truncateSync(file, Buffer.byteLength(complete)); // drop a cut-short line
      const lastLine = complete.split('\n').slice(0, -1).at(-1);
      const logged = { seq: events.length + 1, at: at.toISOString(), ...event, prev: lastLine === undefined ? GENESIS : sha(lastLine) } as Chained<E>;
      const fd = openSync(file, 'a', 0o644);
      try {
        writeSync(fd, JSON.stringify(logged) + '\n');
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      return logged;
    });
  };
  return { file, read, append };
}
