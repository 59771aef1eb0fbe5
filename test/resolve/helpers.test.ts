import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { yardstickTerm, YARDSTICK } from '../../pipelines/resolve/yardstick.ts';
import { normalisePnc, pncCheckLetter } from '../../pipelines/resolve/pnc.ts';
import { estimateM, trainM, estimateU, estimateLambda, mFromLabelledPairs, INITIAL_M, probabilityFromWeight, type Pattern, type Probabilities } from '../../pipelines/resolve/fellegi-sunter.ts';
import { dobLevel, splitChains } from '../../pipelines/resolve/split-chains.ts';
import { prepare } from '../../pipelines/resolve/resolve.ts';
import { freshContext } from '../helpers/context.ts';
import { rng } from './fixture.ts';

describe('yardstickTerm', () => {
  it('uses the published ranges of the PHIA yardstick file', () => {
    const csv = readFileSync('data-fixtures/reference/phia_probability_yardstick_2025.csv', 'utf8').trim().split('\n').slice(1);
    const published = csv.map((l) => l.split(',')).map((c) => ({ term: c[1], lowerPct: Number(c[4]), upperPct: Number(c[5]) }));
    expect(YARDSTICK).toEqual(published);
  });
  it('names points inside ranges', () => {
    expect(yardstickTerm(0.97)).toBe('Almost Certain');
    expect(yardstickTerm(1)).toBe('Almost Certain');
    expect(yardstickTerm(0.85)).toBe('Highly Likely');
    expect(yardstickTerm(0.6)).toBe('Likely or Probable');
    expect(yardstickTerm(0.45)).toBe('Realistic Possibility');
    expect(yardstickTerm(0.3)).toBe('Unlikely');
    expect(yardstickTerm(0.15)).toBe('Highly Unlikely');
    expect(yardstickTerm(0)).toBe('Remote Chance');
  });
  it('gives a gap the term below it (never overstates)', () => {
    expect(yardstickTerm(0.93)).toBe('Highly Likely');
    expect(yardstickTerm(0.5)).toBe('Realistic Possibility');
    expect(yardstickTerm(0.07)).toBe('Remote Chance');
    expect(yardstickTerm(0.95)).toBe('Almost Certain');
  });
  it('rejects a non-probability', () => {
    expect(() => yardstickTerm(1.2)).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
    expect(() => yardstickTerm(Number.NaN)).toThrow(/probability/);
  });
});

describe('normalisePnc', () => {
  it('computes the check letter: (yy ++ serial) mod 23 into ZABCDEFGHJKLMNPQRTUVWXY', () => {
    // 030457812 mod 23 = 16 → 'R' (Z=0, A=1, … H=8, J=9, … P=14, Q=15, R=16)
    expect(30457812 % 23).toBe(16);
    expect(pncCheckLetter('2003', '0457812')).toBe('R');
  });
  it('normalises spacing, case and a short serial; flags bad ones', () => {
    expect(normalisePnc(' 2003/457812r ')).toEqual({ norm: '2003/0457812R', invalid: false });
    expect(normalisePnc('2003 0457812 R')).toEqual({ norm: '2003/0457812R', invalid: false });
    expect(normalisePnc('2003/0457812K')).toEqual({ norm: null, invalid: true });
    expect(normalisePnc('03/457812R')).toEqual({ norm: null, invalid: true });
    expect(normalisePnc('')).toEqual({ norm: null, invalid: false });
    expect(normalisePnc(null)).toEqual({ norm: null, invalid: false });
  });
});

