// The in-memory matcher: a snapshot's identities as typed arrays with a blocking index on resolve's six
// rules, scored with resolve's trained model (m/u, prior, term frequencies) and compare-levels.ts.
// Held equal to the SQL path (matcher.ts, resolve's own SQL) by test/match/memory-engine.test.ts.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listValue, type DuckDBPreparedStatement } from '@duckdb/node-api';
import type { Db } from '../core/db.ts';
import { HarmnetError } from '../core/errors.ts';
import { RESOLVE_DEFAULTS, SQL_DIR } from '../resolve/resolve.ts';
import { cleanAscii, pairLevels, phonetic, type CompareSide } from './compare-levels.ts';
import type { PartnerRow } from './partner-input.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const LOAD_SQL = path.join(here, 'sql', 'match-index.sql');

/** The best nominal found for one partner row: what matcher.ts decides MATCH / POSSIBLE_MATCH / NO_MATCH from. */
export interface BestNominal {
  nominal_id: string;
  probability: number;
  dob_level: string;
  pnc_level: string;
  in_network: boolean;
  harm_cchi: number | null;
  harm_cchi_proven: number | null;
  harm_cchi_alleged: number | null;
  harm_band: string | null;
  safeguarding_only: boolean;
  harm_conditioned: boolean;
}

/** A partner row in comparison-ready form (identity-feature.sql's columns) plus its blocking parts. */
export interface PartnerFeature extends CompareSide {
  sn_phon: string | null;
  fn_phon: string | null;
  fn_key: string | null;
}

const NONE = -1;
/** Resolve's blocking rules (candidate-pair.sql), in its order; name-only rules have the smaller cap. */
const RULES = ['dob_surname_initial', 'dob_forename_initial', 'surname_phonetic_forename', 'surname_forename_phonetic', 'surname_phonetic_year_month', 'pnc'] as const;
const NAME_ONLY = new Set<string>(['surname_phonetic_forename', 'surname_forename_phonetic']);

interface Block {
  keys: Float64Array;
  offsets: Int32Array;
  members: Int32Array;
}

export class MatchIndex {
  private constructor(
    private readonly db: Db,
    private readonly asOf: string,
    private readonly dict: PackedStrings,
    private readonly rows: Record<'iid' | 'nominal' | 'sn_full' | 'sn_phon' | 'sn_words' | 'sn_multi' | 'sn_first' | 'sn_last' | 'fn_first' | 'fn_phon' | 'fn_all' | 'fn_words' | 'fn_n' | 'fn_key' | 'dob' | 'sex' | 'pnc', Int32Array>,
    private readonly nominals: { id: PackedStrings; held: Uint8Array; inNetwork: Uint8Array; harm: Float64Array; proven: Float64Array; alleged: Float64Array; band: (string | null)[]; safeguarding: Uint8Array; conditioned: Uint8Array },
    private readonly blocks: Block[],
    private readonly model: Map<string, { weight: number }>,
    private readonly prior: number,
    private readonly tfAdjust: { surname: Map<string, number>; forename: Map<string, number> },
    private readonly nickname: Map<string, string>,
    private readonly nicknamePair: Set<string>,
  ) {}

  /** Identity rows held (one per comparison variant). */
  get size(): number {
    return this.rows.iid.length;
  }

