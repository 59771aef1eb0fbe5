// MOPI retention: removes from curated.* the records past their MOPI period as at asOf (and from raw.*
// too for the deletions, groups 1 and 3), recording how many per group and reason (never who).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StageContext } from '../core/context.ts';
import { HarmnetError } from '../core/errors.ts';
import { isIsoDate } from '../ingest/ingest-drop.ts';
import { withCompression } from '../ingest/write-settings.ts';

const sqlDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sql');

/**
 * `dropAsOf` (the drop the week was curated from): when given, curated.quality is recounted after the
 * deletions, so it describes what the week holds, the same however often the week is run.
 */
export async function applyRetention(ctx: StageContext, opts: { asOf: string; dropAsOf?: string }): Promise<{ group: number; reason: string; records: number }[]> {
  const { db, config, log } = ctx;
  if (!isIsoDate(opts.asOf)) throw new HarmnetError('INPUT_INVALID', `retention: asOf must be a date YYYY-MM-DD, got "${opts.asOf}"`);
  const r = config.retention;
  // No transaction of its own: `harmnet run` wraps this stage in one (a nested BEGIN would fail).
  await withCompression(db, 'uncompressed', async () => {
    await db.runFile(path.join(sqlDir, 'retention.sql'), {
      as_of: opts.asOf, group1_age_years: r.group1AgeYears, group2_review_years: r.group2ReviewYears, group3_clear_years: r.group3ClearYears,
    });
    // Identities whose every record was removed drop out; counts and first/last seen are recomputed.
    await db.runFile(path.join(sqlDir, 'identity-refresh.sql'));
    if (opts.dropAsOf) await db.runFile(path.join(sqlDir, 'quality.sql'), { as_of: opts.asOf, drop_as_of: opts.dropAsOf });
  });
  const rows = await db.all<{ group: number; reason: string; records: number }>(
    'SELECT "group", reason, records FROM curated.retention_deleted ORDER BY "group"');
  const out = rows.map((x) => ({ group: Number(x.group), reason: x.reason, records: Number(x.records) }));
  log.info(`retention ${opts.asOf}: ${out.map((x) => `group ${x.group} ${x.records}`).join(', ')} records removed from curated`);
  return out;
}
