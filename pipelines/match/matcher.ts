// Scores partner rows against one snapshot's identities with the entity-resolution model itself: by
// default in memory (match-index.ts, held equal to resolve's SQL by test), or with resolve's SQL itself.

import path from 'node:path';
import type { Config } from '../core/config.ts';
import type { Db } from '../core/db.ts';
import { HarmnetError } from '../core/errors.ts';
import { silentLog } from '../core/log.ts';
import { prepare, RESOLVE_DEFAULTS, SQL_DIR } from '../resolve/resolve.ts';
import { openSnapshot } from '../snapshot/read-snapshot.ts';
import type { Manifest } from '../snapshot/snapshot-manifest.ts';
import { yardstickTerm } from '../resolve/yardstick.ts';
import { jsonRowsSelect } from './json-rows.ts';
import { MatchIndex, type BestNominal } from './match-index.ts';
import type { PartnerRow } from './partner-input.ts';

export type MatchStatus = 'MATCH' | 'POSSIBLE_MATCH' | 'NO_MATCH';

/** One scored row: what the partner may see, plus internal fields (nominal_id, withheld) for the audit log only. */
export interface RowResult {
  line: number;
  row_ref: string;
  status: MatchStatus;
  /** Yardstick term; empty for NO_MATCH (no score is given for people not in the networks). */
  confidence: string;
  probability: number | null;
  in_network: boolean | null;
  harm_cchi: number | null;
  harm_cchi_proven: number | null;
  harm_cchi_alleged: number | null;
  harm_band: string | null;
  /** Internal: the engine's decision before anything was withheld (a withheld victim's MATCH reads NO_MATCH in status). */
  decided: MatchStatus;
  /** Internal: the best-scoring nominal at or above the possible threshold (also when withheld). */
  nominal_id: string | null;
  /** Why something was withheld: 'safeguarding_only' (reported as NO_MATCH) or 'handling_conditions' (harm withheld). */
  withheld: string | null;
}

export interface Matcher {
  snapshotId: string;
  asOf: string;
  match(rows: PartnerRow[], thresholds: Config['resolution']): Promise<RowResult[]>;
  /** Scoring runs so far (concurrent requests share one run). */
  runs(): number;
  close(): void;
}

export interface MatcherOptions {
  /** How long a request waits for concurrent ones to join its run; 0 starts at once (default MEMORY_BATCH_WINDOW_MS / BATCH_WINDOW_MS). */
  batchWindowMs?: number;
  /**
   * 'memory' (default): the snapshot's identities held in memory with a blocking index, scored in
   * TypeScript (match-index.ts) — milliseconds a row. 'sql': resolve's own SQL files run per request
   * (identity-feature, candidate-pair, pair-level, pair-score) — the reference the memory engine is tested against.
   */
  engine?: 'memory' | 'sql';
}

const sql = (f: string) => path.join(SQL_DIR, f);
/** How long a request waits for others to join its run (the cost of a SQL run hardly depends on its size). */
export const BATCH_WINDOW_MS = 3;
/** The same for the in-memory engine, whose run costs about a millisecond a row: just enough to gather a burst. */
export const MEMORY_BATCH_WINDOW_MS = 1;
/** Sentinel caps passed to candidate-pair.sql so it builds block keys only (no pair is kept); mapped back to resolve's caps. */
const KEYS_ONLY = { max_block: -1, max_name_block: -2 };

