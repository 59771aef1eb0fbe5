// Accuracy of entity resolution against the generator's ground truth (truth/identities.csv):
// pairwise precision/recall/F1 over person_refs (Christen 2012, ch. 7) and cluster-level purity.

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { StageContext } from '../core/context.ts';
import { literal } from '../core/db.ts';
import { HarmnetError } from '../core/errors.ts';

export interface ResolutionEvaluation {
  precision: number;
  recall: number;
  f1: number;
  /** Share of predicted nominals whose person_refs all belong to one true person. */
  clusterPrecision: number;
  /** Share of true persons whose person_refs all fall in one nominal. */
  clusterRecall: number;
  /** Share of true persons reproduced exactly (one nominal holding exactly their person_refs). */
  exactClusters: number;
  pairsTrue: number;
  pairsPredicted: number;
  pairsCorrect: number;
  falsePositivePairs: number;
  falseNegativePairs: number;
  identitiesEvaluated: number;
  identitiesWithoutTruth: number;
  nominals: number;
  persons: number;
  [k: string]: unknown;
}

export async function evaluateResolution(ctx: StageContext, truthDir: string): Promise<ResolutionEvaluation> {
  const file = path.join(truthDir, 'identities.csv');
  if (!existsSync(file)) throw new HarmnetError('TRUTH_NOT_FOUND', `ground truth not found: ${file} (written by harmnet generate --out DIR into DIR/truth/)`);
  const { db } = ctx;
  const hasNominals = await db.value<number>(
    `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'person' AND table_name = 'nominal_sources'`,
  );
  if (!hasNominals) throw new HarmnetError('INPUT_INVALID', 'evaluate resolution: person.nominal_sources is missing; run resolve first');
  await db.run(
    `CREATE OR REPLACE TEMP TABLE hn_truth AS
     SELECT source, person_ref, person_id
     FROM read_csv(${literal(file)}, header = true, columns = {'source': 'VARCHAR', 'person_ref': 'VARCHAR', 'person_id': 'VARCHAR'})`,
  );
  const r = await db.one<Record<string, number>>(`
    WITH joined AS (
      SELECT ns.nominal_id, t.person_id FROM person.nominal_sources ns
      JOIN hn_truth t ON t.source = ns.source AND t.person_ref = ns.person_ref
    ),
    by_nominal AS (SELECT nominal_id, count(*) AS n, count(DISTINCT person_id) AS persons FROM joined GROUP BY nominal_id),
    by_person AS (SELECT person_id, count(*) AS n, count(DISTINCT nominal_id) AS nominals FROM joined GROUP BY person_id),
    by_both AS (SELECT nominal_id, person_id, count(*) AS n FROM joined GROUP BY ALL),
    exact AS (
      SELECT count(*) AS n FROM by_both b
      JOIN by_nominal bn USING (nominal_id) JOIN by_person bp USING (person_id)
      WHERE b.n = bn.n AND b.n = bp.n
    )
    SELECT
      (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM by_nominal) AS pairs_predicted,
      (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM by_person) AS pairs_true,
      (SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM by_both) AS pairs_correct,
      (SELECT count(*) FROM by_nominal) AS nominals,
      (SELECT count(*) FILTER (WHERE persons = 1) FROM by_nominal) AS pure_nominals,
      (SELECT count(*) FROM by_person) AS persons,
      (SELECT count(*) FILTER (WHERE nominals = 1) FROM by_person) AS complete_persons,
      (SELECT n FROM exact) AS exact_persons,
      (SELECT count(*) FROM joined) AS evaluated,
      (SELECT count(*) FROM person.nominal_sources ns ANTI JOIN hn_truth t ON t.source = ns.source AND t.person_ref = ns.person_ref) AS without_truth
  `);
  const pairsPredicted = Number(r!.pairs_predicted);
  const pairsTrue = Number(r!.pairs_true);
  const pairsCorrect = Number(r!.pairs_correct);
  const precision = pairsPredicted === 0 ? 1 : pairsCorrect / pairsPredicted;
  const recall = pairsTrue === 0 ? 1 : pairsCorrect / pairsTrue;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const nominals = Number(r!.nominals);
  const persons = Number(r!.persons);
  return {
    precision,
    recall,
    f1,
    clusterPrecision: nominals === 0 ? 1 : Number(r!.pure_nominals) / nominals,
    clusterRecall: persons === 0 ? 1 : Number(r!.complete_persons) / persons,
    exactClusters: persons === 0 ? 1 : Number(r!.exact_persons) / persons,
    pairsTrue,
    pairsPredicted,
    pairsCorrect,
    falsePositivePairs: pairsPredicted - pairsCorrect,
    falseNegativePairs: pairsTrue - pairsCorrect,
    identitiesEvaluated: Number(r!.evaluated),
    identitiesWithoutTruth: Number(r!.without_truth),
    nominals,
    persons,
  };
}
