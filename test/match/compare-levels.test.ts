// The in-memory matcher's comparison functions against resolve's own macros (macros.sql) run in DuckDB:
// the same similarity to the last bit and the same level on thousands of seeded name and date pairs.

import { listValue } from '@duckdb/node-api';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Db } from '../../pipelines/core/db.ts';
import { SQL_DIR } from '../../pipelines/resolve/resolve.ts';
import { cleanAscii, dobLevel, forenameLevel, jaroWinkler, phonetic, surnameLevel, withinOneEdit, type CompareSide } from '../../pipelines/match/compare-levels.ts';

let db: Db;
beforeAll(async () => {
  db = await Db.open(':memory:');
  await db.runFile(path.join(SQL_DIR, 'macros.sql'));
});
afterAll(() => db?.close());

/** Seeded generator (mulberry32) so every run checks the same pairs. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['SMITH', 'SMYTH', 'SMITHE', 'JONES', 'JONAS', 'OKAFOR', 'OKAFORE', 'NOWAK', 'NOVAK', 'KHAN', 'KAHN', 'ONEILL', 'NEILL', 'MACDONALD', 'MCDONALD',
  'HARRISONWOOD', 'HARRISON', 'WOOD', 'A', 'AB', 'BA', 'ABC', 'JOHN', 'JON', 'JONATHAN', 'J', 'BILL', 'WILLIAM', 'WILL', 'LIAM', 'AISHA', 'AYESHA', 'MARTHA', 'MARHTA',
  'DIXON', 'DICKSONX', 'DWAYNE', 'DUANE', 'CRATE', 'TRACE', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'ZYXWVUTSRQPONMLKJIHGFEDCBA', 'AAAAAAB', 'BAAAAAA'];

function mutate(s: string, r: () => number): string {
  const i = Math.floor(r() * s.length);
  const k = r();
  const letter = String.fromCharCode(65 + Math.floor(r() * 26));
  if (k < 0.25 && s.length > 1) return s.slice(0, i) + s.slice(i + 1);
  if (k < 0.5 && i + 1 < s.length) return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
  if (k < 0.75) return s.slice(0, i) + letter + s.slice(i + 1);
  return s.slice(0, i) + letter + s.slice(i);
}

/** 4,000 pairs: list names against each other and against one to three random edits of themselves. */
function namePairs(): [string, string][] {
  const r = rng(20261116);
  const out: [string, string][] = [];
  for (const a of NAMES) for (const b of NAMES) out.push([a, b]);
  while (out.length < 4000) {
    const a = NAMES[Math.floor(r() * NAMES.length)]!;
    let b = a;
    for (let k = 0, n = 1 + Math.floor(r() * 3); k < n; k++) b = mutate(b, r) || 'Q';
    out.push(r() < 0.5 ? [a, b] : [b, a]);
  }
  return out;
}

