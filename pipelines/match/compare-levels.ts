// The entity-resolution comparison levels of pipelines/resolve/sql/macros.sql and pair-level.sql, in
// TypeScript for the in-memory matcher; test/match/compare-levels.test.ts holds them equal to the SQL.

/**
 * Jaro–Winkler similarity exactly as DuckDB's jaro_winkler_similarity(p, t) computes it (the
 * rapidfuzz-derived duckdb_jaro_winkler: Jaro 1989 with Winkler's 1990 prefix bonus, prefix weight
 * 0.1 over at most 4 characters, applied above 0.7): same greedy matching window, same operation order.
 */
export function jaroWinkler(p: string, t: string): number {
  const pLen = p.length;
  const tLen = t.length;
  const maxPrefix = Math.min(pLen, tLen, 4);
  let prefix = 0;
  while (prefix < maxPrefix && p.charCodeAt(prefix) === t.charCodeAt(prefix)) prefix++;
  let sim = jaro(p, t);
  if (sim > 0.7) sim += prefix * 0.1 * (1.0 - sim);
  return sim;
}

function jaro(p: string, t: string): number {
  const pLen = p.length;
  const tLen = t.length;
  if (pLen === 0 || tLen === 0) return 0;
  if (pLen === 1 && tLen === 1) return p === t ? 1 : 0;
  const bound = Math.trunc(Math.max(pLen, tLen) / 2) - 1;
  const pFlag = new Uint8Array(pLen);
  const tFlag = new Uint8Array(tLen);
  let common = 0;
  for (let j = 0; j < tLen; j++) {
    const c = t.charCodeAt(j);
    const hi = Math.min(pLen - 1, j + bound);
    for (let k = Math.max(0, j - bound); k <= hi; k++) {
      if (pFlag[k] === 0 && p.charCodeAt(k) === c) {
        pFlag[k] = 1;
        tFlag[j] = 1;
        common++;
        break;
      }
    }
  }
  if (common === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let j = 0; j < tLen; j++) {
    if (tFlag[j] === 0) continue;
    while (pFlag[k] === 0) k++;
    if (p.charCodeAt(k) !== t.charCodeAt(j)) transpositions++;
    k++;
  }
  transpositions = Math.trunc(transpositions / 2);
  let sim = 0;
  sim += common / pLen;
  sim += common / tLen;
  sim += (common - transpositions) / common;
  return sim / 3.0;
}

/** Whether the Damerau–Levenshtein distance of a and b is at most 1 (one insertion, deletion, substitution or adjacent swap). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // one substitution
    return i + 1 < la && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // one swap
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

const contains = (words: string, w: string) => words.includes(`|${w}|`);

/** The comparison-ready columns of one identity (person.identity_feature) that pair-level.sql reads. */
export interface CompareSide {
  sn_full: string | null;
  sn_words: string | null;
  sn_multi: boolean;
  sn_first: string | null;
  sn_last: string | null;
  fn_first: string | null;
  fn_all: string | null;
  fn_words: string | null;
  fn_n: number;
  /** Date of birth as year*10000 + month*100 + day, or null. */
  dob: number | null;
  sex: string | null;
  pnc: string | null;
}

export interface PairLevels {
  surname: string;
  forename: string;
  dob: string;
  sex: string;
  pnc: string;
  surname_value: string | null;
  forename_value: string | null;
}

/** hn_surname_level (macros.sql) with jw computed as pair-level.sql does. */
export function surnameLevel(a: CompareSide, b: CompareSide): string {
  const x = a.sn_full;
  const y = b.sn_full;
  if (x === null || y === null) return 'null';
  if (x === y) return 'exact';
  const jw = jaroWinkler(x, y);
  if (jw >= 0.94) return 'jw94';
  if ((a.sn_multi || b.sn_multi) && (contains(a.sn_words!, b.sn_first!) || contains(a.sn_words!, b.sn_last!) || contains(b.sn_words!, a.sn_first!) || contains(b.sn_words!, a.sn_last!))) {
    return 'part';
  }
  if (jw >= 0.88) return 'jw88';
  if (Math.abs(x.length - y.length) <= 1 && x[0] === y[0] && jw >= 0.7 && withinOneEdit(x, y)) return 'jw88';
  return 'else';
}

