// Why two identities are (or are not) one person: the Fellegi–Sunter waterfall of one pair — prior,
// then each field's comparison level and weight — and the analyst decisions that override the model.

import path from 'node:path';
import type { StageContext } from '../core/context.ts';
import { HarmnetError } from '../core/errors.ts';
import { FIELDS, probabilityFromWeight, type Field } from './fellegi-sunter.ts';
import { prepare, SQL_DIR } from './resolve.ts';
import { yardstickTerm } from './yardstick.ts';

export interface PairExplanation {
  comparisons: { field: string; level: string; weight: number }[];
  priorWeight: number;
  matchWeight: number;
  probability: number;
  term: string;
  /** The analyst decision in force for this pair, if any (it overrides the model). */
  decision?: { decision: 'SAME' | 'NOT_SAME'; by: string; reason: string; at: string };
}

export async function explainPair(ctx: StageContext, identityA: string, identityB: string): Promise<PairExplanation> {
  const { db } = ctx;
  const trained = await ctx.db.hasTable('person.model_summary');
  const summary = trained ? await db.one<{ prior_weight: number }>('SELECT prior_weight FROM person.model_summary LIMIT 1') : undefined;
  if (!summary) throw new HarmnetError('INPUT_INVALID', 'explain pair: no trained model (person.model_summary); run resolve first');
  const ids = await db.all<{ identity_id: string; iid: number }>(
    'SELECT identity_id, iid FROM person.identity WHERE identity_id IN ($a, $b) ORDER BY identity_id',
    { a: identityA, b: identityB },
  );
  for (const id of [identityA, identityB]) {
    if (!ids.some((r) => r.identity_id === id)) throw new HarmnetError('INPUT_INVALID', `explain pair: unknown identity_id "${id}"`);
  }
  await prepare(ctx);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE hn_pair_in AS
     SELECT a.cr_id AS cr_a, b.cr_id AS cr_b FROM person.identity_feature a, person.identity_feature b
     WHERE a.identity_id = $a AND b.identity_id = $b`,
    { a: identityA, b: identityB },
  );
  await db.runFile(path.join(SQL_DIR, 'pair-level.sql'));
  const levels = await db.all<Record<Field, string> & { surname_value: string | null; forename_value: string | null }>(
    `SELECT ${FIELDS.join(', ')}, surname_value, forename_value FROM hn_pair_level ORDER BY cr_a, cr_b`,
  );
  const params = await db.all<{ field: Field; level: string; weight: number; u: number | null }>('SELECT field, level, weight, u FROM person.model_parameter');
  const weight = (f: Field, level: string) => params.find((p) => p.field === f && p.level === level)!;
  const nIdentities = await db.value<number>('SELECT count(*) FROM person.identity');
  let best: PairExplanation | undefined;
  for (const l of levels) {
    const comparisons: PairExplanation['comparisons'] = [];
    for (const f of FIELDS) {
      const p = weight(f, l[f]);
      comparisons.push({ field: f, level: l[f], weight: p.weight });
      // Term-frequency adjustment: how common the agreeing value is (as in pair-score.sql).
      const tfOf = async (table: string, column: string, v: string) =>
        db.value<number | null>(`SELECT tf FROM person.${table} WHERE ${column} = $v`, { v });
      let tf: number | null | undefined;
      if (f === 'surname' && l.surname === 'exact' && l.surname_value !== null) tf = await tfOf('surname_tf', 'surname_value', l.surname_value);
      if (f === 'forename' && l.forename === 'exact' && l.forename_value !== null) {
        tf = await tfOf('forename_tf', 'forename_value', l.forename_value);
      }
      if (tf !== null && tf !== undefined) {
        comparisons.push({ field: `${f}_frequency`, level: 'term_frequency', weight: Math.log2(p.u! / Math.max(tf, 1 / nIdentities)) });
      }
    }
    const matchWeight = summary.prior_weight + comparisons.reduce((s, c) => s + c.weight, 0);
    const probability = l.pnc === 'exact' ? 1 : probabilityFromWeight(matchWeight);
    const candidate = { comparisons, priorWeight: summary.prior_weight, matchWeight, probability, term: yardstickTerm(probability) };
    if (!best || candidate.probability > best.probability || (candidate.probability === best.probability && candidate.matchWeight > best.matchWeight)) best = candidate;
  }
  if (!best) throw new HarmnetError('INPUT_INVALID', `explain pair: no comparable records for "${identityA}" and "${identityB}"`);
  const [a, b] = identityA < identityB ? [identityA, identityB] : [identityB, identityA];
  const d = await db.one<{ decision: 'SAME' | 'NOT_SAME'; decided_by: string; reason: string; decided_at: string }>(
    `SELECT decision, decided_by, reason, CAST(decided_at AS VARCHAR) AS decided_at FROM person.decision
     WHERE identity_a = $a AND identity_b = $b ORDER BY decided_at DESC, decision_id DESC LIMIT 1`,
    { a, b },
  );
  if (d) best.decision = { decision: d.decision, by: d.decided_by, reason: d.reason, at: d.decided_at };
  return best;
}

/** Stores an analyst's decision (who, why, when) and logs it; every later resolve run obeys it. */
export async function recordDecision(
  ctx: StageContext,
  d: { identityA: string; identityB: string; decision: 'SAME' | 'NOT_SAME'; by: string; reason: string },
): Promise<void> {
  const { db } = ctx;
  if (d.decision !== 'SAME' && d.decision !== 'NOT_SAME') {
    throw new HarmnetError('INPUT_INVALID', `decision must be SAME or NOT_SAME, got "${String(d.decision)}"`);
  }
  if (!d.by?.trim()) throw new HarmnetError('INPUT_INVALID', 'decision: "by" (who decided) is required');
  if (!d.reason?.trim()) throw new HarmnetError('INPUT_INVALID', 'decision: "reason" (why) is required');
  if (d.identityA === d.identityB) throw new HarmnetError('INPUT_INVALID', `decision: the two identities are the same ("${d.identityA}")`);
  await prepare(ctx);
  for (const id of [d.identityA, d.identityB]) {
    const inCurated = (await ctx.db.hasTable('curated.identity'))
      ? await db.value<number>('SELECT count(*) FROM curated.identity WHERE identity_id = $id', { id })
      : 0;
    const known = inCurated + (await db.value<number>('SELECT count(*) FROM person.nominal_registry WHERE identity_id = $id', { id }));
    if (!known) throw new HarmnetError('INPUT_INVALID', `decision: unknown identity_id "${id}"`);
  }
  const [a, b] = d.identityA < d.identityB ? [d.identityA, d.identityB] : [d.identityB, d.identityA];
  const at = ctx.clock().toISOString();
  await db.transaction(async () => {
    const previous = await db.value<number | null>(
      'SELECT max(decision_id) FROM person.decision WHERE identity_a = $a AND identity_b = $b',
      { a, b },
    );
    const id = (await db.value<number>('SELECT coalesce(max(decision_id), 0) + 1 FROM person.decision')) as number;
    await db.run(
      `INSERT INTO person.decision VALUES ($id, $a, $b, $decision, $by, $reason, CAST($at AS TIMESTAMP))`,
      { id, a, b, decision: d.decision, by: d.by.trim(), reason: d.reason.trim(), at },
    );
    await db.run(
      `INSERT INTO person.decision_log VALUES (CAST($at AS TIMESTAMP), 'RECORDED', $id, $a, $b, $decision, $by, $reason)`,
      { at, id, a, b, decision: d.decision, by: d.by.trim(), reason: d.reason.trim() },
    );
    if (previous !== null && previous !== undefined) {
      await db.run(
        `INSERT INTO person.decision_log VALUES (CAST($at AS TIMESTAMP), 'SUPERSEDES', $id, $a, $b, $decision, $by, $detail)`,
        { at, id, a, b, decision: d.decision, by: d.by.trim(), detail: `supersedes decision ${previous}` },
      );
    }
  });
}

