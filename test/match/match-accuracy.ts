// Accuracy of MATCH on generator truth: true people (their true names and DOB from truth/people.csv)
// and made-up people (fields recombined across people, never equal to a real one) matched against a snapshot.

import path from 'node:path';
import { Db, literal } from '../../pipelines/core/db.ts';
import type { Config } from '../../pipelines/core/config.ts';
import { openMatcher, type RowResult } from '../../pipelines/match/matcher.ts';
import type { PartnerRow } from '../../pipelines/match/partner-input.ts';

export interface Accuracy {
  truePeople: number;
  madeUp: number;
  /** Rows the engine decided MATCH (reported MATCH, or withheld as safeguarding-only). */
  found: number;
  correct: number;
  precision: number;
  recall: number;
  /** Rows reported to the partner as MATCH, and how many of those are the right person. */
  /** Recall counting POSSIBLE_MATCH of the right nominal too (what the lab's review can recover). */
  recallWithPossible: number;
  reportedMatch: number;
  reportedCorrect: number;
  possible: number;
  seconds: number;
  /** Wrong finds: what was submitted and the nominal it was matched to (synthetic data only). */
  mistakes: { submitted: string; matched: string; probability: number }[];
  /** Every row's answer, in submission order (true people first). */
  results: RowResult[];
}

/** Evaluates `sample` true and `sample` made-up people against snapshot `snapshotId` (or the latest), with the given engine. */
export async function matchAccuracy(
  snapshotsDir: string, truthDir: string, resolution: Config['resolution'], sample = 300, snapshotId?: string, engine: 'memory' | 'sql' = 'memory',
): Promise<Accuracy> {
  const db = await Db.open(':memory:');
  const matcher = await openMatcher(snapshotsDir, snapshotId, { engine });
  try {
    await db.run(`CREATE TABLE people AS SELECT * FROM read_csv(${literal(path.join(truthDir, 'people.csv'))}, header = true, all_varchar = true)`);
    await db.run(`CREATE TABLE ids AS SELECT * FROM read_csv(${literal(path.join(truthDir, 'identities.csv'))}, header = true, all_varchar = true)`);
    await db.run(`CREATE TABLE sources AS SELECT * FROM read_parquet(${literal(path.join(snapshotsDir, matcher.snapshotId, 'nominal_sources.parquet'))})`);
    // True people who are in the snapshot, every k-th by person_id (deterministic).
    const real = await db.all<{ person_id: string; surname: string; forenames: string | null; date_of_birth: string; nominals: string[] }>(
      `WITH present AS (
         SELECT i.person_id, list(DISTINCT s.nominal_id ORDER BY s.nominal_id) AS nominals
         FROM ids i JOIN sources s ON s.source = i.source AND s.person_ref = i.person_ref GROUP BY i.person_id
       ), numbered AS (
         SELECT p.person_id, p.surname, p.forenames, p.date_of_birth, pr.nominals, row_number() OVER (ORDER BY p.person_id) AS k, count(*) OVER () AS n
         FROM people p JOIN present pr USING (person_id) WHERE p.date_of_birth IS NOT NULL AND p.surname IS NOT NULL
       )
       SELECT person_id, surname, forenames, date_of_birth, nominals FROM numbered
       WHERE k % greatest(1, n // $sample) = 0 ORDER BY person_id LIMIT $sample`,
      { sample },
    );
    // Made-up people: surname of one person, forenames of another, DOB of a third; none equal to a real person.
    const madeUp = await db.all<{ surname: string; forenames: string | null; date_of_birth: string }>(
      `WITH p AS (SELECT *, row_number() OVER (ORDER BY person_id) AS k, count(*) OVER () AS n FROM people WHERE date_of_birth IS NOT NULL),
       combo AS (
         SELECT a.surname, b.forenames, c.date_of_birth, a.k
         FROM p a JOIN p b ON b.k = (a.k * 7 + 3) % a.n + 1 JOIN p c ON c.k = (a.k * 13 + 5) % a.n + 1
       )
       SELECT surname, forenames, date_of_birth FROM combo
       WHERE NOT EXISTS (SELECT 1 FROM people r WHERE upper(r.surname) = upper(combo.surname) AND r.date_of_birth = combo.date_of_birth
                           AND upper(split_part(r.forenames, ' ', 1)) = upper(split_part(combo.forenames, ' ', 1)))
       ORDER BY k LIMIT $sample`,
      { sample },
    );
    const rows: PartnerRow[] = [...real, ...madeUp].map((p, i) => ({
      line: i + 2, row_ref: `R${i + 1}`, surname: p.surname, forenames: p.forenames, date_of_birth: p.date_of_birth, pnc: null, pnc_invalid: false, sex: null,
    }));
    const t = performance.now();
    const results = await matcher.match(rows, resolution);
    const seconds = (performance.now() - t) / 1000;
    const mistakes: Accuracy['mistakes'] = [];
    let foundOrPossible = 0;
    let found = 0;
    let correct = 0;
    let reportedMatch = 0;
    let reportedCorrect = 0;
    results.forEach((r, i) => {
      const truth = i < real.length ? real[i]!.nominals : [];
      const isFound = r.decided === 'MATCH';
      const right = r.nominal_id !== null && truth.includes(r.nominal_id);
      if (isFound) found++;
      if (isFound && right) correct++;
      if (r.decided !== 'NO_MATCH' && right) foundOrPossible++;
      if (isFound && !right) mistakes.push({ submitted: `${rows[i]!.surname}, ${rows[i]!.forenames ?? ''} ${rows[i]!.date_of_birth}${i < real.length ? '' : ' (made up)'}`, matched: r.nominal_id ?? '', probability: r.probability! });
      if (r.status === 'MATCH') reportedMatch++;
      if (r.status === 'MATCH' && right) reportedCorrect++;
    });
    return {
      truePeople: real.length, madeUp: madeUp.length, found, correct, precision: found ? correct / found : 1, recall: real.length ? correct / real.length : 1,
      recallWithPossible: real.length ? foundOrPossible / real.length : 1,
      reportedMatch, reportedCorrect, possible: results.filter((r) => r.status === 'POSSIBLE_MATCH').length, seconds, results,
      mistakes: await Promise.all(mistakes.map(async (m) => ({ ...m, matched: `${m.matched} ${String(await db.value(
        `SELECT string_agg(DISTINCT concat_ws(' ', sn_full, fn_all, strftime(dob, '%Y-%m-%d')), ' | ') FROM read_parquet(${literal(path.join(snapshotsDir, matcher.snapshotId, 'match_identities.parquet'))}) WHERE nominal_id = $id`, { id: m.matched }))}` }))),
    };
  } finally {
    matcher.close();
    db.close();
  }
}
