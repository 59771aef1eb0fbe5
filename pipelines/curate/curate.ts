// Builds curated.* for one week "as at" asOf from the raw rows of drop dropAsOf: SQL models in ./sql
// (dbt-style source → renamed → final CTEs, values bound as $as_of / $drop_as_of), run in order by this shell.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StageContext } from '../core/context.ts';
import { HarmnetError } from '../core/errors.ts';
import { ident } from '../core/db.ts';
import { ensureRawSchema, isIsoDate } from '../ingest/ingest-drop.ts';
import { withCompression } from '../ingest/write-settings.ts';

const sqlDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sql');

/** The models in build order (each file makes the table it is named after). */
export const CURATED_MODELS = ['offence', 'crime', 'custody', 'intel', 'pins', 'missing', 'involvement', 'identity', 'quality'] as const;

export async function curate(
  ctx: StageContext,
  opts: { asOf: string; dropAsOf: string },
): Promise<{ counts: Record<string, number>; quality: { source: string; check: string; value: number }[] }> {
  const { db, log } = ctx;
  for (const [name, v] of Object.entries(opts)) {
    if (!isIsoDate(v)) throw new HarmnetError('INPUT_INVALID', `curate: ${name} must be a date YYYY-MM-DD, got "${v}"`);
  }
  if (opts.dropAsOf < opts.asOf) {
    throw new HarmnetError('INPUT_INVALID', `curate: drop ${opts.dropAsOf} is earlier than as-at ${opts.asOf}; a week is built from its own or a later cumulative drop`);
  }
  const refReady = Number(await db.value(`SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'ref' AND table_name IN ('cchi', 'ons_css', 'mopi_group')`));
  if (refReady < 3) throw new HarmnetError('REFERENCE_INVALID', 'curate: reference tables not loaded (run loadReferenceTables first)');
  await ensureRawSchema(ctx);
  const loaded = Number(await db.value("SELECT count(*) FROM raw.files WHERE drop_as_of = $d::DATE AND status = 'loaded'", { d: opts.dropAsOf }));
  if (loaded === 0) throw new HarmnetError('EXTRACT_NOT_FOUND', `curate: no source of drop ${opts.dropAsOf} has been ingested; run ingest for it first`);
  const params = { as_of: opts.asOf, drop_as_of: opts.dropAsOf };

  // No outer transaction: each model is one atomic CREATE OR REPLACE, and holding millions of rows
  // of several tables in one transaction's undo state made a force-scale week several times slower.
  await db.runFile(path.join(sqlDir, 'setup.sql'));
  await writeReliabilityPolicy(ctx);
  // involvement is a view now; a warehouse from before that change holds it as a table.
  if (Number(await db.value("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'curated' AND table_name = 'involvement'")) > 0) {
    await db.run('DROP TABLE curated.involvement');
  }
  await withCompression(db, 'uncompressed', async () => {
    for (const model of CURATED_MODELS) {
      const started = performance.now();
      await db.runFile(path.join(sqlDir, `${model}.sql`), params);
      log.progress(`curate ${model}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  });
  await db.run('CREATE OR REPLACE TABLE curated.retention_deleted ("group" INTEGER, reason VARCHAR, records BIGINT)');

  const counts: Record<string, number> = {};
  for (const model of CURATED_MODELS) counts[model] = Number(await db.value(`SELECT count(*) FROM curated.${ident(model)}`));
  const quality = (await db.all<{ source: string; check: string; value: number }>(
    'SELECT source, "check", value FROM curated.quality ORDER BY source, "check"')).map((q) => ({ ...q, value: Number(q.value) }));
  log.info(`curate ${opts.asOf} (drop ${opts.dropAsOf}): ${counts.involvement} involvements, ${counts.identity} identity variants`);
  return { counts, quality };
}

/** curated.reliability_policy: every accepted (scheme, source grade, intelligence grade) of the config. */
async function writeReliabilityPolicy(ctx: StageContext): Promise<void> {
  const { db, config } = ctx;
  const p = config.reliability;
  await db.run('CREATE OR REPLACE TABLE curated.reliability_policy (version VARCHAR, grading_scheme VARCHAR, source_grade VARCHAR, intel_grade VARCHAR)');
  const schemes: [string, { source: string[]; intel: string[] }][] = [['3x5x2', p.grading3x5x2], ['5x5x5', p.grading5x5x5]];
  for (const [scheme, g] of schemes) {
    for (const s of g.source) {
      for (const i of g.intel) {
        await db.run('INSERT INTO curated.reliability_policy VALUES ($version, $scheme, $source, $intel)', {
          version: p.version, scheme, source: s.toUpperCase(), intel: i.toUpperCase(),
        });
      }
    }
  }
}