/** Opens snapshot `id` (or the latest) for matching; the caller closes it. */
export async function openMatcher(snapshotsDir: string, id?: string, options: MatcherOptions = {}): Promise<Matcher> {
  const engine = options.engine ?? 'memory';
  const windowMs = options.batchWindowMs ?? (engine === 'memory' ? MEMORY_BATCH_WINDOW_MS : BATCH_WINDOW_MS);
  const { db, manifest } = await openSnapshot(snapshotsDir, id);
  try {
    for (const t of ['match_identities', 'match_model', 'match_term_frequency', 'nominals', 'edges', 'harm_explanations']) {
      if (!manifest.tables[t]) {
        throw new HarmnetError('NOT_YET_AVAILABLE', `snapshot ${manifest.snapshot_id} has no ${t} table: it was written before partner matching was added to the weekly snapshot`);
      }
    }
    const state = await load(db, manifest, engine);
    // One connection, so requests run one at a time; requests that arrive within windowMs of each
    // other, or while a run is going, are matched together in one run (rows are scored
    // independently, so batching changes nothing but the number of runs).
    type Waiting = { rows: PartnerRow[]; t: Config['resolution']; resolve(r: RowResult[]): void; reject(e: unknown): void };
    let waiting: Waiting[] = [];
    let running = false;
    let runs = 0;
    const drain = async () => {
      running = true;
      while (waiting.length > 0) {
        const key = (w: Waiting) => `${w.t.matchThreshold}|${w.t.possibleThreshold}`;
        const batch = waiting.filter((w) => key(w) === key(waiting[0]!));
        waiting = waiting.filter((w) => !batch.includes(w));
        runs++;
        try {
          const rows = batch.flatMap((w) => w.rows);
          const t = batch[0]!.t;
          const all = state.index ? decideAll(rows, await state.index.best(rows), t) : await matchRows(db, manifest, state, rows, t);
          let at = 0;
          for (const w of batch) {
            w.resolve(all.slice(at, at + w.rows.length));
            at += w.rows.length;
          }
        } catch (e) {
          for (const w of batch) w.reject(e);
        }
      }
      running = false;
    };
    return {
      snapshotId: manifest.snapshot_id,
      asOf: manifest.as_of,
      match(rows, thresholds) {
        return new Promise<RowResult[]>((resolve, reject) => {
          waiting.push({ rows, t: thresholds, resolve, reject });
          if (!running) {
            // Wait a moment for concurrent requests, so that a burst is matched in one run, not
            // as a first run of one request followed by a second of all the rest.
            running = true;
            if (windowMs > 0) setTimeout(() => void drain(), windowMs);
            else void drain();
          }
        });
      },
      runs: () => runs,
      close: () => db.close(),
    };
  } catch (e) {
    db.close();
    throw e;
  }
}

interface State {
  priorWeight: number;
  tfMin: number;
  /** The in-memory engine's index (engine 'memory'); absent for the SQL engine. */
  index?: MatchIndex;
}

async function load(db: Db, manifest: Manifest, engine: 'memory' | 'sql'): Promise<State> {
  const ctx = { db, log: silentLog, clock: () => new Date(manifest.created_at ?? manifest.as_of), config: undefined as never };
  await prepare(ctx);
  // The SQL engine copies the identities into a table (scanned on every request); the memory engine reads them once.
  await db.run(`CREATE OR REPLACE ${engine === 'sql' ? 'TABLE' : 'TEMP VIEW'} hn_snap_feature AS SELECT * FROM match_identities`);
  await db.run('CREATE OR REPLACE TABLE person.model_parameter AS SELECT field, level, m, u, weight, level_order FROM match_model');
  await db.run(`CREATE OR REPLACE TABLE person.surname_tf AS SELECT value AS surname_value, tf FROM match_term_frequency WHERE field = 'surname'`);
  await db.run(`CREATE OR REPLACE TABLE person.forename_tf AS SELECT value AS forename_value, tf FROM match_term_frequency WHERE field = 'forename'`);
  // in_network counts only links that are not intelligence-only (intelligence may carry handling
  // conditions); harm is withheld when any record behind it carries handling code C.
  await db.run(`CREATE OR REPLACE TABLE hn_nominal AS
    WITH linked AS (
      SELECT nominal_a AS nominal_id FROM edges WHERE NOT coalesce(intelligence_only, false)
      UNION SELECT nominal_b FROM edges WHERE NOT coalesce(intelligence_only, false)
    ),
    conditioned AS (SELECT DISTINCT nominal_id FROM harm_explanations WHERE handling_code = 'C')
    SELECT n.nominal_id, CASE WHEN n.network_id IS NOT NULL AND l.nominal_id IS NOT NULL THEN n.network_id END AS network_id,
           n.harm_cchi, n.harm_cchi_proven, n.harm_cchi_alleged, n.harm_band,
           coalesce(n.safeguarding_only, false) AS safeguarding_only, c.nominal_id IS NOT NULL AS harm_conditioned
    FROM nominals n LEFT JOIN linked l USING (nominal_id) LEFT JOIN conditioned c USING (nominal_id)`);
  const priorWeight = await db.value<number | null>('SELECT min(prior_weight) FROM match_model');
  if (priorWeight === null || priorWeight === undefined) throw new HarmnetError('SNAPSHOT_MANIFEST_INVALID', `snapshot ${manifest.snapshot_id}: match_model is empty`);
  const identities = await db.value<number>('SELECT count(DISTINCT iid) FROM hn_snap_feature');
  const tfMin = 1 / Math.max(1, identities);
  if (engine === 'memory') {
    const index = await MatchIndex.load(db, manifest.as_of, priorWeight, tfMin);
    // From now on only tiny queries (probabilities, accented names): one thread runs them with no hand-over.
    await db.run('SET threads = 1');
    return { priorWeight, tfMin, index };
  }
  // Block keys of the snapshot's identities, by resolve's own blocking rules (candidate-pair.sql).
  await db.run('CREATE OR REPLACE TABLE person.identity_feature AS SELECT * EXCLUDE (nominal_id) FROM hn_snap_feature');
  await db.runFile(sql('candidate-pair.sql'), KEYS_ONLY);
  await db.run('CREATE OR REPLACE TABLE hn_snap_key AS SELECT rule, key, cr_id FROM hn_block_key');
  await db.run(
    `CREATE OR REPLACE TABLE hn_snap_block AS
     SELECT rule, key, n, CASE WHEN cap = $name_sentinel THEN $max_name ELSE $max_block END AS cap_rows FROM hn_block_size`,
    { name_sentinel: KEYS_ONLY.max_name_block, max_name: RESOLVE_DEFAULTS.maxNameBlockRows, max_block: RESOLVE_DEFAULTS.maxBlockRows },
  );
  return { priorWeight, tfMin };
}

