// One weekly run at a time: an exclusive lock file holding the owner's pid. A lock left by a
// process that no longer exists (a crash) is taken over, so the next run can always recover.

import { openSync, writeSync, closeSync, readFileSync, unlinkSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { HarmnetError } from '../core/errors.ts';
import { pidAlive } from '../core/pid-alive.ts';


export interface Lock {
  release(): void;
}

export function acquireLock(file: string): Lock {
  mkdirSync(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            unlinkSync(file);
          } catch {
            /* already gone: nothing to release */
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && pidAlive(owner) && owner !== process.pid) {
        throw new HarmnetError('RUN_LOCKED', `another harmnet run (pid ${owner}) holds ${file}; one run at a time`);
      }
      unlinkSync(file); // stale lock from a crashed run
    }
  }
  throw new HarmnetError('RUN_LOCKED', `could not acquire ${file}`);
}
