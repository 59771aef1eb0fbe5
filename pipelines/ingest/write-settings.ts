// Bulk-write settings for the weekly stages: tables written uncompressed (string compression cost ~2.5x
// the CPU of the write itself at force scale) and DuckDB memory capped, restoring both settings after.

import type { Db } from '../core/db.ts';

/** DuckDB's memory cap while ingest/curate run: keeps the process under 4 GB RSS (it spills beyond). */
export const BULK_MEMORY_LIMIT = '3GB';

const SAFE = /^[A-Za-z0-9_. ]+$/;

/** Runs fn with force_compression = `mode` and memory_limit ≤ BULK_MEMORY_LIMIT, restoring both after. */
export async function withCompression<T>(db: Db, mode: 'uncompressed' | 'auto', fn: () => Promise<T>): Promise<T> {
  const compression = String(await db.value("SELECT current_setting('force_compression')"));
  const memory = String(await db.value("SELECT current_setting('memory_limit')"));
  await db.run(`SET force_compression = '${mode}'`);
  const lowerMemory = sizeBytes(memory) > sizeBytes(BULK_MEMORY_LIMIT);
  if (lowerMemory) await db.run(`SET memory_limit = '${BULK_MEMORY_LIMIT}'`);
  try {
    return await fn();
  } finally {
    await db.run(`SET force_compression = '${SAFE.test(compression) ? compression : 'auto'}'`);
    if (lowerMemory && SAFE.test(memory)) await db.run(`SET memory_limit = '${memory}'`);
  }
}

/** Bytes in a DuckDB size text such as "18.3 GiB" or "3GB" (unknown text counts as unlimited). */
export function sizeBytes(s: string): number {
  const m = /^([\d.]+)\s*([KMGT]?i?B)?$/i.exec(s.trim());
  if (!m) return Number.POSITIVE_INFINITY;
  const unit = (m[2] ?? 'B').toUpperCase();
  const pow = ({ B: 0, KB: 1, KIB: 1, MB: 2, MIB: 2, GB: 3, GIB: 3, TB: 4, TIB: 4 } as Record<string, number>)[unit] ?? 0;
  return Number(m[1]) * (unit.includes('I') ? 1024 : 1000) ** pow;
}