describe('Fellegi–Sunter EM', () => {
  // Two fields, known truth: 30 % matches; m(agree) = 0.9, u(agree) = 0.1 for both fields.
  const truth = { m: 0.9, u: 0.1, lambda: 0.3 };
  const patterns: Pattern[] = [];
  for (const s of ['exact', 'else'])
    for (const d of ['exact', 'else']) {
      const pm = (s === 'exact' ? truth.m : 1 - truth.m) * (d === 'exact' ? truth.m : 1 - truth.m);
      const pu = (s === 'exact' ? truth.u : 1 - truth.u) * (d === 'exact' ? truth.u : 1 - truth.u);
      patterns.push({ levels: { surname: s, forename: 'null', dob: d, sex: 'null', pnc: 'null' }, count: Math.round(100000 * (truth.lambda * pm + (1 - truth.lambda) * pu)) });
    }
  const u: Probabilities = estimateU([
    { field: 'surname', level: 'exact', n: 10 }, { field: 'surname', level: 'else', n: 90 },
    { field: 'dob', level: 'exact', n: 10 }, { field: 'dob', level: 'else', n: 90 },
  ]);
  it('recovers m and λ of a two-class mixture, deterministically', () => {
    const r = estimateM(patterns, u, { fixU: true });
    expect(r.converged).toBe(true);
    expect(r.m.surname.exact).toBeCloseTo(0.9, 2);
    expect(r.m.dob.exact).toBeCloseTo(0.9, 2);
    expect(r.lambda).toBeCloseTo(0.3, 2);
    expect(estimateM(patterns, u, { fixU: true })).toEqual(r);
  });
  it('a training session ignores its fixed field and estimates the others', () => {
    // Three fields (surname, forename, dob) with the same m/u; the session fixes dob, so EM sees two.
    const three: Pattern[] = [];
    for (const sn of ['exact', 'else'])
      for (const fn of ['exact', 'else'])
        for (const d of ['exact', 'else']) {
          const f = (l: string, p: number) => (l === 'exact' ? p : 1 - p);
          const pm = f(sn, 0.9) * f(fn, 0.9) * f(d, 0.9);
          const pu = f(sn, 0.1) * f(fn, 0.1) * f(d, 0.1);
          three.push({ levels: { surname: sn, forename: fn, dob: d, sex: 'null', pnc: 'null' }, count: Math.round(100000 * (0.3 * pm + 0.7 * pu)) });
        }
    const u3 = { ...u, forename: { ...u.forename, exact: 0.1, else: 0.9 } };
    const r = trainM([{ name: 'dob', fixed: ['dob'], patterns: three }], u3);
    expect(r.sessions.map((x) => x.name)).toEqual(['dob']);
    expect(r.m.surname.exact).toBeCloseTo(0.9, 1);
    expect(r.m.forename.exact).toBeCloseTo(0.9, 1);
    expect(r.m.dob).toEqual(INITIAL_M.dob); // not estimated by this session
  });
  it('estimateLambda recovers the share of matches with m and u known', () => {
    const m = estimateM(patterns, u, { fixU: true }).m;
    expect(estimateLambda(patterns, m, u)).toBeCloseTo(0.3, 2);
  });
  it('mFromLabelledPairs: level frequencies among known matches, smoothed; none below the minimum', () => {
    const labelled: Pattern[] = [
      { levels: { surname: 'exact', forename: 'exact', dob: 'exact', sex: 'exact', pnc: 'null' }, count: 90 },
      { levels: { surname: 'jw94', forename: 'nickname', dob: 'null', sex: 'exact', pnc: 'null' }, count: 10 },
    ];
    const m = mFromLabelledPairs(labelled, 50)!;
    expect(m.surname!.exact).toBeCloseTo(91 / 105, 12); // (90 + 1) / (100 + 5 levels)
    expect(m.dob!.exact).toBeCloseTo(91 / 94, 12); // 90 known DOB pairs, 4 levels
    expect(m.surname!.else).toBeCloseTo(1 / 105, 12);
    expect(mFromLabelledPairs(labelled, 101)).toBeUndefined();
  });
  it('estimateU smooths: an unseen level is never 0', () => {
    expect(u.surname.exact).toBeCloseTo(11 / 105, 10); // (10 + 1) / (100 + 5 non-null levels)
    expect(u.surname.part).toBeCloseTo(1 / 105, 10);
  });
  it('weight → probability', () => {
    expect(probabilityFromWeight(0)).toBe(0.5);
    expect(probabilityFromWeight(Math.log2(19))).toBeCloseTo(0.95, 12);
  });
});