async function matchRows(db: Db, manifest: Manifest, state: State, rows: PartnerRow[], t: Config['resolution']): Promise<RowResult[]> {
  if (rows.length === 0) return [];
  // Partner rows take the shape of curated.identity and go through resolve's normalisation.
  await db.run('CREATE SCHEMA IF NOT EXISTS curated');
  const input = jsonRowsSelect('rows', { k: 'BIGINT', ref: 'VARCHAR', pnc: 'VARCHAR', surname: 'VARCHAR', forenames: 'VARCHAR', dob: 'DATE', sex: 'VARCHAR' });
  await db.run(
    `CREATE OR REPLACE TABLE curated.identity AS
     SELECT printf('row%07d', k) AS identity_id, 'partner' AS source, ref AS person_ref, pnc AS pnc_id_norm, false AS pnc_invalid,
            surname, forenames, dob AS date_of_birth, sex, NULL::DATE AS first_seen, NULL::DATE AS last_seen, 1::BIGINT AS n_records
     FROM (${input})`,
    { rows: JSON.stringify(rows.map((r, k) => ({ k, ref: r.row_ref, pnc: r.pnc, surname: r.surname, forenames: r.forenames, dob: r.date_of_birth, sex: r.sex }))) },
  );
  await db.runFile(sql('identity-feature.sql'), { as_of: manifest.as_of });
  await db.run('CREATE OR REPLACE TEMP TABLE hn_partner_feature AS SELECT * FROM person.identity_feature');
  await db.run('CREATE OR REPLACE TEMP TABLE hn_partner_identity AS SELECT iid, identity_id FROM person.identity');
  await db.runFile(sql('candidate-pair.sql'), KEYS_ONLY);
  await db.run(`CREATE OR REPLACE TEMP TABLE hn_pair_in AS
    SELECT DISTINCT -p.cr_id AS cr_a, s.cr_id AS cr_b
    FROM hn_block_key p JOIN hn_snap_block b USING (rule, key) JOIN hn_snap_key s USING (rule, key)
    WHERE b.n + 1 <= b.cap_rows`);
  // One comparison table holding both sides: partner ids negated so they never collide with the snapshot's.
  await db.run(`CREATE OR REPLACE TABLE person.identity_feature AS
    SELECT * REPLACE (-cr_id AS cr_id, -iid AS iid) FROM hn_partner_feature
    UNION ALL BY NAME
    SELECT * EXCLUDE (nominal_id) FROM hn_snap_feature WHERE cr_id IN (SELECT cr_b FROM hn_pair_in)`);
  await db.run(`CREATE OR REPLACE TABLE person.identity AS
    SELECT -iid AS iid, identity_id FROM hn_partner_identity
    UNION ALL SELECT DISTINCT iid, identity_id FROM hn_snap_feature WHERE cr_id IN (SELECT cr_b FROM hn_pair_in)`);
  await db.runFile(sql('pair-level.sql'));
  await db.runFile(sql('pair-score.sql'), { prior_weight: state.priorWeight, tf_min: state.tfMin, store_floor: -1e9 });
  const best = await db.all<{ identity_id: string; nominal_id: string; probability: number; dob_level: string; pnc_level: string; network_id: string | null; harm_cchi: number | null;
    harm_cchi_proven: number | null; harm_cchi_alleged: number | null; harm_band: string | null; safeguarding_only: boolean; harm_conditioned: boolean }>(
    `WITH per_nominal AS (
       SELECT pi.identity_id, f.nominal_id, max(ps.match_probability) AS probability,
              arg_max(ps.dob, ps.match_probability) AS dob_level, arg_max(ps.pnc, ps.match_probability) AS pnc_level
       FROM person.pair_score ps
       JOIN hn_partner_identity pi ON -pi.iid = ps.iid_a
       JOIN (SELECT DISTINCT iid, nominal_id FROM hn_snap_feature) f ON f.iid = ps.iid_b
       GROUP BY pi.identity_id, f.nominal_id
     ),
     scored AS (
       SELECT * FROM per_nominal QUALIFY row_number() OVER (PARTITION BY identity_id ORDER BY probability DESC, nominal_id) = 1
     )
     SELECT s.identity_id, s.nominal_id, s.probability, s.dob_level, s.pnc_level, n.network_id, n.harm_cchi, n.harm_cchi_proven, n.harm_cchi_alleged, n.harm_band,
            coalesce(n.safeguarding_only, false) AS safeguarding_only, coalesce(n.harm_conditioned, false) AS harm_conditioned
     FROM scored s LEFT JOIN hn_nominal n USING (nominal_id) ORDER BY s.identity_id`,
  );
  const byRow = new Map(best.map((b) => [b.identity_id, b]));
  return decideAll(rows, rows.map((_, k) => {
    const b = byRow.get(`row${String(k).padStart(7, '0')}`);
    return b ? { ...b, in_network: b.network_id !== null } : null;
  }), t);
}

