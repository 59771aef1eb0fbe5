// Cross-check: the fairness stage (SQL counts + pure ratios) against a naive per-nominal computation in
// plain TypeScript on 10 random warehouses (seeded), every row compared.

import { describe, expect, it } from 'vitest';
import { freshContext } from '../helpers/context.ts';
import { fairnessReport } from '../../pipelines/accountability/fairness-report.ts';
import { ageGroup } from '../../graph/fairness/fairness-disparity.ts';

function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CODES = ['A1', 'B1', 'NS', 'W1', 'W2'];

type Cell = string | number | null;
/** One INSERT per table with bound values (casts per column given by the table). */
async function insertRows(db: import('../../pipelines/core/db.ts').Db, table: string, rows: Cell[][]) {
  if (!rows.length) return;
  const params: Record<string, Cell> = {};
  const values = rows.map((r, i) => `(${r.map((v, j) => ((params[`p${i}_${j}`] = v), `$p${i}_${j}`)).join(', ')})`);
  await db.run(`INSERT INTO ${table} VALUES ${values.join(', ')}`, params as Record<string, string>);
}
const AS_OF = '2026-11-16';

function completedYears(dob: string, asOf: string): number {
  const [y, m, d] = dob.split('-').map(Number) as [number, number, number];
  const [Y, M, D] = asOf.split('-').map(Number) as [number, number, number];
  return Y - y - (M < m || (M === m && D < d) ? 1 : 0);
}

describe('fairness cross-check', () => {
  it('agrees with a naive computation on 10 random warehouses', async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const rnd = mulberry32(seed);
      const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
      const base = await freshContext();
      const ctx = { ...base, config: { ...base.config, fairness: { ...base.config.fairness, minCellSize: 3, topN: 5 } } };
      const { db } = ctx;
      await db.run(`CREATE SCHEMA person; CREATE SCHEMA curated; CREATE SCHEMA score; CREATE SCHEMA analysis;
        CREATE TABLE person.nominal (nominal_id VARCHAR, display_name VARCHAR, date_of_birth DATE, sex VARCHAR, pnc_id VARCHAR);
        CREATE TABLE person.nominal_sources (nominal_id VARCHAR, source VARCHAR, person_ref VARCHAR, identity_id VARCHAR, match_probability DOUBLE);
        CREATE TABLE curated.identity (identity_id VARCHAR, ethnicity VARCHAR);
        CREATE TABLE score.nominal_harm (nominal_id VARCHAR, harm_band VARCHAR);
        CREATE TABLE analysis.network_member (network_id VARCHAR, nominal_id VARCHAR);
        CREATE TABLE analysis.centrality (nominal_id VARCHAR, degree_rank INTEGER);`);
      const n = 40 + Math.floor(rnd() * 40);
      const people: { id: string; eth: string; sex: string; age: string; cohorts: string[] }[] = [];
      const t: Record<string, Cell[][]> = { nominal: [], sources: [], identity: [], harm: [], member: [], centrality: [] };
      let identity = 0;
      for (let i = 0; i < n; i++) {
        const id = `N${String(i).padStart(3, '0')}`;
        const dob = rnd() < 0.2 ? null : `${1950 + Math.floor(rnd() * 60)}-${pick(['01', '06', '11', '12'])}-${pick(['01', '15', '16', '17'])}`;
        const sex = pick(['M', 'F', 'U', null]);
        t.nominal!.push([id, 'x', dob, sex, null]);
        const codes: (string | null)[] = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => (rnd() < 0.15 ? null : pick(CODES)));
        for (const c of codes) {
          const iid = `i${identity++}`;
          t.sources!.push([id, 'crime', iid, iid, 1]);
          t.identity!.push([iid, c]);
        }
        // naive mode: highest count, ties alphabetical; none → NS
        const freq = new Map<string, number>();
        for (const c of codes) if (c) freq.set(c, (freq.get(c) ?? 0) + 1);
        const eth = [...freq].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? 'NS';
        const cohorts = ['all'];
        const band = pick(['A', 'B', 'C', 'D', null, null]);
        t.harm!.push([id, band]);
        if (band) cohorts.push(band);
        if (rnd() < 0.4) {
          t.member!.push(['NW', id]);
          cohorts.push('network_member');
        }
        t.centrality!.push([id, i + 1]);
        if (i + 1 <= 5) cohorts.push('top5_degree');
        people.push({ id, eth, sex: sex ?? 'U', age: dob ? ageGroup(completedYears(dob, AS_OF)) : 'unknown', cohorts });
      }
      await insertRows(db, 'person.nominal', t.nominal!);
      await insertRows(db, 'person.nominal_sources', t.sources!);
      await insertRows(db, 'curated.identity', t.identity!);
      await insertRows(db, 'score.nominal_harm', t.harm!);
      await insertRows(db, 'analysis.network_member', t.member!);
      await insertRows(db, 'analysis.centrality', t.centrality!);
      await fairnessReport(ctx, { asOf: AS_OF });
      const got = await db.all<Record<string, unknown>>(
        `SELECT attribute, "group", harm_band, count, share, baseline_share, disparity_ratio, flagged FROM analysis.fairness ORDER BY attribute, harm_band, "group"`,
      );
      const expected: Record<string, unknown>[] = [];
      for (const attribute of ['age_group', 'ethnicity', 'sex']) {
        const value = (p: (typeof people)[number]) => (attribute === 'ethnicity' ? p.eth : attribute === 'sex' ? p.sex : p.age);
        const groups = [...new Set(people.map(value))].sort();
        const cohorts = [...new Set(people.flatMap((p) => p.cohorts))].sort();
        for (const cohort of cohorts) {
          const members = people.filter((p) => p.cohorts.includes(cohort));
          for (const group of groups) {
            const count = members.filter((p) => value(p) === group).length;
            const share = count / members.length;
            const baseline = people.filter((p) => value(p) === group).length / people.length;
            const ratio = share / baseline;
            expected.push({ attribute, group, harm_band: cohort, count, share, baseline_share: baseline, disparity_ratio: ratio, flagged: cohort !== 'all' && ratio > 1.25 && count >= 3 });
          }
        }
      }
      expect(got.length, `seed ${seed}`).toBe(expected.length);
      got.forEach((g, k) => {
        const e = expected[k]!;
        expect({ ...g, share: Number(g.share).toFixed(12), baseline_share: Number(g.baseline_share).toFixed(12), disparity_ratio: Number(g.disparity_ratio).toFixed(12) }, `seed ${seed}`).toEqual({
          ...e, share: (e.share as number).toFixed(12), baseline_share: (e.baseline_share as number).toFixed(12), disparity_ratio: (e.disparity_ratio as number).toFixed(12),
        });
      });
      db.close();
    }
  }, 60_000);
});
