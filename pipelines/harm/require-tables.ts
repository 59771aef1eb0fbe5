// Checks that the warehouse tables a stage reads exist, naming every missing one in a single error,
// so a stage run out of order fails with a clear message instead of a DuckDB catalog error.

import type { StageContext } from '../core/context.ts';
import { HarmnetError } from '../core/errors.ts';

/** Throws INPUT_INVALID naming each `schema.table` in `names` that does not exist. */
export async function requireTables(ctx: StageContext, stage: string, names: readonly string[]): Promise<void> {
  const rows = await ctx.db.all<{ name: string }>(
    `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables`,
  );
  const have = new Set(rows.map((r) => r.name));
  const missing = names.filter((n) => !have.has(n));
  if (missing.length > 0) {
    throw new HarmnetError('INPUT_INVALID', `${stage} needs table${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, not found in the warehouse (run the earlier stages first)`);
  }
}
