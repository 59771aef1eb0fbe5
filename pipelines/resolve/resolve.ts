// The resolve stage: curated.identity → person.* (one nominal per real person). Fellegi–Sunter
// linkage in DuckDB SQL after Splink (UK MoJ): blocking, comparison levels, u by random sampling,
// m by EM, term-frequency adjusted surnames, thresholded links, connected components, chaining guard.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listValue } from '@duckdb/node-api';
import type { StageContext } from '../core/context.ts';
import { literal } from '../core/db.ts';
import { HarmnetError } from '../core/errors.ts';
import { DEFAULT_PRIOR, DEFAULT_U, INITIAL_M, TRAINING_SESSIONS, estimateLambda, mFromLabelledPairs, trainM, estimateU, FIELDS, LEVELS, isNullLevel, weightOf, weightFromProbability, type Field, type Pattern } from './fellegi-sunter.ts';
import { splitChains, type GuardEdge, type GuardNode } from './split-chains.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SQL_DIR = path.join(here, 'sql');
export const NICKNAMES_CSV = path.join(here, '..', '..', 'data-fixtures', 'reference', 'nicknames.csv');

/** Tuning of the stage (not analytic policy, which is config.resolution). */
export const RESOLVE_DEFAULTS = {
  /** Blocks with more rows than this are dropped and reported (no quadratic blocks). */
  maxBlockRows: 400,
  /** The same for name-only blocking rules (no date-of-birth part). */
  maxNameBlockRows: 60,
  /** Random pairs drawn to estimate u (at most; 20 per comparison row, at least 100k). */
  uSamples: 1_000_000,
  /** Label-propagation rounds before giving up (chains are short; this is a safety stop). */
  maxClusterRounds: 60,
  /** Scored pairs below this probability are not stored in person.pair_score (explainPair recomputes). */
  storeFloor: 0.001,
  /** Training sessions: at most this many pairs (keys are sampled to stay under it) … */
  trainingPairs: 1_000_000,
  /** … from blocks of at most this many rows. */
  maxTrainingBlockRows: 200,
  /** Same-PNC pairs needed before their level frequencies replace EM's m for the identity fields. */
  minLabelledPairs: 1000,
  /** Below this many comparison rows the model is not trained: documented default m, u and prior. */
  minTrainingRows: 1000,
};

export interface ResolveResult {
  identities: number;
  nominals: number;
  pairsCompared: number;
  links: number;
  chainsSplit: number;
  seconds: Record<string, number>;
}