  /**
   * Loads from a snapshot Db on which resolve's prepare() has run and which holds hn_nominal and
   * hn_snap_feature (matcher.ts); reads match_model and match_term_frequency too.
   */
  static async load(db: Db, asOf: string, priorWeight: number, tfMin: number): Promise<MatchIndex> {
    await db.runFile(LOAD_SQL);
    const strings: string[] = [];
    for (const r of await db.all<{ v: string; code: number }>('SELECT v, code FROM hn_mem_dict ORDER BY code')) strings[r.code] = r.v;
    const dict = PackedStrings.of(strings);
    const n = Number(await db.value('SELECT count(*) FROM hn_mem_identity'));
    const cols = ['iid', 'nominal', 'sn_full', 'sn_phon', 'sn_words', 'sn_multi', 'sn_first', 'sn_last', 'fn_first', 'fn_phon', 'fn_all', 'fn_words', 'fn_n', 'fn_key', 'dob', 'sex', 'pnc'] as const;
    const rows = Object.fromEntries(cols.map((c) => [c, new Int32Array(n)])) as MatchIndex['rows'];
    const result = await db.connection.stream(
      `SELECT ${cols.map((c) => (c === 'sn_multi' ? 'CAST(sn_multi AS INTEGER) AS sn_multi' : c)).join(', ')} FROM hn_mem_identity ORDER BY cr_id`,
    );
    let at = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      cols.forEach((c, i) => {
        const values = chunk.getColumnValues(i);
        const target = rows[c];
        for (let k = 0; k < values.length; k++) target[at + k] = values[k] === null ? NONE : (values[k] as number);
      });
      at += chunk.rowCount;
    }
    if (at !== n) throw new HarmnetError('RUN_FAILED', `partner match index: read ${at} identity rows of ${n}`);

    // Each nominal's answer, by code (codes are in nominal_id order), read column by column.
    const m = Number(await db.value('SELECT count(*) FROM hn_mem_nominal'));
    const nominals = {
      id: [] as string[], held: new Uint8Array(m), inNetwork: new Uint8Array(m), harm: new Float64Array(m), proven: new Float64Array(m), alleged: new Float64Array(m),
      band: new Array<string | null>(m), safeguarding: new Uint8Array(m), conditioned: new Uint8Array(m),
    };
    const nomResult = await db.connection.stream(
      `SELECT nominal_id, held, in_network, CAST(harm_cchi AS DOUBLE), CAST(harm_cchi_proven AS DOUBLE), CAST(harm_cchi_alleged AS DOUBLE), CAST(harm_band AS VARCHAR),
              safeguarding_only, harm_conditioned FROM hn_mem_nominal ORDER BY code`,
    );
    let k = 0;
    for (;;) {
      const chunk = await nomResult.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const c = (i: number) => chunk.getColumnValues(i);
      const [id, held, inNetwork, harm, proven, alleged, band, safeguarding, conditioned] = [c(0), c(1), c(2), c(3), c(4), c(5), c(6), c(7), c(8)];
      for (let r = 0; r < chunk.rowCount; r++, k++) {
        nominals.id[k] = id[r] as string;
        nominals.held[k] = held[r] ? 1 : 0;
        nominals.inNetwork[k] = inNetwork[r] ? 1 : 0;
        nominals.harm[k] = harm[r] === null ? NaN : (harm[r] as number);
        nominals.proven[k] = proven[r] === null ? NaN : (proven[r] as number);
        nominals.alleged[k] = alleged[r] === null ? NaN : (alleged[r] as number);
        nominals.band[k] = (band[r] as string | null) ?? null;
        nominals.safeguarding[k] = safeguarding[r] ? 1 : 0;
        nominals.conditioned[k] = conditioned[r] ? 1 : 0;
      }
    }
    if (k !== m) throw new HarmnetError('RUN_FAILED', `partner match index: read ${k} nominals of ${m}`);
    // What the index now holds in arrays need not stay in DuckDB too.
    for (const t of ['hn_mem_identity', 'hn_mem_nominal', 'hn_mem_dict', 'hn_nominal']) await db.run(`DROP TABLE IF EXISTS ${t}`);

    const model = new Map<string, { weight: number }>();
    for (const p of await db.all<{ field: string; level: string; weight: number }>('SELECT field, level, weight FROM match_model')) model.set(`${p.field}|${p.level}`, { weight: p.weight });
    // Term-frequency adjustments computed by DuckDB with pair-score.sql's expression, so they are the same doubles.
    const tf = await db.all<{ field: string; value: string; adjust: number }>(
      `SELECT t.field, t.value, log2(p.u / greatest(t.tf, CAST($tf_min AS DOUBLE))) AS adjust
       FROM match_term_frequency t JOIN (SELECT DISTINCT field, u FROM match_model WHERE level = 'exact') p USING (field)
       WHERE t.tf IS NOT NULL AND t.value IS NOT NULL`,
      { tf_min: tfMin },
    );
    const tfAdjust = { surname: new Map<string, number>(), forename: new Map<string, number>() };
    for (const t of tf) (t.field === 'surname' ? tfAdjust.surname : tfAdjust.forename).set(t.value, t.adjust);

