// Unit tests of the harm rules: decay, look-back, outcomes, bands, exact sums, ages — and that scoring
// never reads ethnicity.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ageInDays, ageInYears, recencyDecay, withinLookback } from '../../graph/harm/recency-decay.ts';
import { outcomeClass, outcomeFactor } from '../../graph/harm/outcome-factor.ts';
import { harmBand } from '../../graph/harm/harm-band.ts';
import { exactSum, onGrid } from '../../graph/harm/exact-sum.ts';
import { nominalHarm } from '../../graph/harm/nominal-harm.ts';
import { edgeDecay } from '../../graph/edges/edge-decay.ts';
import { freshContext } from '../helpers/context.ts';
import { scoreHarm } from '../../pipelines/harm/score-harm.ts';
import { buildEdges } from '../../pipelines/network/build-edges.ts';
import { isHarmnetError } from '../../pipelines/core/errors.ts';
import { AS_OF, fivePeople } from './five-people.ts';
import { inv, loadInputs, ns } from './input-tables.ts';

const OPTS = { asOf: AS_OF, lookbackYears: 5, decayPerYear: 2 / 3, allegedWeight: 0.5, bands: { A: 365, B: 60, C: 10 } };

describe('recency decay', () => {
  it('keeps exactly 2/3 after 12 months (365.25 days) and 1 at age 0', () => {
    expect(recencyDecay(365.25, 2 / 3)).toBe(2 / 3);
    expect(recencyDecay(0, 2 / 3)).toBe(1);
    expect(recencyDecay(730.5, 2 / 3)).toBeCloseTo(4 / 9, 15);
    // a calendar year of 365 days is slightly newer than 12 months, 366 slightly older
    expect(recencyDecay(365, 2 / 3)).toBeGreaterThan(2 / 3);
    expect(recencyDecay(366, 2 / 3)).toBeLessThan(2 / 3);
  });

  it('measures age in whole days as at the as-of, never negative', () => {
    expect(ageInDays('2026-11-16', '2025-11-16')).toBe(365);
    expect(ageInDays('2026-11-16', '2021-11-16')).toBe(1826); // 2024 is a leap year
    expect(ageInDays('2026-11-16', '2026-11-20')).toBe(0);
  });

  it('look-back of 5 years is age ≤ 1826.25 days', () => {
    expect(withinLookback(1826, 5)).toBe(true);
    expect(withinLookback(1827, 5)).toBe(false);
  });

  it('edge evidence halves every 12 months', () => {
    expect(edgeDecay(365.25, 12)).toBe(0.5);
    expect(edgeDecay(730.5, 12)).toBe(0.25);
    expect(edgeDecay(365.25, 6)).toBe(0.25);
  });

  it('ages in whole years, birthday not yet reached counts one less', () => {
    expect(ageInYears('2026-11-16', '2008-11-16')).toBe(18);
    expect(ageInYears('2026-11-16', '2008-11-17')).toBe(17);
    expect(ageInYears('2026-02-28', '2008-02-29')).toBe(17);
  });
});

describe('outcomes and bands', () => {
  it('classes outcomes: proven, alleged (incl. open suspect), zero', () => {
    expect(['CONVICTED', 'CHARGED', 'CAUTIONED'].map(outcomeClass)).toEqual(['proven', 'proven', 'proven']);
    expect(['UNDER_INVESTIGATION', 'NONE', null].map(outcomeClass)).toEqual(['alleged', 'alleged', 'alleged']);
    expect(['NFA', 'ACQUITTED'].map(outcomeClass)).toEqual(['zero', 'zero']);
    expect(() => outcomeClass('GUILTY')).toThrow(/unknown person outcome "GUILTY"/);
    expect([outcomeFactor('proven', 0.5), outcomeFactor('alleged', 0.5), outcomeFactor('zero', 0.5)]).toEqual([1, 0.5, 0]);
  });

  it('bands on headline CCHI: A ≥ 365, B ≥ 60, C ≥ 10, D > 0, none at 0 or unscored', () => {
    const b = { A: 365, B: 60, C: 10 };
    expect([365, 364.9, 60, 10, 9.99, 0.001, 0, null].map((v) => harmBand(v, b))).toEqual(['A', 'B', 'B', 'C', 'D', 'D', null, null]);
  });

  it('grid values sum exactly in any order', () => {
    const xs = [0.1, 0.2, 0.3, 1e5 / 3, 547.5 * (2 / 3) ** 1.7, 7973.39 * 0.123].map((x) => onGrid(x, 20));
    expect(exactSum(xs)).toBe(exactSum([...xs].reverse()));
    expect(exactSum(xs)).toBe(exactSum([xs[3]!, xs[0]!, xs[5]!, xs[1]!, xs[4]!, xs[2]!]));
  });
});