export async function resolve(ctx: StageContext, opts: { asOf: string; maxBlockRows?: number; maxNameBlockRows?: number; uSamples?: number }): Promise<ResolveResult> {
  const { db, log } = ctx;
  const seconds: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    seconds[name] = Math.round(now - t) / 1000;
    t = now;
  };
  const sql = (f: string) => path.join(SQL_DIR, f);
  const { matchThreshold, seed } = ctx.config.resolution;
  if (!(matchThreshold > 0 && matchThreshold < 1)) {
    throw new HarmnetError('CONFIG_INVALID', `config resolution.matchThreshold must be in (0, 1), got ${matchThreshold}`);
  }

  await prepare(ctx);
  const hasInput = await db.value<number>(`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'curated' AND table_name = 'identity'`);
  if (!hasInput) throw new HarmnetError('INPUT_INVALID', 'resolve: table curated.identity is missing; run curate first');
  await db.runFile(sql('identity-feature.sql'), { as_of: opts.asOf });
  lap('features');

  await db.runFile(sql('candidate-pair.sql'), {
    max_block: opts.maxBlockRows ?? RESOLVE_DEFAULTS.maxBlockRows,
    max_name_block: opts.maxNameBlockRows ?? RESOLVE_DEFAULTS.maxNameBlockRows,
  });
  const dropped = await db.all<{ rule: string; blocks_dropped: number; rows_in_dropped_blocks: number }>(
    `SELECT rule, blocks_dropped, rows_in_dropped_blocks FROM person.blocking_report WHERE blocks_dropped > 0 ORDER BY rule`,
  );
  for (const d of dropped) log.warn(`resolve: blocking rule ${d.rule} dropped ${d.blocks_dropped} oversize blocks (${d.rows_in_dropped_blocks} rows)`);
  const pairsCompared = await db.value<number>('SELECT count(*) FROM person.candidate_pair');
  lap('blocking');

  const nFeature = await db.value<number>('SELECT count(*) FROM person.identity_feature');
  const trained = nFeature >= RESOLVE_DEFAULTS.minTrainingRows;
  let m = INITIAL_M;
  let u = DEFAULT_U;
  let priorWeight = weightFromProbability(DEFAULT_PRIOR);
  let mMethod = 'defaults';
  let summary = { lambdaBlocked: null as number | null, lambdaAll: DEFAULT_PRIOR, iterations: 0, converged: true };
  if (trained) {
    // u: level frequencies among seeded random pairs.
    const samples = opts.uSamples ?? Math.min(RESOLVE_DEFAULTS.uSamples, Math.max(100_000, 20 * nFeature));
    await db.runFile(sql('random-pair.sql'), { seed, samples });
    await db.runFile(sql('pair-level.sql'));
    const uCounts: { field: Field; level: string; n: number }[] = [];
    for (const f of FIELDS) {
      const rows = await db.all<{ level: string; n: number }>(`SELECT ${f} AS level, count(*) AS n FROM hn_pair_level GROUP BY 1 ORDER BY 1`);
      for (const r of rows) uCounts.push({ field: f, level: r.level, n: r.n });
    }
    u = estimateU(uCounts);
    lap('u_sample');
    // m: EM in training sessions (pairs agreeing on DOB; pairs agreeing on both names).
    const readPatterns = async () =>
      (
        await db.all<Record<Field, string> & { n: number }>(
          `SELECT ${FIELDS.join(', ')}, count(*) AS n FROM hn_pair_level GROUP BY ALL ORDER BY ${FIELDS.join(', ')}`,
        )
      ).map((r): Pattern => ({ levels: { surname: r.surname, forename: r.forename, dob: r.dob, sex: r.sex, pnc: r.pnc }, count: r.n }));
    const sessions: { name: string; fixed: readonly Field[]; patterns: Pattern[] }[] = [];
    for (const session of TRAINING_SESSIONS) {
      const modulus = await trainingModulus(ctx, session.name);
      await db.runFile(sql('training-pair.sql'), { session: session.name, seed, modulus, cap: RESOLVE_DEFAULTS.maxTrainingBlockRows });
      await db.runFile(sql('pair-level.sql'));
      sessions.push({ name: session.name, fixed: session.fixed, patterns: await readPatterns() });
    }
    const em = trainM(sessions, u);
    m = em.m;
    // Labelled pairs: two identities with the same valid PNC id are the same person, so the level
    // frequencies among them estimate m directly (Splink's m from labels). Where there are enough
    // such pairs they take precedence over EM for the identity fields: EM among same-DOB pairs
    // cannot tell a namesake from a match when only the names are left to compare.
    const pncModulus = await trainingModulus(ctx, 'pnc');
    await db.runFile(sql('training-pair.sql'), { session: 'pnc', seed, modulus: pncModulus, cap: RESOLVE_DEFAULTS.maxTrainingBlockRows });
    await db.runFile(sql('pair-level.sql'));
    const labelled = mFromLabelledPairs(await readPatterns(), RESOLVE_DEFAULTS.minLabelledPairs);
    if (labelled) m = { ...m, ...labelled };
    mMethod = labelled ? 'labelled (same PNC) for names, DOB, sex; EM sessions for PNC' : 'EM sessions';
    // λ among the blocked pairs, with m and u fixed.
    await db.run('CREATE OR REPLACE TEMP TABLE hn_pair_in AS SELECT cr_a, cr_b FROM person.candidate_pair');
    await db.runFile(sql('pair-level.sql'));
    const lambdaBlocked = estimateLambda(await readPatterns(), m, u);
    const emLambda = { lambda: lambdaBlocked };
    const allPairs = Math.max(1, (nFeature * (nFeature - 1)) / 2);
    // λ among all pairs = expected matches in the blocks / all pairs (every match assumed blocked).
    const lambdaAll = Math.min(0.5, Math.max(1e-12, (emLambda.lambda * pairsCompared) / allPairs));
    priorWeight = weightFromProbability(lambdaAll);
    summary = { lambdaBlocked: emLambda.lambda, lambdaAll, iterations: em.iterations, converged: em.converged };
    log.info(`resolve: EM sessions ${em.sessions.map((x) => `${x.name} ${x.pairs} pairs, ${x.iterations} iterations`).join('; ')}`);
    if (!em.converged) log.warn(`resolve: EM stopped after ${em.iterations} iterations without converging`);
  } else {
    log.info(`resolve: ${nFeature} comparison rows is too few to train on (< ${RESOLVE_DEFAULTS.minTrainingRows}); using default m, u and prior`);
    await db.run('CREATE OR REPLACE TEMP TABLE hn_pair_in AS SELECT cr_a, cr_b FROM person.candidate_pair');
    await db.runFile(sql('pair-level.sql'));
  }
  await writeParameters(ctx, m, u);
  await db.run(
    `CREATE OR REPLACE TABLE person.model_summary AS SELECT CAST($as_of AS DATE) AS as_of, $mode AS mode, $m_method AS m_method,
       CAST($lambda_blocked AS DOUBLE) AS lambda_blocked, $lambda_all AS lambda_all, $prior_weight AS prior_weight,
       $iterations AS em_iterations, $converged AS em_converged, $pairs AS pairs_compared, $threshold AS match_threshold, $seed AS seed`,
    { as_of: opts.asOf, mode: trained ? 'trained' : 'defaults', m_method: mMethod, lambda_blocked: summary.lambdaBlocked, lambda_all: summary.lambdaAll,
      prior_weight: priorWeight, iterations: summary.iterations, converged: summary.converged, pairs: pairsCompared, threshold: matchThreshold, seed },
  );
  // Term frequencies only mean something in a trained (large enough) population.
  await db.run(`CREATE OR REPLACE TABLE person.surname_tf AS
    SELECT sn_full AS surname_value, count(DISTINCT iid) / (SELECT count(*) FROM person.identity) AS tf
    FROM person.identity_feature WHERE sn_full IS NOT NULL AND $trained GROUP BY sn_full`, { trained });
  await db.run(`CREATE OR REPLACE TABLE person.forename_tf AS
    SELECT fn_first AS forename_value, count(DISTINCT iid) / (SELECT count(*) FROM person.identity) AS tf
    FROM person.identity_feature WHERE fn_first IS NOT NULL AND $trained GROUP BY fn_first`, { trained });
  lap('em');

  const tfMin = 1 / Math.max(1, await db.value<number>('SELECT count(*) FROM person.identity'));
  await db.runFile(sql('pair-score.sql'), { prior_weight: priorWeight, tf_min: tfMin, store_floor: weightFromProbability(RESOLVE_DEFAULTS.storeFloor) });
  lap('scoring');

  await db.runFile(sql('cluster-edge.sql'), { threshold: matchThreshold });
  let rounds = 0;
  for (;;) {
    await db.runFile(sql('cluster-step.sql'));
    const changed = await db.value<number>('SELECT count(*) FROM hn_label_next n JOIN hn_label l USING (iid) WHERE n.label <> l.label');
    await db.run('CREATE OR REPLACE TEMP TABLE hn_label AS SELECT * FROM hn_label_next');
    rounds++;
    if (changed === 0) break;
    if (rounds >= RESOLVE_DEFAULTS.maxClusterRounds) throw new HarmnetError('RUN_FAILED', `resolve: clustering did not converge in ${rounds} rounds`);
  }
  const chainsSplit = await guardChains(ctx);
  lap('clustering');

  await db.transaction(async () => {
    await db.runFile(sql('nominal.sql'), { as_of: opts.asOf });
    await db.run(
      `INSERT INTO person.decision_log
       SELECT $now, 'APPLIED', decision_id, identity_a, identity_b, decision, 'resolve', 'as_of ' || $as_of FROM hn_decision ORDER BY decision_id`,
      { now: ctx.clock().toISOString(), as_of: opts.asOf },
    );
  });
  lap('nominals');

  const identities = await db.value<number>('SELECT count(*) FROM person.identity');
  const nominals = await db.value<number>('SELECT count(*) FROM person.nominal');
  const links = await db.value<number>(
    'SELECT count(*) FROM hn_edge e JOIN hn_cluster a ON a.iid = e.iid_a JOIN hn_cluster b ON b.iid = e.iid_b WHERE a.label = b.label',
  );
  log.info(`resolve: ${identities} identities → ${nominals} nominals; ${pairsCompared} pairs compared, ${links} links, ${chainsSplit} chains split`);
  return { identities, nominals, pairsCompared, links, chainsSplit, seconds };
}

