// The harm stage: per-nominal CCHI/ONS harm with explanations, unweighted-offence report and the
// safeguarding list, all in DuckDB SQL (same rules as graph/harm/nominal-harm.ts, cross-checked by test).

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listValue } from '@duckdb/node-api';
import type { StageContext } from '../core/context.ts';
import { HarmnetError } from '../core/errors.ts';
import { KNOWN_OUTCOMES } from '../../graph/harm/outcome-factor.ts';
import { SAFEGUARDING_ROLES, SCORED_ROLES } from '../../graph/harm/nominal-harm.ts';
import { requireTables } from './require-tables.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const sql = (name: string) => path.join(here, name);

export const HARM_INPUT_TABLES = ['curated.involvement', 'curated.offence', 'curated.pins', 'person.nominal_sources', 'person.nominal'] as const;

export async function scoreHarm(
  ctx: StageContext,
  opts: { asOf: string },
): Promise<{ scored: number; safeguardingOnly: number; unweightedOffences: number; historic: number }> {
  await requireTables(ctx, 'harm', HARM_INPUT_TABLES);
  await checkHarmInputs(ctx);
  const h = ctx.config.harm;
  const common = { as_of: opts.asOf, lookback_years: h.lookbackYears };
  await ctx.db.runFile(sql('harm_explanation.sql'), { ...common, decay_per_year: h.decayPerYear, alleged_weight: h.allegedWeight });
  await ctx.db.runFile(sql('nominal_harm.sql'), {
    ...common,
    scored_roles: listValue([...SCORED_ROLES]),
    safeguarding_roles: listValue([...SAFEGUARDING_ROLES]),
    band_a: h.bands.A,
    band_b: h.bands.B,
    band_c: h.bands.C,
  });
  await ctx.db.runFile(sql('safeguarding.sql'), { as_of: opts.asOf });
  await ctx.db.runFile(sql('unweighted_offence.sql'), { as_of: opts.asOf });
  await ctx.db.run('DROP TABLE IF EXISTS harm_roles');
  const counts = await ctx.db.one<{ scored: number; safeguarding_only: number; historic: number }>(
    `SELECT count(*) FILTER (WHERE scored) AS scored, count(*) FILTER (WHERE safeguarding_only) AS safeguarding_only,
            count(*) FILTER (WHERE historic AND scored) AS historic FROM score.nominal_harm`,
  );
  const unweighted = await ctx.db.all<{ measure: string; offence_code: string | null; records: number }>(
    `SELECT measure, offence_code, sum(records) AS records FROM score.unweighted_offence GROUP BY ALL ORDER BY measure, offence_code`,
  );
  if (unweighted.length > 0) {
    const shown = unweighted.slice(0, 20).map((u) => `${u.measure}:${u.offence_code ?? '(none)'}×${u.records}`).join(', ');
    const list = unweighted.length > 20 ? `${shown} (and ${unweighted.length - 20} more)` : shown;
    ctx.log.warn(`harm: ${unweighted.length} offence code(s) have no weight and contribute nothing to that measure (listed in score.unweighted_offence): ${list}`);
  }
  const result = {
    scored: Number(counts?.scored ?? 0),
    safeguardingOnly: Number(counts?.safeguarding_only ?? 0),
    unweightedOffences: new Set(unweighted.map((u) => u.offence_code)).size,
    historic: Number(counts?.historic ?? 0),
  };
  ctx.log.info(`harm: ${result.scored} nominals scored, ${result.safeguardingOnly} safeguarding-only, ${result.historic} historic`);
  return result;
}

/** Refuses inputs the rules cannot score: unknown outcomes on harm-bearing rows, duplicate offence keys. */
async function checkHarmInputs(ctx: StageContext): Promise<void> {
  const bad = await ctx.db.all<{ outcome: string; n: number }>(
    `SELECT outcome, count(*) AS n FROM curated.involvement
     WHERE source = 'crime' AND role IN ('SUSPECT', 'OFFENDER') AND outcome IS NOT NULL AND NOT list_contains($known, outcome)
     GROUP BY outcome ORDER BY outcome`,
    { known: listValue([...KNOWN_OUTCOMES]) },
  );
  if (bad.length > 0) {
    throw new HarmnetError(
      'INPUT_INVALID',
      `curated.involvement: unknown person outcome ${bad.map((b) => `"${b.outcome}" (${b.n} rows)`).join(', ')}; expected one of ${KNOWN_OUTCOMES.join(', ')}`,
    );
  }
  const dup = await ctx.db.one<{ offence_code: string; offence_ref: string | null; n: number }>(
    `SELECT offence_code, offence_ref, count(*) AS n FROM curated.offence GROUP BY ALL HAVING count(*) > 1 ORDER BY ALL LIMIT 1`,
  );
  if (dup) {
    throw new HarmnetError('INPUT_INVALID', `curated.offence: offence_code "${dup.offence_code}" offence_ref "${dup.offence_ref ?? ''}" appears ${dup.n} times; expected one row per (offence_code, offence_ref)`);
  }
}
