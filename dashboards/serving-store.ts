// The server's own state in var/serving.duckdb (users, sessions, audit, feedback, grants).
// One Db per file per process, opened once and shared, because DuckDB holds a file lock per process.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Db } from '../pipelines/core/db.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SERVING_SCHEMA_SQL = path.join(here, 'queries', 'serving-schema.sql');

interface Entry {
  db: Db;
  refs: number;
}
const open = new Map<string, Promise<Entry>>();

/** Opens (creating if needed) the serving database; the same file shares one Db until every holder releases it. */
export async function openServing(file: string): Promise<{ db: Db; release(): void }> {
  const key = file === ':memory:' ? `:memory:${Math.random()}` : path.resolve(file);
  let pending = open.get(key);
  if (!pending) {
    pending = (async () => {
      const db = await Db.open(file === ':memory:' ? ':memory:' : key);
      await db.runFile(SERVING_SCHEMA_SQL);
      return { db, refs: 0 };
    })();
    open.set(key, pending);
    pending.catch(() => open.delete(key));
  }
  const entry = await pending;
  entry.refs++;
  let released = false;
  return {
    db: entry.db,
    release() {
      if (released) return;
      released = true;
      entry.refs--;
      if (entry.refs === 0) {
        open.delete(key);
        entry.db.close();
      }
    },
  };
}