/** Schema, macros, persistent tables and the nickname table: everything resolve and explain need. */
export async function prepare(ctx: StageContext): Promise<void> {
  await ctx.db.runFile(path.join(SQL_DIR, 'persistent.sql'));
  await ctx.db.runFile(path.join(SQL_DIR, 'macros.sql'));
  await ctx.db.run(
    `CREATE OR REPLACE TABLE person.nickname AS
     SELECT DISTINCT hn_letters(nickname) AS nickname, hn_letters(canonical) AS canonical
     FROM read_csv(${literal(NICKNAMES_CSV)}, header = true, columns = {'nickname': 'VARCHAR', 'canonical': 'VARCHAR'})
     WHERE hn_letters(nickname) IS NOT NULL AND hn_letters(canonical) IS NOT NULL`,
  );
}

async function writeParameters(ctx: StageContext, m: Record<Field, Record<string, number>>, u: Record<Field, Record<string, number>>): Promise<void> {
  const rows: { field: string; level: string; m: number | null; u: number | null; weight: number }[] = [];
  for (const f of FIELDS) {
    LEVELS[f].forEach((level) => {
      if (isNullLevel(level)) rows.push({ field: f, level, m: null, u: null, weight: 0 });
      else rows.push({ field: f, level, m: m[f][level]!, u: u[f][level]!, weight: weightOf(m[f][level]!, u[f][level]!) });
    });
  }
  await ctx.db.run(
    `CREATE OR REPLACE TABLE person.model_parameter AS
     SELECT unnest($field) AS field, unnest($level) AS level, unnest($m) AS m, unnest($u) AS u, unnest($weight) AS weight, unnest($ord) AS level_order`,
    {
      field: listValue(rows.map((r) => r.field)),
      level: listValue(rows.map((r) => r.level)),
      m: listValue(rows.map((r) => r.m)),
      u: listValue(rows.map((r) => r.u)),
      weight: listValue(rows.map((r) => r.weight)),
      ord: listValue(rows.map((r) => LEVELS[r.field as Field].indexOf(r.level))),
    },
  );
}

