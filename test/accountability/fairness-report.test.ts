// Fairness report on a hand-built warehouse of 8 nominals: every share, ratio and flag worked by hand.

import { afterEach, describe, expect, it } from 'vitest';
import { freshContext } from '../helpers/context.ts';
import type { StageContext } from '../../pipelines/core/context.ts';
import { fairnessReport, fairnessSnapshotTables } from '../../pipelines/accountability/fairness-report.ts';
import { ageGroup } from '../../graph/fairness/fairness-disparity.ts';

let ctx: StageContext;
afterEach(() => ctx?.db.close());

/**
 * N1 identities B1,B1,W1 → B1 (mode)      sex M  dob 2009-11-17 (16 at 2026-11-16 → under 18)  band A  pagerank rank 3  network
 * N2 identities A1,B1    → A1 (tie → alphabetical)  M  dob 2008-11-16 (18 today → 18-24)        —       rank 1   network
 * N3 W1  M  1990-01-01 (36 → 35-44)  band A  network
 * N4 W1  M  no dob  band D
 * N5 W1  F  band D
 * N6 (no ethnicity recorded) → NS   F   rank 2
 * N7 B1  F  band A
 * N8 W1  sex NULL → U
 * Baseline ethnicity: A1 1/8, B1 2/8, NS 1/8, W1 4/8.
 */
async function handBuilt(c: StageContext) {
  const { db } = c;
  await db.run(`CREATE SCHEMA person; CREATE SCHEMA curated; CREATE SCHEMA score; CREATE SCHEMA analysis;
    CREATE TABLE person.nominal (nominal_id VARCHAR, display_name VARCHAR, date_of_birth DATE, sex VARCHAR, pnc_id VARCHAR);
    CREATE TABLE person.nominal_sources (nominal_id VARCHAR, source VARCHAR, person_ref VARCHAR, identity_id VARCHAR, match_probability DOUBLE);
    CREATE TABLE curated.identity (identity_id VARCHAR, ethnicity VARCHAR);
    CREATE TABLE score.nominal_harm (nominal_id VARCHAR, harm_band VARCHAR);
    CREATE TABLE analysis.network_member (network_id VARCHAR, nominal_id VARCHAR);
    CREATE TABLE analysis.centrality (nominal_id VARCHAR, pagerank_rank INTEGER);`);
  await db.run(`INSERT INTO person.nominal VALUES
    ('N1','x','2009-11-17','M',NULL), ('N2','x','2008-11-16','M',NULL), ('N3','x','1990-01-01','M',NULL), ('N4','x',NULL,'M',NULL),
    ('N5','x',NULL,'F',NULL), ('N6','x',NULL,'F',NULL), ('N7','x',NULL,'F',NULL), ('N8','x',NULL,NULL,NULL)`);
  await db.run(`INSERT INTO person.nominal_sources VALUES
    ('N1','crime','p1','i1',1), ('N1','custody','p2','i2',1), ('N1','intel','p3','i3',1),
    ('N2','crime','p4','i4',1), ('N2','custody','p5','i5',1),
    ('N3','crime','p6','i6',1), ('N4','crime','p7','i7',1), ('N5','crime','p8','i8',1),
    ('N6','crime','p9','i9',1), ('N7','crime','p10','i10',1), ('N8','crime','p11','i11',1)`);
  await db.run(`INSERT INTO curated.identity VALUES
    ('i1','B1'), ('i2','B1'), ('i3','W1'), ('i4','B1'), ('i5','A1'), ('i6','W1'), ('i7','W1'), ('i8','W1'),
    ('i9',NULL), ('i10','B1'), ('i11','W1')`);
  await db.run(`INSERT INTO score.nominal_harm VALUES ('N1','A'), ('N3','A'), ('N7','A'), ('N4','D'), ('N5','D'), ('N2',NULL)`);
  await db.run(`INSERT INTO analysis.network_member VALUES ('NW1','N1'), ('NW1','N2'), ('NW1','N3')`);
  await db.run(`INSERT INTO analysis.centrality VALUES ('N1',3), ('N2',1), ('N6',2), ('N3',4)`);
}

async function setup(overrides: Partial<StageContext['config']['fairness']> = {}) {
  const base = await freshContext();
  ctx = { ...base, config: { ...base.config, fairness: { ...base.config.fairness, minCellSize: 2, topN: 2, ...overrides } } };
  await handBuilt(ctx);
}

const row = (attribute: string, band: string, group: string) =>
  ctx.db.one<Record<string, unknown>>(
    `SELECT count, share, baseline_share, population_share, disparity_ratio, population_ratio, flagged FROM analysis.fairness
     WHERE attribute = $attribute AND harm_band = $band AND "group" = $group`,
    { attribute, band, group },
  );

