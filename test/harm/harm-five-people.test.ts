// The five-person case (test/harm/five-people.ts) scored by the SQL runner and by the pure reference,
// with every expected total worked out by hand below.

import { afterEach, describe, expect, it } from 'vitest';
import { freshContext } from '../helpers/context.ts';
import { memoryLog } from '../../pipelines/core/log.ts';
import type { StageContext } from '../../pipelines/core/context.ts';
import { scoreHarm } from '../../pipelines/harm/score-harm.ts';
import { buildEdges } from '../../pipelines/network/build-edges.ts';
import { nominalHarm } from '../../graph/harm/nominal-harm.ts';
import { onGrid } from '../../graph/harm/exact-sum.ts';
import { AS_OF, fivePeople } from './five-people.ts';
import { loadInputs } from './input-tables.ts';

// N2's ABH (C6) is 365 days old: decay d = (2/3)^(365/365.25) ≈ 0.666852; decayed harm is kept on a
// 2^-16 grid so sums are exact: 182.5 × d ≈ 121.7004, 100 × d ≈ 66.6852.
const d = Math.pow(2 / 3, 365 / 365.25);
const C6_CCHI = onGrid(182.5 * d, 16);
const C6_ONS = onGrid(100 * d, 16);

// Hand totals (headline = proven + 0.5 × alleged):
//   N1: C1 convicted 547.5 (proven) + C2 under investigation 182.5 (alleged, × 0.5 = 91.25);
//       C7 is 1827 days old, outside the 1826.25-day look-back → 0.
//       CCHI 547.5 + 91.25 = 638.75; ONS 500 + 0.5 × 100 = 550.                         band A
//   N2: C1 charged 547.5 (its NFA'd second identity on C1 is the same person: best outcome kept)
//       + C3 NFA 0 + C6 convicted 182.5 × d ≈ 121.7004. CCHI ≈ 669.2004; ONS 500 + 100 × d ≈ 566.6852. band A
//   N3: C4 cautioned common assault 10 (ONS weight missing: NULL, reported); victim on C1 adds 0.
//       CCHI 10; ONS 0 with 1 unweighted record.                                         band C
//   N4: victim on C1, witness on C5 only → not scored (NULL), on the safeguarding list, under 18.
//   N5: acquitted on C5 (0); intelligence, custody and PINS add nothing → scored 0, no band, no rank;
//       in custody (received 2026-07-01, not released), expected release 2026-12-01.
const EXPECTED = {
  N1: { harm_cchi: 638.75, harm_cchi_proven: 547.5, harm_cchi_alleged: 182.5, harm_ons: 550, harm_ons_proven: 500, harm_ons_alleged: 100, harm_band: 'A', harm_rank: 2 },
  N2: { harm_cchi: 547.5 + C6_CCHI, harm_cchi_proven: 547.5 + C6_CCHI, harm_cchi_alleged: 0, harm_ons: 500 + C6_ONS, harm_ons_proven: 500 + C6_ONS, harm_ons_alleged: 0, harm_band: 'A', harm_rank: 1 },
  N3: { harm_cchi: 10, harm_cchi_proven: 10, harm_cchi_alleged: 0, harm_ons: 0, harm_ons_proven: 0, harm_ons_alleged: 0, harm_band: 'C', harm_rank: 3 },
  N4: { harm_cchi: null, harm_cchi_proven: null, harm_cchi_alleged: null, harm_ons: null, harm_ons_proven: null, harm_ons_alleged: null, harm_band: null, harm_rank: null },
  N5: { harm_cchi: 0, harm_cchi_proven: 0, harm_cchi_alleged: 0, harm_ons: 0, harm_ons_proven: 0, harm_ons_alleged: 0, harm_band: null, harm_rank: null },
} as const;

let ctx: StageContext | undefined;
afterEach(() => ctx?.db.close());

async function scored() {
  ctx = await freshContext();
  await loadInputs(ctx.db, fivePeople());
  const summary = await scoreHarm(ctx, { asOf: AS_OF });
  const rows = await ctx.db.all('SELECT * FROM score.nominal_harm ORDER BY nominal_id');
  return { summary, rows: Object.fromEntries(rows.map((r) => [r.nominal_id as string, r])) };
}