/** hn_forename_level (macros.sql); nick: the two first forenames share a canonical name (person.nickname_pair). */
export function forenameLevel(a: CompareSide, b: CompareSide, nick: boolean): string {
  const x = a.fn_first;
  const y = b.fn_first;
  if (x === null || y === null) return 'null';
  if (x === y && a.fn_n >= 2 && a.fn_all === b.fn_all) return 'exact_all';
  if (x === y) return 'exact';
  if (nick) return 'nickname';
  const jw = jaroWinkler(x, y);
  if (jw >= 0.92) return 'jw92';
  if ((x.length === 1 || y.length === 1) && x[0] === y[0]) return 'initial';
  if ((a.fn_n > 1 || b.fn_n > 1) && (contains(a.fn_words!, y) || contains(b.fn_words!, x))) return 'other_name';
  if (jw >= 0.8) return 'jw80';
  return 'else';
}

/** hn_dob_level (macros.sql) on dates as year*10000 + month*100 + day. */
export function dobLevel(a: number | null, b: number | null): string {
  if (a === null || b === null) return 'null';
  if (a === b) return 'exact';
  const ya = Math.trunc(a / 10000), ma = Math.trunc(a / 100) % 100, da = a % 100;
  const yb = Math.trunc(b / 10000), mb = Math.trunc(b / 100) % 100, db = b % 100;
  if (ya === yb && ma === db && da === mb) return 'transposed';
  if (ya === yb && (ma === mb || da === db)) return 'one_part';
  if (ma === mb && da === db) {
    const gap = Math.abs(ya - yb);
    if (gap <= 1) return 'one_part';
    if (gap <= 10 && withinOneEdit(String(ya), String(yb))) return 'one_part';
  }
  return 'else';
}

const exactLevel = (a: string | null, b: string | null) => (a === null || b === null ? 'null' : a === b ? 'exact' : 'else');

/** Every field's level for one pair, as hn_pair_level (pair-level.sql) has them; a is the partner's side. */
export function pairLevels(a: CompareSide, b: CompareSide, nick: boolean): PairLevels {
  return {
    surname: surnameLevel(a, b),
    forename: forenameLevel(a, b, nick),
    dob: dobLevel(a.dob, b.dob),
    sex: exactLevel(a.sex, b.sex),
    pnc: exactLevel(a.pnc, b.pnc),
    surname_value: a.sn_full !== null && a.sn_full === b.sn_full ? a.sn_full : null,
    forename_value: a.fn_first !== null && a.fn_first === b.fn_first ? a.fn_first : null,
  };
}

/** hn_clean (macros.sql) for text that is all ASCII (null: nothing left); undefined: not ASCII, ask DuckDB's hn_clean. */
export function cleanAscii(s: string | null): string | null | undefined {
  const v = s ?? '';
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(v)) return undefined;
  const out = v.toUpperCase().replace(/['`]/g, '').replace(/[^A-Z]+/g, ' ').replace(/^ +| +$/g, '');
  return out === '' ? null : out;
}

const PHONETIC_FROM = 'BFPVCGJKQSXZDTLMNRAEIOUYHW';
const PHONETIC_TO = '111122222222334556';

/** hn_phonetic (macros.sql): first letter, then the codes of the following consonants with runs collapsed, 4 characters at most. */
export function phonetic(s: string | null): string | null {
  if (s === null) return null;
  let coded = '';
  for (const ch of s.slice(1)) {
    const i = PHONETIC_FROM.indexOf(ch);
    if (i < 0) coded += ch;
    else if (i < PHONETIC_TO.length) coded += PHONETIC_TO[i];
  }
  const collapsed = coded.replace(/([1-6])\1+/g, '$1');
  return s.slice(0, 1) + collapsed.slice(0, 3);
}