describe('nominal harm rules (pure)', () => {
  it('counts a record exactly at the look-back edge and drops one a day older', () => {
    const data = {
      nominals: [{ nominal_id: 'A', date_of_birth: null }],
      nominalSources: [ns('A', 'a')],
      offences: [{ offence_code: '105/01', offence_ref: null, cchi_days: 10, cchi_rule: 'single', classification_code: '105A', ons_weight: 2, ons_status: 'found' as const }],
      pins: [],
      involvements: [
        inv({ record_ref: 'X1', identity_id: 'a', role: 'OFFENDER', outcome: 'CONVICTED', record_date: '2021-11-16', offence_code: '105/01' }),
        inv({ record_ref: 'X2', identity_id: 'a', role: 'OFFENDER', outcome: 'CONVICTED', record_date: '2021-11-15', offence_code: '105/01' }),
      ],
    };
    const h = nominalHarm(data, OPTS);
    expect(h.explanations.map((e) => e.record_ref)).toEqual(['X1']);
    expect(h.nominals[0]!.harm_cchi).toBe(onGrid(10 * (2 / 3) ** (1826 / 365.25), 16));
  });

  it('marks a nominal with no record in the look-back historic, with no rank', () => {
    const data = {
      nominals: [{ nominal_id: 'A', date_of_birth: '1970-01-01' }],
      nominalSources: [ns('A', 'a')],
      offences: [],
      pins: [],
      involvements: [inv({ record_ref: 'X1', identity_id: 'a', role: 'OFFENDER', outcome: 'CONVICTED', record_date: '2019-01-01', offence_code: '105/01' })],
    };
    const [n] = nominalHarm(data, OPTS).nominals;
    expect(n).toMatchObject({ scored: true, historic: true, harm_cchi: 0, harm_rank: null, harm_band: null });
  });

  it('an offence missing from the offence table is unweighted on both measures, never 0', () => {
    const data = {
      nominals: [{ nominal_id: 'A', date_of_birth: null }],
      nominalSources: [ns('A', 'a')],
      offences: [],
      pins: [],
      involvements: [inv({ record_ref: 'X1', identity_id: 'a', role: 'OFFENDER', outcome: 'CONVICTED', record_date: AS_OF, offence_code: '999/99' })],
    };
    const h = nominalHarm(data, OPTS);
    expect(h.explanations[0]).toMatchObject({ contribution_cchi: null, contribution_ons: null });
    expect(h.nominals[0]).toMatchObject({ harm_cchi: 0, unweighted_cchi_records: 1, unweighted_ons_records: 1 });
    expect(h.unweighted.map((u) => `${u.measure}:${u.offence_code}`)).toEqual(['cchi:999/99', 'ons:999/99']);
  });
});

describe('inputs scoring never reads', () => {
  it('runs with curated.identity (the only table holding ethnicity) made unreadable', async () => {
    const ctx = await freshContext();
    await loadInputs(ctx.db, fivePeople());
    await ctx.db.run('DROP TABLE curated.identity');
    await ctx.db.run(`CREATE VIEW curated.identity AS SELECT error('ethnicity must never be read by harm or network') AS ethnicity`);
    await expect(ctx.db.all('SELECT * FROM curated.identity')).rejects.toThrow(/never be read/);
    await buildEdges(ctx, { asOf: AS_OF });
    const s = await scoreHarm(ctx, { asOf: AS_OF });
    expect(s.scored).toBe(4);
    ctx.db.close();
  });

  it('no harm or network source file names ethnicity', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    for (const dir of ['graph/harm', 'graph/edges', 'pipelines/harm', 'pipelines/network']) {
      for (const f of readdirSync(path.join(root, dir))) {
        // code only: comments may say that ethnicity is not read
        const code = readFileSync(path.join(root, dir, f), 'utf8').split('\n').filter((l) => !/^\s*(\/\/|--|\/?\*)/.test(l)).join('\n');
        expect(code.toLowerCase(), `${dir}/${f}`).not.toContain('ethnicity');
      }
    }
  });

  it('refuses an unknown outcome with a clear error', async () => {
    const ctx = await freshContext();
    const data = fivePeople();
    data.involvements.push(inv({ record_ref: 'C99', identity_id: 'c-1', role: 'SUSPECT', outcome: 'GUILTY' }));
    await loadInputs(ctx.db, data);
    const err = await scoreHarm(ctx, { asOf: AS_OF }).catch((e: unknown) => e);
    expect(isHarmnetError(err, 'INPUT_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(/unknown person outcome "GUILTY" \(1 rows\)/);
    ctx.db.close();
  });

  it('names missing input tables', async () => {
    const ctx = await freshContext();
    const err = await scoreHarm(ctx, { asOf: AS_OF }).catch((e: unknown) => e);
    expect(isHarmnetError(err, 'INPUT_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(/harm needs tables curated\.involvement, curated\.offence/);
    ctx.db.close();
  });
});
