// Bulk-write settings for the weekly stages: tables written uncompressed while a stage runs (string
// compression cost ~2.5x the CPU of the write itself at force scale), restoring the previous setting after.

import type { Db } from '../core/db.ts';

/** Runs fn with DuckDB's force_compression set to `mode`, restoring the previous value afterwards. */
export async function withCompression<T>(db: Db, mode: 'uncompressed' | 'auto', fn: () => Promise<T>): Promise<T> {
  const before = String(await db.value("SELECT current_setting('force_compression')"));
  await db.run(`SET force_compression = '${mode}'`);
  try {
    return await fn();
  } finally {
    await db.run(`SET force_compression = '${/^[a-z_]+$/.test(before) ? before : 'auto'}'`);
  }
}