describe('comparison functions equal resolve macros', () => {
  it('jaro_winkler_similarity: bit-identical on 4,000 name pairs (list × list and random edits)', async () => {
    const pairs = namePairs();
    const got = await db.all<{ s: number; dl: number }>(
      'SELECT jaro_winkler_similarity(a, b) AS s, damerau_levenshtein(a, b) AS dl FROM (SELECT unnest($a) AS a, unnest($b) AS b)',
      { a: listValue(pairs.map((p) => p[0])), b: listValue(pairs.map((p) => p[1])) },
    );
    expect(got).toHaveLength(pairs.length);
    const jwDiff = pairs.filter((p, i) => jaroWinkler(p[0], p[1]) !== got[i]!.s);
    expect(jwDiff).toEqual([]);
    const dlDiff = pairs.filter((p, i) => withinOneEdit(p[0], p[1]) !== got[i]!.dl <= 1);
    expect(dlDiff).toEqual([]);
    // the pairs cover every band the levels use
    const s = got.map((g) => g.s);
    for (const [lo, hi] of [[0.94, 1], [0.92, 0.94], [0.88, 0.92], [0.8, 0.88], [0.7, 0.8], [0, 0.7]] as const) expect(s.some((x) => x >= lo && x < hi)).toBe(true);
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.9611, 4); // Winkler's textbook example
  });

  it('hn_surname_level and hn_forename_level: the same level on 4,000 pairs of single and double-barrelled names', async () => {
    const r = rng(7);
    const pairs = namePairs().map(([a, b]) => {
      const multi = (x: string) => (r() < 0.2 ? `${x} ${NAMES[Math.floor(r() * NAMES.length)]}` : x);
      return [multi(a), multi(b)] as const;
    }).concat([['JOHN PAUL', 'JOHN PAUL'], ['JOHN PAUL', 'JOHN PETER'], ['ANNE MARIE', 'MARIE'], ['SMITH JONES', 'JONES']]);
    const side = (clean: string, fnKnown: boolean): CompareSide => {
      const part = ` ${clean} `.replace(/ [A-Z] /g, ' ').replace(/ [A-Z] /g, ' ').trim() || null;
      const words = part ?? clean.replace(/ /g, '');
      return {
        sn_full: clean.replace(/ /g, ''), sn_words: `|${words.replace(/ /g, '|')}|`, sn_multi: !!part?.includes(' '), sn_first: part ? part.split(' ')[0]! : clean.replace(/ /g, ''),
        sn_last: part ? /([A-Z]+)$/.exec(part)![1]! : clean.replace(/ /g, ''),
        fn_first: fnKnown ? clean.split(' ')[0]! : null, fn_all: fnKnown ? clean : null, fn_words: fnKnown ? `|${clean.replace(/ /g, '|')}|` : null,
        fn_n: fnKnown ? clean.split(' ').length : 0, dob: null, sex: null, pnc: null,
      };
    };
    const sides = pairs.map(([a, b], i) => [side(a, i % 50 !== 1), side(b, i % 70 !== 1)] as const);
    const nick = pairs.map((_, i) => i % 13 === 0);
    const cols = (f: (s: CompareSide) => unknown, k: 0 | 1) => listValue(sides.map((s) => f(s[k]) as string));
    const got = await db.all<{ sn: string; fn: string }>(
      `SELECT hn_surname_level(sa, sb, CASE WHEN sa = sb THEN 1.0 ELSE jaro_winkler_similarity(sa, sb) END, swa, swb, sma, smb, sfa, sla, sfb, slb) AS sn,
              hn_forename_level(fa, fb, CASE WHEN fa = fb THEN 1.0 ELSE jaro_winkler_similarity(fa, fb) END, nick, faa, fab, fwa, fwb, fna, fnb) AS fn
       FROM (SELECT unnest($sa) AS sa, unnest($sb) AS sb, unnest($swa) AS swa, unnest($swb) AS swb, unnest($sma) AS sma, unnest($smb) AS smb,
                    unnest($sfa) AS sfa, unnest($sla) AS sla, unnest($sfb) AS sfb, unnest($slb) AS slb, unnest($fa) AS fa, unnest($fb) AS fb, unnest($nick) AS nick,
                    unnest($faa) AS faa, unnest($fab) AS fab, unnest($fwa) AS fwa, unnest($fwb) AS fwb, unnest($fna) AS fna, unnest($fnb) AS fnb)`,
      {
        sa: cols((s) => s.sn_full, 0), sb: cols((s) => s.sn_full, 1), swa: cols((s) => s.sn_words, 0), swb: cols((s) => s.sn_words, 1),
        sma: listValue(sides.map((s) => s[0].sn_multi)), smb: listValue(sides.map((s) => s[1].sn_multi)),
        sfa: cols((s) => s.sn_first, 0), sla: cols((s) => s.sn_last, 0), sfb: cols((s) => s.sn_first, 1), slb: cols((s) => s.sn_last, 1),
        fa: cols((s) => s.fn_first ?? '', 0), fb: cols((s) => s.fn_first ?? '', 1), nick: listValue(nick),
        faa: cols((s) => s.fn_all ?? '', 0), fab: cols((s) => s.fn_all ?? '', 1), fwa: cols((s) => s.fn_words ?? '', 0), fwb: cols((s) => s.fn_words ?? '', 1),
        fna: listValue(sides.map((s) => s[0].fn_n)), fnb: listValue(sides.map((s) => s[1].fn_n)),
      },
    );
    // ('' stands in for a missing forename in the bound lists; NULLIF back below)
    const sql = got.map((g, i) => ({ sn: g.sn, fn: sides[i]![0].fn_first === null || sides[i]![1].fn_first === null ? 'null' : g.fn }));
    const ts = sides.map(([a, b], i) => ({ sn: surnameLevel(a, b), fn: forenameLevel(a, b, nick[i]!) }));
    expect(ts).toEqual(sql);
    const levels = new Set(ts.flatMap((x) => [`sn:${x.sn}`, `fn:${x.fn}`]));
    for (const l of ['sn:exact', 'sn:jw94', 'sn:part', 'sn:jw88', 'sn:else', 'fn:exact', 'fn:exact_all', 'fn:nickname', 'fn:jw92', 'fn:initial', 'fn:other_name', 'fn:jw80', 'fn:else', 'fn:null']) {
      expect(levels).toContain(l);
    }
  });

  it('hn_dob_level: the same level on every pair of 60 dates (3,600 pairs: transposed, one part, keying slips, ten-year rule)', async () => {
    const dates = ['1987-03-04', '1987-04-03', '1987-03-05', '1987-05-04', '1988-03-04', '1978-03-04', '1997-03-04', '2014-03-04', '1972-03-04', '1986-03-04',
      '1987-12-04', '1987-03-12', '1990-01-01', '1990-01-02', '1991-01-01', '2009-01-01', '1999-01-01', '1909-01-01', '1990-10-01', '1990-01-10'];
    const r = rng(3);
    while (dates.length < 60) dates.push(`${1950 + Math.floor(r() * 60)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}`);
    const pairs = dates.flatMap((a) => dates.map((b) => [a, b] as const));
    const got = await db.all<{ l: string }>('SELECT hn_dob_level(CAST(a AS DATE), CAST(b AS DATE)) AS l FROM (SELECT unnest($a) AS a, unnest($b) AS b)',
      { a: listValue(pairs.map((p) => p[0])), b: listValue(pairs.map((p) => p[1])) });
    const num = (d: string) => Number(d.slice(0, 4)) * 10000 + Number(d.slice(5, 7)) * 100 + Number(d.slice(8, 10));
    expect(pairs.map(([a, b]) => dobLevel(num(a), num(b)))).toEqual(got.map((g) => g.l));
    expect(new Set(got.map((g) => g.l))).toEqual(new Set(['exact', 'transposed', 'one_part', 'else']));
    expect(dobLevel(null, num('1990-01-01'))).toBe('null');
  });

  it('hn_clean and hn_phonetic: the same text for ASCII names (apostrophes, hyphens, spaces, case, digits, backticks)', async () => {
    const raw = ["O'Neill", 'o neill', 'Smith-Jones', '  de  la  Cruz ', 'MacDonald`s', 'x', 'A B C', 'van der Berg-Smith', '3rd Name', "D'Arcy-O'Brien", '--', 'Lee  Ann',
      'j', 'Ashcroft', 'Pfister', 'Tymczak', 'Honeyman', 'Robert', 'Rupert', 'Rubin', 'Jackson', 'Wozniak', 'Aaberg', 'Bb', 'Lloyd'];
    const got = await db.all<{ c: string | null; p: string | null }>(
      'SELECT hn_clean(s) AS c, hn_phonetic(replace(hn_clean(s), \' \', \'\')) AS p FROM (SELECT unnest($s) AS s)', { s: listValue(raw) });
    expect(raw.map((s) => cleanAscii(s))).toEqual(got.map((g) => g.c));
    expect(raw.map((s) => phonetic(cleanAscii(s)?.replace(/ /g, '') ?? null))).toEqual(got.map((g) => g.p));
    expect(cleanAscii('Müller')).toBeUndefined(); // not ASCII: the matcher asks DuckDB's hn_clean
    expect(phonetic('ROBERT')).toBe('R163');
  });
});