    // Nicknames exactly as identity-feature.sql uses them (run on no rows: it builds person.nickname_pair).
    await db.run('CREATE SCHEMA IF NOT EXISTS curated');
    await db.run(`CREATE OR REPLACE TABLE curated.identity (identity_id VARCHAR, source VARCHAR, person_ref VARCHAR, pnc_id_norm VARCHAR, pnc_invalid BOOLEAN,
      surname VARCHAR, forenames VARCHAR, date_of_birth DATE, sex VARCHAR, first_seen DATE, last_seen DATE, n_records BIGINT)`);
    await db.runFile(path.join(SQL_DIR, 'identity-feature.sql'), { as_of: asOf });
    const nickname = new Map((await db.all<{ nickname: string; canonical: string }>('SELECT nickname, min(canonical) AS canonical FROM person.nickname GROUP BY nickname')).map((r) => [r.nickname, r.canonical]));
    const nicknamePair = new Set((await db.all<{ a: string; b: string }>('SELECT name_a AS a, name_b AS b FROM person.nickname_pair')).map((r) => `${r.a}|${r.b}`));

    const index = new MatchIndex(db, asOf, dict, rows, { ...nominals, id: PackedStrings.of(nominals.id, false) }, [], model, priorWeight, tfAdjust, nickname, nicknamePair);
    for (let r = 0; r < RULES.length; r++) index.blocks.push(index.buildBlock(r));
    return index;
  }

  /** Rule r's numeric block key of identity row i (NaN when a part is missing), as candidate-pair.sql forms it. */
  private keyOfRow(r: number, i: number): number {
    const x = this.rows;
    const s = this.dict;
    return blockKey(r, x.dob[i]! === NONE ? null : x.dob[i]!, x.sn_full[i]! === NONE ? null : s.at(x.sn_full[i]!), x.fn_key[i]! === NONE ? null : s.at(x.fn_key[i]!),
      x.sn_phon[i]!, x.fn_key[i]!, x.fn_phon[i]!, x.pnc[i]!, this.dict.length);
  }

  private buildBlock(r: number): Block {
    const n = this.size;
    const all = new Float64Array(n);
    for (let i = 0; i < n; i++) all[i] = this.keyOfRow(r, i);
    const sorted = all.slice().sort();
    let u = 0;
    const keys = new Float64Array(n);
    const counts = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const k = sorted[i]!;
      if (Number.isNaN(k)) break;
      if (u === 0 || keys[u - 1] !== k) keys[u++] = k;
      counts[u - 1]!++;
    }
    const offsets = new Int32Array(u + 1);
    for (let b = 0; b < u; b++) offsets[b + 1] = offsets[b]! + counts[b]!;
    const fill = offsets.slice(0, u);
    const members = new Int32Array(offsets[u]!);
    const used = keys.subarray(0, u);
    for (let i = 0; i < n; i++) {
      const k = all[i]!;
      if (Number.isNaN(k)) continue;
      const b = lowerBound(used, k);
      members[fill[b]!++] = i;
    }
    return { keys: used.slice(), offsets, members };
  }

  /** Partner rows in comparison-ready form: identity-feature.sql's columns (hn_clean by DuckDB for non-ASCII text). */
  async features(rows: PartnerRow[]): Promise<PartnerFeature[]> {
    const ask = new Set<string>();
    for (const r of rows) for (const s of [r.surname, r.forenames]) if (cleanAscii(s) === undefined) ask.add(s ?? '');
    const cleaned = new Map<string, string | null>();
    if (ask.size > 0) {
      const list = [...ask];
      for (const x of await this.db.all<{ s: string; c: string | null }>('SELECT s, hn_clean(s) AS c FROM (SELECT unnest($s) AS s)', { s: listValue(list) })) cleaned.set(x.s, x.c);
    }
    const clean = (s: string | null) => {
      const c = cleanAscii(s);
      return c === undefined ? cleaned.get(s ?? '') ?? null : c;
    };
    return rows.map((r) => {
      const sn = clean(r.surname);
      const fn = clean(r.forenames);
      const snFull = sn === null ? null : sn.replace(/ /g, '');
      const fnFirst = fn === null ? null : fn.split(' ')[0] || null;
      const part = sn === null ? null : (` ${sn} `.replace(/ [A-Z] /g, ' ').replace(/ [A-Z] /g, ' ').replace(/^ +| +$/g, '') || null);
      const wordsOf = part ?? snFull;
      const dobText = r.date_of_birth;
      const dob = !dobText || dobText < '1900-01-01' || dobText > this.asOf ? null : Number(dobText.slice(0, 4)) * 10000 + Number(dobText.slice(5, 7)) * 100 + Number(dobText.slice(8, 10));
      const sex = r.sex === null ? null : r.sex.trim().toUpperCase();
      return {
        sn_full: snFull,
        sn_phon: phonetic(snFull),
        sn_words: wordsOf === null ? null : `|${wordsOf.replace(/ /g, '|')}|`,
        sn_multi: part !== null && part.includes(' '),
        sn_first: part !== null ? part.split(' ')[0]! : snFull,
        sn_last: part !== null ? /([A-Z]+)$/.exec(part)?.[1] ?? '' : snFull,
        fn_first: fnFirst,
        fn_phon: phonetic(fnFirst),
        fn_all: fn,
        fn_words: fn === null ? null : `|${fn.replace(/ /g, '|')}|`,
        fn_n: fn === null ? 0 : fn.split(' ').length,
        fn_key: fnFirst === null ? null : this.nickname.get(fnFirst) ?? fnFirst,
        dob,
        sex: sex === 'M' || sex === 'F' ? sex : null,
        // (the SQL path writes pnc_invalid = false: partner-input.ts refuses an invalid PNC id)
        pnc: (r.pnc ?? '').trim() || null,
      };
    });
  }

  private side(i: number): CompareSide {
    const x = this.rows;
    const s = (c: number) => (c === NONE ? null : this.dict.at(c));
    return {
      sn_full: s(x.sn_full[i]!), sn_words: s(x.sn_words[i]!), sn_multi: x.sn_multi[i] === 1, sn_first: s(x.sn_first[i]!), sn_last: s(x.sn_last[i]!),
      fn_first: s(x.fn_first[i]!), fn_all: s(x.fn_all[i]!), fn_words: s(x.fn_words[i]!), fn_n: x.fn_n[i]!, dob: x.dob[i] === NONE ? null : x.dob[i]!,
      sex: s(x.sex[i]!), pnc: s(x.pnc[i]!),
    };
  }

  /** Candidate identity rows of one partner row: every rule's block it falls in, unless the block is over resolve's cap. */
  candidates(f: PartnerFeature): number[] {
    const found = new Set<number>();
    const codeOf = (v: string | null) => (v === null ? NONE : this.dict.indexOf(v) ?? -2);
    for (let r = 0; r < RULES.length; r++) {
      const key = blockKey(r, f.dob, f.sn_full, f.fn_key, codeOf(f.sn_phon), codeOf(f.fn_key), codeOf(f.fn_phon), codeOf(f.pnc), this.dict.length);
      if (Number.isNaN(key)) continue;
      const block = this.blocks[r]!;
      const b = lowerBound(block.keys, key);
      if (b >= block.keys.length || block.keys[b] !== key) continue;
      const from = block.offsets[b]!;
      const to = block.offsets[b + 1]!;
      const cap = NAME_ONLY.has(RULES[r]!) ? RESOLVE_DEFAULTS.maxNameBlockRows : RESOLVE_DEFAULTS.maxBlockRows;
      if (to - from + 1 > cap) continue;
      for (let k = from; k < to; k++) found.add(block.members[k]!);
    }
    return [...found].sort((a, b) => a - b);
  }

  /** Each partner row's best nominal (null when no candidate), scored as pair-score.sql and the SQL path's per-nominal pick. */
  async best(rows: PartnerRow[]): Promise<(BestNominal | null)[]> {
    const feats = await this.features(rows);
    type Pair = { i: number; weight: number; pnc: string; dob: string };
    const perRow: Pair[][] = feats.map((f) => {
      const byIid = new Map<number, Pair>();
      for (const i of this.candidates(f)) {
        const b = this.side(i);
        const nick = f.fn_first !== null && b.fn_first !== null && this.nicknamePair.has(`${f.fn_first}|${b.fn_first}`);
        const l = pairLevels(f, b, nick);
        const ws = this.model.get(`surname|${l.surname}`), wf = this.model.get(`forename|${l.forename}`), wd = this.model.get(`dob|${l.dob}`);
        const wx = this.model.get(`sex|${l.sex}`), wp = this.model.get(`pnc|${l.pnc}`);
        if (!ws || !wf || !wd || !wx || !wp) continue; // pair-score.sql's inner joins drop a pattern the model lacks
        const wPattern = this.prior + ws.weight + wf.weight + wd.weight + wx.weight + wp.weight;
        const sTf = l.surname === 'exact' && l.surname_value !== null ? this.tfAdjust.surname.get(l.surname_value) ?? 0 : 0;
        const fTf = l.forename === 'exact' && l.forename_value !== null ? this.tfAdjust.forename.get(l.forename_value) ?? 0 : 0;
        const pair: Pair = { i, weight: wPattern + sTf + fTf, pnc: l.pnc, dob: l.dob };
        // One pair per identity: same PNC first, then the highest weight, then the lowest cr_id (pair-score.sql's QUALIFY).
        const iid = this.rows.iid[i]!;
        const held = byIid.get(iid);
        if (!held || better(pair, held)) byIid.set(iid, pair);
      }
      return [...byIid.values()];
    });
    const probability = await this.probabilities(perRow.flat().filter((p) => p.pnc !== 'exact').map((p) => p.weight));
    return perRow.map((pairs) => {
      // Per nominal: the highest probability, and the DOB / PNC levels of a pair that has it.
      const perNominal = new Map<number, { p: number; pair: Pair }>();
      for (const pair of pairs) {
        const p = pair.pnc === 'exact' ? 1.0 : probability.get(pair.weight)!;
        const nominal = this.rows.nominal[pair.i]!;
        if (nominal === NONE) continue;
        const held = perNominal.get(nominal);
        if (!held || p > held.p || (p === held.p && tieBetter(pair, held.pair))) perNominal.set(nominal, { p, pair });
      }
      let bestNominal = NONE;
      let top: { p: number; pair: Pair } | undefined;
      for (const [nominal, v] of perNominal) {
        // Highest probability, ties to the lower nominal_id (codes are in nominal_id order).
        if (!top || v.p > top.p || (v.p === top.p && nominal < bestNominal)) { top = v; bestNominal = nominal; }
      }
      if (!top) return null;
      const n = this.nominals;
      const held = n.held[bestNominal] === 1;
      const num = (x: number) => (Number.isNaN(x) ? null : x);
      return {
        nominal_id: n.id.at(bestNominal), probability: top.p, dob_level: top.pair.dob, pnc_level: top.pair.pnc,
        in_network: held && n.inNetwork[bestNominal] === 1, harm_cchi: num(n.harm[bestNominal]!), harm_cchi_proven: num(n.proven[bestNominal]!),
        harm_cchi_alleged: num(n.alleged[bestNominal]!), harm_band: n.band[bestNominal] ?? null, safeguarding_only: n.safeguarding[bestNominal] === 1,
        harm_conditioned: n.conditioned[bestNominal] === 1,
      };
    });
  }

  private readonly probabilityCache = new Map<number, number>();
  private probabilityStatement?: Promise<DuckDBPreparedStatement>;

  /**
   * pow(2, w) / (1 + pow(2, w)) computed by DuckDB, as pair-score.sql does: JavaScript's Math.pow differs
   * from the C library's in the last bit for about one weight in ten. Cached per weight.
   */
  private async probabilities(weights: number[]): Promise<Map<number, number>> {
    const cache = this.probabilityCache;
    const missing = [...new Set(weights.filter((w) => !cache.has(w)))];
    if (missing.length > 0) {
      if (cache.size + missing.length > 1_000_000) cache.clear();
      // prepared once: each request then costs one round trip to DuckDB, not a parse and plan as well
      this.probabilityStatement ??= this.db.connection.prepare('SELECT w, pow(2, w) / (1 + pow(2, w)) AS p FROM (SELECT unnest(CAST($w AS DOUBLE[])) AS w)');
      const statement = await this.probabilityStatement;
      statement.bind({ w: listValue(missing) });
      const got = (await statement.runAndReadAll()).getRowObjectsJson() as { w: number; p: number }[];
      for (const g of got) cache.set(g.w, g.p);
    }
    return cache;
  }
}

