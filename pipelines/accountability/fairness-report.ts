// The weekly fairness stage (safeguard 18): ethnicity, sex and age-group distribution per harm band,
// top-N influence cohort and network membership against all nominals; counts in SQL, ratios pure.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StageContext } from '../core/context.ts';
import type { Db } from '../core/db.ts';
import { ident } from '../core/db.ts';
import type { SnapshotTable } from '../snapshot/write-snapshot.ts';
import { fairnessDisparity, type CohortCount } from '../../graph/fairness/fairness-disparity.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Influence measures whose `<measure>_rank` column gives a top-N cohort, when present. */
export const INFLUENCE_MEASURES = ['pagerank', 'betweenness', 'degree', 'weighted_degree', 'eigenvector', 'closeness', 'key_player_impact'] as const;

async function columns(db: Db, schema: string, table: string): Promise<string[]> {
  const rows = await db.all<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = $schema AND table_name = $table ORDER BY ordinal_position`,
    { schema, table },
  );
  return rows.map((r) => r.column_name);
}

const FAIRNESS_COLUMNS = `as_of DATE, attribute VARCHAR, "group" VARCHAR, harm_band VARCHAR, count BIGINT, share DOUBLE,
  baseline_share DOUBLE, population_share DOUBLE, disparity_ratio DOUBLE, population_ratio DOUBLE, flagged BOOLEAN`;

export async function fairnessReport(ctx: StageContext, opts: { asOf: string }): Promise<{ rows: number; flagged: number }> {
  const { db, config } = ctx;
  const f = config.fairness;
  // top-N cohorts from whichever rank columns the analyse stage wrote
  const centralityCols = await columns(db, 'analysis', 'centrality');
  const measures = INFLUENCE_MEASURES.filter((m) => centralityCols.includes(`${m}_rank`));
  await db.run(`CREATE OR REPLACE TEMP TABLE hn_fairness_top (nominal_id VARCHAR, cohort VARCHAR)`);
  for (const m of measures) {
    await db.run(
      `INSERT INTO hn_fairness_top SELECT nominal_id, $cohort FROM analysis.centrality WHERE ${ident(`${m}_rank`)} <= $top_n`,
      { cohort: `top${f.topN}_${m}`, top_n: f.topN },
    );
  }
  const sql = readFileSync(path.join(here, 'fairness_counts.sql'), 'utf8');
  const counts = await db.all<{ attribute: string; group: string; cohort: string; count: number }>(sql, { as_of: opts.asOf });
  const rows = fairnessDisparity(
    counts.map((c): CohortCount => ({ ...c, count: Number(c.count) })),
    { disparityThreshold: f.disparityThreshold, minCellSize: f.minCellSize, populationShares: f.populationBaseline.shares },
  );
  await db.run(`CREATE SCHEMA IF NOT EXISTS analysis`);
  await db.run(`CREATE OR REPLACE TABLE analysis.fairness (${FAIRNESS_COLUMNS})`);
  await db.run(`CREATE TABLE IF NOT EXISTS analysis.fairness_history (${FAIRNESS_COLUMNS})`);
  await db.run(`DELETE FROM analysis.fairness_history WHERE as_of = $as_of::DATE`, { as_of: opts.asOf });
  const BATCH = 500;
  for (let i = 0; i < rows.length; i += BATCH) {
    const part = rows.slice(i, i + BATCH);
    const params: Record<string, string | number | boolean | null> = { as_of: opts.asOf };
    const values = part.map((r, j) => {
      const p = (k: string, v: string | number | boolean | null) => ((params[`${k}${j}`] = v), `$${k}${j}`);
      return `($as_of::DATE, ${p('a', r.attribute)}, ${p('g', r.group)}, ${p('b', r.harm_band)}, ${p('c', r.count)}, ${p('s', r.share)}::DOUBLE,
        ${p('bs', r.baseline_share)}::DOUBLE, ${p('ps', r.population_share)}::DOUBLE, ${p('dr', r.disparity_ratio)}::DOUBLE,
        ${p('pr', r.population_ratio)}::DOUBLE, ${p('f', r.flagged)})`;
    });
    await db.run(`INSERT INTO analysis.fairness VALUES ${values.join(',\n')}`, params);
  }
  await db.run(`INSERT INTO analysis.fairness_history SELECT * FROM analysis.fairness`);
  const flagged = rows.filter((r) => r.flagged).length;
  ctx.log.info(`fairness: ${rows.length} rows, ${flagged} flagged (threshold ${f.disparityThreshold}, min cell ${f.minCellSize})`);
  return { rows: rows.length, flagged };
}

/** The snapshot tables for the fairness report: this week's rows and the trend up to this week. */
export function fairnessSnapshotTables(): SnapshotTable[] {
  const cols = `attribute, "group", harm_band, count, share, baseline_share, population_share, disparity_ratio, population_ratio, flagged`;
  return [
    { name: 'fairness', sql: `SELECT ${cols} FROM analysis.fairness`, orderBy: 'attribute, harm_band, "group"' },
    {
      name: 'fairness_history',
      sql: `SELECT as_of, ${cols} FROM analysis.fairness_history WHERE as_of <= (SELECT max(as_of) FROM analysis.fairness)`,
      orderBy: 'as_of, attribute, harm_band, "group"',
    },
  ];
}