describe('fairnessReport', () => {
  it('computes shares, ratios and flags on the hand-built case', async () => {
    await setup();
    const r = await fairnessReport(ctx, { asOf: '2026-11-16' });
    // band A = {N1 B1, N3 W1, N7 B1}: B1 2/3 against 2/8 → ratio (2/3)/(1/4) = 8/3 > 1.25, count 2 ≥ 2 → flagged
    expect(await row('ethnicity', 'A', 'B1')).toMatchObject({ count: 2, share: 2 / 3, baseline_share: 0.25, flagged: true });
    expect((await row('ethnicity', 'A', 'B1'))!.disparity_ratio).toBeCloseTo(8 / 3, 12);
    // W1 1/3 against 4/8 → 2/3, not flagged; A1 absent from band A → count 0, ratio 0
    expect((await row('ethnicity', 'A', 'W1'))!.disparity_ratio).toBeCloseTo(2 / 3, 12);
    expect(await row('ethnicity', 'A', 'A1')).toMatchObject({ count: 0, share: 0, disparity_ratio: 0, flagged: false });
    // top2_pagerank = {N2 A1 (tie A1/B1 → A1), N6 NS}: A1 1/2 against 1/8 → ratio 4, but count 1 < min cell 2 → not flagged
    expect(await row('ethnicity', 'top2_pagerank', 'A1')).toMatchObject({ count: 1, share: 0.5, baseline_share: 0.125, disparity_ratio: 4, flagged: false });
    expect(await row('ethnicity', 'top2_pagerank', 'NS')).toMatchObject({ count: 1, disparity_ratio: 4 });
    // band D = {N4 W1, N5 W1}: W1 2/2 against 1/2 → 2, flagged
    expect(await row('ethnicity', 'D', 'W1')).toMatchObject({ count: 2, share: 1, disparity_ratio: 2, flagged: true });
    // network_member = {N1, N2, N3}: sex M 3/3 against 4/8 → 2, flagged; NULL sex kept as U in the baseline
    expect(await row('sex', 'network_member', 'M')).toMatchObject({ count: 3, share: 1, baseline_share: 0.5, disparity_ratio: 2, flagged: true });
    expect(await row('sex', 'all', 'U')).toMatchObject({ count: 1, share: 0.125, disparity_ratio: 1, flagged: false });
    // age at 2026-11-16: N1 is 16 (birthday tomorrow), N2 turns 18 today, N3 is 36
    expect(await row('age_group', 'network_member', 'under 18')).toMatchObject({ count: 1 });
    expect(await row('age_group', 'network_member', '18-24')).toMatchObject({ count: 1 });
    expect(await row('age_group', 'network_member', '35-44')).toMatchObject({ count: 1 });
    expect(await row('age_group', 'all', 'unknown')).toMatchObject({ count: 5, share: 5 / 8 });
    // no population baseline configured → NULL
    expect(await row('ethnicity', 'A', 'W1')).toMatchObject({ population_share: null, population_ratio: null });
    // cohorts: all, A, D, network_member, top2_pagerank; groups per attribute: ethnicity 4, sex 3, age 4
    expect(r.rows).toBe(5 * (4 + 3 + 4));
    const flagged = await ctx.db.all(`SELECT attribute, harm_band, "group" FROM analysis.fairness WHERE flagged ORDER BY ALL`);
    expect(flagged).toEqual([
      { attribute: 'age_group', harm_band: 'D', group: 'unknown' }, // N4, N5 no dob: 2/2 against 5/8 → 1.6
      { attribute: 'ethnicity', harm_band: 'A', group: 'B1' }, // 8/3
      { attribute: 'ethnicity', harm_band: 'D', group: 'W1' }, // 2
      { attribute: 'sex', harm_band: 'A', group: 'M' }, // N1, N3 of 3 → (2/3)/(4/8) = 4/3 > 1.25
      { attribute: 'sex', harm_band: 'network_member', group: 'M' }, // 2
    ]);
    expect(r.flagged).toBe(flagged.length);
  });

  it('threshold, minimum cell size and population baseline come from config', async () => {
    await setup({ disparityThreshold: 3, minCellSize: 1, populationBaseline: { source: 'test', shares: { ethnicity: { W1: 0.5 } } } });
    await fairnessReport(ctx, { asOf: '2026-11-16' });
    // threshold 3: 8/3 no longer passes; min cell 1: top2 A1 ratio 4 now flagged
    expect(await row('ethnicity', 'A', 'B1')).toMatchObject({ flagged: false });
    expect(await row('ethnicity', 'top2_pagerank', 'A1')).toMatchObject({ flagged: true });
    // W1 in band A 1/3 against a population share of 1/2 → 2/3
    const w1 = await row('ethnicity', 'A', 'W1');
    expect(w1!.population_share).toBe(0.5);
    expect(w1!.population_ratio).toBeCloseTo(2 / 3, 12);
  });

  it('keeps a history per week and the snapshot trend stops at the week built', async () => {
    await setup();
    await fairnessReport(ctx, { asOf: '2026-11-09' });
    await fairnessReport(ctx, { asOf: '2026-11-16' });
    await fairnessReport(ctx, { asOf: '2026-11-09' }); // a re-run of an earlier week replaces that week only
    const weeks = await ctx.db.all(`SELECT as_of::VARCHAR AS as_of, count(*)::INTEGER AS n FROM analysis.fairness_history GROUP BY 1 ORDER BY 1`);
    // on 2026-11-09 N2 is still 17: age groups under 18, 35-44, unknown → 5 cohorts × (4 + 3 + 3) = 50 rows
    expect(weeks).toEqual([{ as_of: '2026-11-09', n: 50 }, { as_of: '2026-11-16', n: 55 }]);
    const history = fairnessSnapshotTables().find((t) => t.name === 'fairness_history')!;
    const n = await ctx.db.value<number>(`SELECT count(*)::INTEGER FROM (${history.sql})`);
    // the last run built 2026-11-09, so the snapshot's trend holds that week only (not the later 2026-11-16)
    expect(n).toBe(50);
  });

  it('age groups at the boundaries', () => {
    expect([17, 18, 24, 25, 34, 35, 44, 45, 54, 55, null].map(ageGroup)).toEqual(
      ['under 18', '18-24', '18-24', '25-34', '25-34', '35-44', '35-44', '45-54', '45-54', '55+', 'unknown'],
    );
  });
});