/** Each row's answer from its best nominal: thresholds, the name-only rule, and what is withheld. */
function decideAll(rows: PartnerRow[], best: (BestNominal | null)[], t: Config['resolution']): RowResult[] {
  return rows.map((r, k): RowResult => {
    const b = best[k];
    const none: RowResult = {
      line: r.line, row_ref: r.row_ref, status: 'NO_MATCH', confidence: '', probability: null, in_network: null,
      harm_cchi: null, harm_cchi_proven: null, harm_cchi_alleged: null, harm_band: null, decided: 'NO_MATCH', nominal_id: null, withheld: null,
    };
    if (!b || b.probability < t.possibleThreshold) return none;
    // A MATCH needs the date of birth (or the PNC id) to have been compared: a name-only agreement
    // (the held record has no DOB) goes to the lab as a possible match, whatever its score.
    const nameOnly = b.dob_level === 'null' && b.pnc_level !== 'exact';
    const status: MatchStatus = b.probability >= t.matchThreshold && !nameOnly ? 'MATCH' : 'POSSIBLE_MATCH';
    // Safeguarding only (victim, witness, missing person): the partner must not learn that either.
    if (b.safeguarding_only) return { ...none, decided: status, nominal_id: b.nominal_id, probability: b.probability, withheld: 'safeguarding_only' };
    const found = { ...none, status, decided: status, probability: b.probability, confidence: yardstickTerm(b.probability), nominal_id: b.nominal_id, in_network: b.in_network };
    if (b.harm_conditioned) return { ...found, withheld: 'handling_conditions' };
    return {
      ...found, harm_cchi: b.harm_cchi ?? 0, harm_cchi_proven: b.harm_cchi_proven ?? 0, harm_cchi_alleged: b.harm_cchi_alleged ?? 0, harm_band: b.harm_band,
    };
  });
}