describe('chaining guard (splitChains)', () => {
  it('splits A–B–C where A and C carry different PNC ids, on the weaker link', () => {
    const nodes = [
      { id: 1, pncs: ['2001/0000001A'], dobs: ['1990-01-01'] },
      { id: 2, pncs: [], dobs: ['1990-01-01'] },
      { id: 3, pncs: ['2002/0000002B'], dobs: ['1990-01-01'] },
    ];
    const r = splitChains(nodes, [
      { a: 1, b: 2, probability: 0.99, kind: 'model' },
      { a: 2, b: 3, probability: 0.96, kind: 'model' },
    ]);
    expect([...r.label.entries()]).toEqual([[1, 1], [2, 1], [3, 3]]);
    expect(r.refused).toBe(1);
  });
  it('refuses clearly different DOBs but tolerates transposed ones', () => {
    const nodes = [
      { id: 1, pncs: [], dobs: ['1990-03-04'] },
      { id: 2, pncs: [], dobs: ['1990-04-03'] },
      { id: 3, pncs: [], dobs: ['1975-11-20'] },
    ];
    const r = splitChains(nodes, [
      { a: 1, b: 2, probability: 0.97, kind: 'model' },
      { a: 2, b: 3, probability: 0.98, kind: 'model' },
    ]);
    // 2–3 (stronger) is refused: no DOB of {2} is compatible with 1975-11-20; 1–2 (transposed) joins.
    expect([...r.label.entries()]).toEqual([[1, 1], [2, 1], [3, 3]]);
    expect(r.refused).toBe(1);
  });
  it('obeys NOT_SAME and forces SAME decisions', () => {
    const nodes = [1, 2, 3].map((id) => ({ id, pncs: [], dobs: [] }));
    const r = splitChains(nodes, [
      { a: 1, b: 2, probability: 0.99, kind: 'model' },
      { a: 2, b: 3, probability: 0.99, kind: 'model' },
    ], [[1, 3]]);
    expect(new Set(r.label.values()).size).toBe(2);
    const s = splitChains(nodes, [{ a: 1, b: 3, probability: 1, kind: 'decision' }]);
    expect(s.label.get(3)).toBe(1);
  });
});

describe('dobLevel agrees with the SQL macro hn_dob_level', () => {
  it('tolerates keying slips in the year, not a different generation', () => {
    expect(dobLevel('1987-05-06', '1988-05-06')).toBe('one_part');
    expect(dobLevel('1990-05-06', '1989-05-06')).toBe('one_part');
    expect(dobLevel('1978-05-06', '1987-05-06')).toBe('one_part');
    expect(dobLevel('1972-08-06', '2014-08-06')).toBe('else');
    expect(dobLevel('1972-08-06', '1972-08-07')).toBe('one_part');
    expect(dobLevel('1972-08-06', '1972-06-08')).toBe('transposed');
    expect(dobLevel('1972-08-06', '1973-09-06')).toBe('else');
  });
  it('on 120 random date pairs', async () => {
    const ctx = await freshContext();
    await prepare(ctx);
    const r = rng(11);
    const date = () => `${[1950, 1951, 1949, 1959, 1905, 1995][Math.floor(r() * 6)]}-${String(1 + Math.floor(r() * 3)).padStart(2, '0')}-${String(1 + Math.floor(r() * 3)).padStart(2, '0')}`;
    for (let i = 0; i < 120; i++) {
      const a = date();
      const b = r() < 0.1 ? null : date();
      const sql = await ctx.db.value<string>('SELECT hn_dob_level(CAST($a AS DATE), CAST($b AS DATE))', { a, b });
      expect(sql, `${a} vs ${b}`).toBe(dobLevel(a, b));
    }
    ctx.db.close();
  });
});