/** Re-examines suspect clusters with the constrained spanning forest; writes hn_final(iid, label). */
async function guardChains(ctx: StageContext): Promise<number> {
  const { db } = ctx;
  await db.runFile(path.join(SQL_DIR, 'suspect-cluster.sql'));
  const nodes = await db.all<{ label: number; iid: number; pncs: string[]; dobs: string[] }>(
    `SELECT l.label, l.iid, list(DISTINCT f.pnc ORDER BY f.pnc) FILTER (WHERE f.pnc IS NOT NULL) AS pncs,
            list(DISTINCT strftime(f.dob, '%Y-%m-%d') ORDER BY strftime(f.dob, '%Y-%m-%d')) FILTER (WHERE f.dob IS NOT NULL) AS dobs
     FROM hn_label l JOIN hn_suspect s USING (label) JOIN person.identity_feature f ON f.iid = l.iid
     GROUP BY l.label, l.iid ORDER BY l.label, l.iid`,
  );
  const edges = await db.all<{ label: number; iid_a: number; iid_b: number; probability: number; kind: GuardEdge['kind'] }>(
    `SELECT l.label, e.iid_a, e.iid_b, e.probability, e.kind FROM hn_edge e
     JOIN hn_label l ON l.iid = e.iid_a JOIN hn_suspect s USING (label) ORDER BY l.label, e.iid_a, e.iid_b`,
  );
  const apart = await db.all<{ label: number; iid_a: number; iid_b: number }>(
    `SELECT l.label, d.iid_a, d.iid_b FROM hn_decision d JOIN hn_label l ON l.iid = d.iid_a JOIN hn_suspect s USING (label)
     WHERE d.decision = 'NOT_SAME' ORDER BY 1, 2, 3`,
  );
  const byLabel = new Map<number, { nodes: GuardNode[]; edges: GuardEdge[]; apart: [number, number][] }>();
  const get = (label: number) => {
    let c = byLabel.get(label);
    if (!c) byLabel.set(label, (c = { nodes: [], edges: [], apart: [] }));
    return c;
  };
  for (const n of nodes) get(n.label).nodes.push({ id: n.iid, pncs: n.pncs ?? [], dobs: n.dobs ?? [] });
  for (const e of edges) get(e.label).edges.push({ a: e.iid_a, b: e.iid_b, probability: e.probability, kind: e.kind });
  for (const a of apart) get(a.label).apart.push([a.iid_a, a.iid_b]);
  const ids: number[] = [];
  const labels: number[] = [];
  let split = 0;
  for (const c of byLabel.values()) {
    const { label } = splitChains(c.nodes, c.edges, c.apart);
    if (new Set(label.values()).size > 1) split++;
    for (const [id, l] of label) {
      ids.push(id);
      labels.push(l);
    }
  }
  await db.run('CREATE OR REPLACE TEMP TABLE hn_relabel (iid BIGINT, label BIGINT)');
  if (ids.length > 0) {
    await db.run('INSERT INTO hn_relabel SELECT unnest($ids::BIGINT[]), unnest($labels::BIGINT[])', { ids: listValue(ids), labels: listValue(labels) });
  }
  await db.run(
    `CREATE OR REPLACE TEMP TABLE hn_final AS
     SELECT l.iid, coalesce(r.label, l.label) AS label FROM hn_label l LEFT JOIN hn_relabel r USING (iid)`,
  );
  if (split > 0) ctx.log.info(`resolve: chaining guard split ${split} clusters`);
  return split;
}

/** The key-sampling modulus that keeps a training session near RESOLVE_DEFAULTS.trainingPairs pairs. */
async function trainingModulus(ctx: StageContext, session: string): Promise<number> {
  const pairs = await ctx.db.value<number>(
    `WITH k AS (
       SELECT CASE $session WHEN 'dob' THEN CAST(dob AS VARCHAR) WHEN 'pnc' THEN pnc ELSE sn_full || '|' || fn_first END AS key
       FROM person.identity_feature),
     s AS (SELECT count(*) AS n FROM k WHERE key IS NOT NULL GROUP BY key HAVING count(*) BETWEEN 2 AND $cap)
     SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM s`,
    { session, cap: RESOLVE_DEFAULTS.maxTrainingBlockRows },
  );
  return Math.max(1, Math.ceil(pairs / RESOLVE_DEFAULTS.trainingPairs));
}