describe('five-person case, SQL runner', () => {
  it('gives the hand-worked CCHI and ONS totals, bands and ranks', async () => {
    const { summary, rows } = await scored();
    expect(C6_CCHI).toBeCloseTo(121.7004, 4);
    expect(C6_ONS).toBeCloseTo(66.6852, 4);
    for (const [id, want] of Object.entries(EXPECTED)) {
      for (const [col, v] of Object.entries(want)) expect(rows[id]![col], `${id}.${col}`).toBe(v);
    }
    // headline = proven + 0.5 × alleged, exactly
    expect(rows.N1!.harm_cchi).toBe((rows.N1!.harm_cchi_proven as number) + 0.5 * (rows.N1!.harm_cchi_alleged as number));
    expect(summary).toEqual({ scored: 4, safeguardingOnly: 1, unweightedOffences: 1, historic: 0 });
  });

  it('never scores a victim/witness-only nominal and lists them for safeguarding, flagged as a child', async () => {
    const { rows } = await scored();
    expect(rows.N4).toMatchObject({ scored: false, safeguarding_only: true, under_18: true, age_years: 16, harm_cchi: null, harm_band: null, harm_rank: null });
    const sg = await ctx!.db.all('SELECT nominal_id, roles, under_18, records FROM score.safeguarding');
    expect(sg).toEqual([{ nominal_id: 'N4', roles: ['VICTIM', 'WITNESS'], under_18: true, records: 2 }]);
    const expl = await ctx!.db.value<number>(`SELECT count(*) FROM score.harm_explanation WHERE nominal_id = 'N4'`);
    expect(expl).toBe(0);
  });

  it('takes custody status and release dates from PINS', async () => {
    const { rows } = await scored();
    expect(rows.N5).toMatchObject({ in_custody: true, expected_release_date: '2026-12-01', licence_end_date: '2027-06-01', last_release_date: null });
    expect(rows.N1).toMatchObject({ in_custody: false, expected_release_date: null });
  });

  it('explains every score with one row per record whose contributions sum exactly to it', async () => {
    await scored();
    const expl = await ctx!.db.all<{ nominal_id: string; record_ref: string; outcome_class: string; contribution_cchi: number | null; contribution_ons: number | null; decay_factor: number; outcome_factor: number }>(
      'SELECT * FROM score.harm_explanation ORDER BY nominal_id, record_ref',
    );
    expect(expl.map((e) => `${e.nominal_id}:${e.record_ref}:${e.outcome_class}`)).toEqual([
      'N1:C1:proven', 'N1:C2:alleged', 'N2:C1:proven', 'N2:C3:zero', 'N2:C6:proven', 'N3:C4:proven', 'N5:C5:zero',
    ]);
    const harm = await ctx!.db.all<{ nominal_id: string; harm_cchi: number; harm_ons: number }>('SELECT * FROM score.nominal_harm WHERE scored');
    for (const h of harm) {
      const mine = expl.filter((e) => e.nominal_id === h.nominal_id);
      // summed in reverse order on purpose: the 2^-20 grid makes the sum order-free, to the last bit
      expect(mine.reverse().reduce((s, e) => s + (e.contribution_cchi ?? 0), 0)).toBe(h.harm_cchi);
      expect(mine.reduce((s, e) => s + (e.contribution_ons ?? 0), 0)).toBe(h.harm_ons);
    }
    const n3 = expl.find((e) => e.nominal_id === 'N3')!;
    expect(n3.contribution_ons).toBeNull(); // missing weight is NULL, never 0
    const unweighted = await ctx!.db.all('SELECT measure, offence_code, records, nominals FROM score.unweighted_offence');
    expect(unweighted).toEqual([{ measure: 'ons', offence_code: '105/01', records: 1, nominals: 1 }]);
  });

  it('reports unweighted offence codes in the run log, naming the code, not the person', async () => {
    const log = memoryLog();
    ctx = await freshContext({ log });
    await loadInputs(ctx.db, fivePeople());
    await scoreHarm(ctx, { asOf: AS_OF });
    expect(log.lines.filter((l) => l.startsWith('warning:'))).toEqual([
      'warning: harm: 1 offence code(s) have no weight and contribute nothing to that measure (listed in score.unweighted_offence): ons:105/01×1',
    ]);
    expect(log.lines.join('\n')).not.toMatch(/N[1-5]|c-\d/);
  });

  it('NFA adds nothing: removing the NFA record leaves N2 unchanged', async () => {
    const { rows } = await scored();
    const data = fivePeople();
    data.involvements = data.involvements.filter((r) => r.record_ref !== 'C3');
    const again = await freshContext();
    await loadInputs(again.db, data);
    await scoreHarm(again, { asOf: AS_OF });
    expect(await again.db.value(`SELECT harm_cchi FROM score.nominal_harm WHERE nominal_id = 'N2'`)).toBe(rows.N2!.harm_cchi);
    again.db.close();
  });

  it("a person's score uses only their own records: a high-harm associate does not change it", async () => {
    const { rows } = await scored();
    const data = fivePeople();
    data.nominals.push({ nominal_id: 'N6', date_of_birth: '1980-01-01' });
    data.nominalSources.push({ nominal_id: 'N6', source: 'crime', person_ref: 'c-6', identity_id: 'c-6', match_probability: 1 });
    for (const ref of ['C8', 'C9', 'C10']) {
      data.involvements.push({ source: 'crime', record_ref: ref, group_ref: ref, identity_id: 'c-6', person_ref: 'c-6', role: 'OFFENDER', outcome: 'CONVICTED', record_date: AS_OF, offence_code: '092/30', offence_ref: null, topic: null, under_18: false });
    }
    // N6 co-offends with N1 on C8, harms N3 on C9, and shares an intelligence report with N5.
    data.involvements.push({ source: 'crime', record_ref: 'C8', group_ref: 'C8', identity_id: 'c-1', person_ref: 'c-1', role: 'SUSPECT', outcome: 'NFA', record_date: AS_OF, offence_code: '092/30', offence_ref: null, topic: null, under_18: false });
    data.involvements.push({ source: 'crime', record_ref: 'C9', group_ref: 'C9', identity_id: 'c-3', person_ref: 'c-3', role: 'VICTIM', outcome: 'NONE', record_date: AS_OF, offence_code: '092/30', offence_ref: null, topic: null, under_18: false });
    data.nominalSources.push({ nominal_id: 'N6', source: 'intel', person_ref: 'i-6', identity_id: 'i-6', match_probability: 1 });
    data.involvements.push({ source: 'intel', record_ref: 'I9', group_ref: 'I9', identity_id: 'i-6', person_ref: 'i-6', role: 'SUBJECT', outcome: null, record_date: AS_OF, offence_code: null, offence_ref: null, topic: 'OCG', under_18: false });
    data.involvements.push({ source: 'intel', record_ref: 'I9', group_ref: 'I9', identity_id: 'i-5', person_ref: 'i-5', role: 'ASSOCIATE', outcome: null, record_date: AS_OF, offence_code: null, offence_ref: null, topic: 'OCG', under_18: false });
    const again = await freshContext();
    await loadInputs(again.db, data);
    await buildEdges(again, { asOf: AS_OF });
    expect(await again.db.value(`SELECT count(*) FROM graph.edge WHERE 'N6' IN (nominal_a, nominal_b)`)).toBe(3);
    await scoreHarm(again, { asOf: AS_OF });
    const after = Object.fromEntries((await again.db.all('SELECT nominal_id, harm_cchi, harm_ons FROM score.nominal_harm')).map((r) => [r.nominal_id, r]));
    // N1 gains an NFA'd record (adds 0); nobody's score moves because of N6.
    for (const id of ['N1', 'N2', 'N3', 'N5']) {
      expect(after[id]).toEqual({ nominal_id: id, harm_cchi: rows[id]!.harm_cchi, harm_ons: rows[id]!.harm_ons });
    }
    expect(after.N6!.harm_cchi).toBe(3 * 547.5);
    again.db.close();
  });
});

describe('five-person case, pure reference', () => {
  it('agrees with the hand totals', () => {
    const h = nominalHarm(fivePeople(), { asOf: AS_OF, lookbackYears: 5, decayPerYear: 2 / 3, allegedWeight: 0.5, bands: { A: 365, B: 60, C: 10 } });
    const byId = Object.fromEntries(h.nominals.map((n) => [n.nominal_id, n]));
    for (const [id, want] of Object.entries(EXPECTED)) expect(byId[id], id).toMatchObject(want);
    expect(h.safeguarding.map((s) => s.nominal_id)).toEqual(['N4']);
    expect(h.unweighted).toEqual([{ measure: 'ons', offence_code: '105/01', offence_ref: null, records: 1, nominals: 1 }]);
  });
});