/**
 * Many strings held as one string and offsets: a handful of heap objects instead of millions, so the
 * garbage collector's pauses stay short with a force-scale snapshot loaded. Looked up by position, or
 * (the list being in DuckDB's ORDER BY order) by binary search.
 */
class PackedStrings {
  private constructor(private readonly text: string, private readonly offsets: Int32Array, private readonly byValue: Map<string, number> | null) {}

  /** searchable: indexOf() will be used (then a list not in code-unit order gets a map). */
  static of(values: string[], searchable = true): PackedStrings {
    const offsets = new Int32Array(values.length + 1);
    for (let i = 0; i < values.length; i++) offsets[i + 1] = offsets[i]! + values[i]!.length;
    // Binary search needs code-unit order, which is DuckDB's byte order for these (ASCII) codes; otherwise a map.
    let sorted = true;
    for (let i = 1; i < values.length && sorted && searchable; i++) sorted = values[i - 1]! < values[i]!;
    return new PackedStrings(values.join(''), offsets, sorted ? null : new Map(values.map((v, i) => [v, i])));
  }

  get length(): number {
    return this.offsets.length - 1;
  }

  at(i: number): string {
    return this.text.slice(this.offsets[i]!, this.offsets[i + 1]!);
  }

  /** Position of v, or undefined (only for a list made searchable). */
  indexOf(v: string): number | undefined {
    if (this.byValue) return this.byValue.get(v);
    let lo = 0;
    let hi = this.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const x = this.at(mid);
      if (x === v) return mid;
      if (x < v) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}

function better(a: { weight: number; pnc: string; i: number }, b: { weight: number; pnc: string; i: number }): boolean {
  const ax = a.pnc === 'exact', bx = b.pnc === 'exact';
  if (ax !== bx) return ax;
  if (a.weight !== b.weight) return a.weight > b.weight;
  return a.i < b.i;
}

/** Between pairs of one nominal with the same probability (the SQL's arg_max leaves this open): same PNC, then weight, then row. */
function tieBetter(a: { weight: number; pnc: string; i: number }, b: { weight: number; pnc: string; i: number }): boolean {
  return better(a, b);
}

/**
 * Rule r's block key as one exact number: the parts candidate-pair.sql joins into its key text, coded.
 * dob as year*10000+month*100+day; initials as character codes; other parts as dictionary codes (-2: not in
 * the snapshot, so no block; -1: missing).
 */
function blockKey(r: number, dob: number | null, snFull: string | null, fnKey: string | null, snPhon: number, fnKeyCode: number, fnPhon: number, pnc: number, d: number): number {
  const dobKey = dob === null ? NaN : Math.trunc(dob / 10000) * 10000 + Math.min(Math.trunc(dob / 100) % 100, dob % 100) * 100 + Math.max(Math.trunc(dob / 100) % 100, dob % 100);
  switch (r) {
    case 0: return snFull === null ? NaN : dobKey * 65536 + snFull.charCodeAt(0);
    case 1: return fnKey === null ? NaN : dobKey * 65536 + fnKey.charCodeAt(0);
    case 2: return snPhon < 0 || fnKeyCode < 0 ? NaN : snPhon * d + fnKeyCode;
    case 3: return snPhon < 0 || fnPhon < 0 ? NaN : snPhon * d + fnPhon;
    case 4: return snPhon < 0 || dob === null ? NaN : snPhon * 4_194_304 + Math.trunc(dob / 10000) * 13 + (Math.trunc(dob / 100) % 100);
    default: return pnc < 0 ? NaN : pnc;
  }
}

function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
