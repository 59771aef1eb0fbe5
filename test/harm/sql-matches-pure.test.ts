// Cross-check: the DuckDB SQL runners (edges, harm) against the pure reference functions on a seeded
// random dataset of 200 people, so the two implementations of the rules cannot drift apart.

import { describe, expect, it } from 'vitest';
import { freshContext } from '../helpers/context.ts';
import { scoreHarm } from '../../pipelines/harm/score-harm.ts';
import { buildEdges } from '../../pipelines/network/build-edges.ts';
import { nominalHarm } from '../../graph/harm/nominal-harm.ts';
import { coInvolvementEdges } from '../../graph/edges/co-involvement-edges.ts';
import { scoreNetworks } from '../../pipelines/harm/score-networks.ts';
import { componentIds, connectedComponents } from '../../graph/harm/connected-components.ts';
import { networkHarm } from '../../graph/harm/network-harm.ts';
import type { InvolvementRow, OffenceRow } from '../../graph/harm/harm-inputs.ts';
import { loadInputs, type InputData } from './input-tables.ts';

const AS_OF = '2026-11-16';

/** mulberry32: a tiny seeded PRNG (deterministic test data). */
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

export function randomDataset(seed: number, people = 200): InputData {
  const r = rng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const day = (maxDaysAgo: number) => new Date(Date.parse(`${AS_OF}T00:00:00Z`) - Math.floor(r() * maxDaysAgo) * 86_400_000).toISOString().slice(0, 10);
  const offences: OffenceRow[] = [
    { offence_code: '092/30', offence_ref: null, cchi_days: 547.5, cchi_rule: 'single', classification_code: '92A', ons_weight: 512.9573593857484, ons_status: 'found' },
    { offence_code: '008/01', offence_ref: 'OF61047', cchi_days: 182.5, cchi_rule: 'offence_ref', classification_code: '8N', ons_weight: 36.6, ons_status: 'found' },
    { offence_code: '008/01', offence_ref: null, cchi_days: 912.5, cchi_rule: 'ho_code_max', classification_code: '8N', ons_weight: 36.6, ons_status: 'found' },
    { offence_code: '105/01', offence_ref: null, cchi_days: 10, cchi_rule: 'single', classification_code: '105A', ons_weight: null, ons_status: 'missing' },
    { offence_code: '019/07', offence_ref: null, cchi_days: 2555, cchi_rule: 'single', classification_code: '19D', ons_weight: 1000.3, ons_status: 'found' },
    { offence_code: '038/01', offence_ref: null, cchi_days: null, cchi_rule: null, classification_code: '38', ons_weight: 55.5, ons_status: 'found' },
  ];
  const codes: [string, string | null][] = [...offences.map((o) => [o.offence_code, o.offence_ref] as [string, string | null]), ['999/99', null]];
  const data: InputData = { offences, nominals: [], nominalSources: [], involvements: [], pins: [] };
  const idsOf: string[][] = [];
  for (let p = 0; p < people; p++) {
    const nominal = `N${String(p).padStart(3, '0')}`;
    const dob = r() < 0.1 ? null : day(365 * 60);
    data.nominals.push({ nominal_id: nominal, date_of_birth: dob });
    const ids = [`x${p}`];
    if (r() < 0.2) ids.push(`x${p}b`);
    idsOf.push(ids);
    for (const id of ids) data.nominalSources.push({ nominal_id: nominal, source: 'crime', person_ref: id, identity_id: id, match_probability: 1 });
  }
  const active = idsOf.slice(0, Math.floor(people * 0.85));
  const row = (source: InvolvementRow['source'], ref: string, group: string | null, id: string, role: string, extra: Partial<InvolvementRow> = {}): InvolvementRow => ({
    source, record_ref: ref, group_ref: group, identity_id: id, person_ref: id, role, outcome: null, record_date: AS_OF,
    offence_code: null, offence_ref: null, topic: null, under_18: r() < 0.15, ...extra,
  });
  const outcomes = ['CONVICTED', 'CHARGED', 'CAUTIONED', 'UNDER_INVESTIGATION', 'NFA', 'ACQUITTED', 'NONE', null];
  for (let c = 0; c < 400; c++) {
    const date = day(365 * 7);
    const [code, ref] = pick(codes);
    const n = 1 + Math.floor(r() * 4);
    for (let k = 0; k < n; k++) {
      const role = pick(['SUSPECT', 'SUSPECT', 'OFFENDER', 'VICTIM', 'WITNESS', 'OTHER']);
      // the last 15% of people are only ever victims, witnesses or missing: the safeguarding-only
      const id = pick(pick(role === 'VICTIM' || role === 'WITNESS' ? idsOf : active));
      const outcome = role === 'SUSPECT' || role === 'OFFENDER' ? pick(outcomes) : 'NONE';
      data.involvements.push(row('crime', `C${c}`, `C${c}`, id, role, { outcome, record_date: date, offence_code: code, offence_ref: ref }));
    }
  }
  for (let o = 0; o < 80; o++) {
    const date = day(365 * 6);
    for (let k = 0; k < 1 + Math.floor(r() * 3); k++) data.involvements.push(row('custody', `K${o}-${k}`, `OCC${o}`, pick(pick(active)), 'ARRESTED', { outcome: 'CHARGED', record_date: date }));
  }
  for (let i = 0; i < 80; i++) {
    const date = day(365 * 6);
    const topic = pick(['DRUGS', 'COUNTY_LINES', 'CSE', 'FIREARMS', 'OCG', 'OTHER']);
    data.involvements.push(row('intel', `I${i}`, `I${i}`, pick(pick(active)), 'SUBJECT', { record_date: date, topic }));
    for (let k = 0; k < Math.floor(r() * 3); k++) data.involvements.push(row('intel', `I${i}`, `I${i}`, pick(pick(active)), 'ASSOCIATE', { record_date: date, topic }));
  }
  for (let m = 0; m < 40; m++) {
    const date = day(365 * 3);
    data.involvements.push(row('missing', `M${m}`, `M${m}`, pick(pick(idsOf)), 'MISSING', { record_date: date }));
    if (r() < 0.7) data.involvements.push(row('missing', `M${m}`, `M${m}`, pick(pick(active)), 'FOUND_WITH', { record_date: date }));
  }
  for (let s = 0; s < 30; s++) {
    const id = pick(pick(active));
    const reception = day(365 * 4);
    const released = r() < 0.5 ? null : day(365 * 2);
    data.pins.push({ person_ref: id, identity_id: id, prison_number: `P${s}`, establishment: 'HMP X', reception_date: reception, expected_release_date: r() < 0.9 ? day(365) : null, actual_release_date: released, licence_end_date: r() < 0.5 ? null : day(100) });
    data.involvements.push(row('pins', `P${s}|${reception}`, null, id, 'PRISONER', { record_date: reception }));
  }
  return data;
}

const sortBy = <T extends Record<string, unknown>>(rows: T[], ...keys: string[]) =>
  [...rows].sort((a, b) => {
    for (const k of keys) {
      const x = String(a[k] ?? ''), y = String(b[k] ?? '');
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });

describe('SQL runners agree with the pure reference on random data', () => {
  for (const seed of [7, 2026]) {
    it(`seed ${seed}: harm, explanations, unweighted list, safeguarding list, edges and evidence`, async () => {
      const data = randomDataset(seed);
      const ctx = await freshContext();
      await loadInputs(ctx.db, data);
      await buildEdges(ctx, { asOf: AS_OF });
      await scoreHarm(ctx, { asOf: AS_OF });
      const h = ctx.config.harm;
      const pure = nominalHarm(data, { asOf: AS_OF, lookbackYears: h.lookbackYears, decayPerYear: h.decayPerYear, allegedWeight: h.allegedWeight, bands: h.bands });
      const pureEdges = coInvolvementEdges(data, { asOf: AS_OF, linkTypeWeights: ctx.config.linkTypeWeights, halfLifeMonths: ctx.config.edgeDecayHalfLifeMonths });

      // sanity: the dataset exercises every branch
      expect(pure.nominals.filter((n) => n.safeguarding_only).length).toBeGreaterThan(3);
      expect(pure.nominals.filter((n) => n.harm_band === 'A').length).toBeGreaterThan(3);
      expect(pure.nominals.filter((n) => n.in_custody).length).toBeGreaterThan(3);
      expect(pure.explanations.filter((e) => e.outcome_class === 'zero').length).toBeGreaterThan(10);
      expect(pureEdges.edges.filter((e) => e.intelligence_only).length).toBeGreaterThan(3);

      const cols = Object.keys(pure.nominals[0]!);
      const sqlNominals = await ctx.db.all(`SELECT ${cols.join(', ')} FROM score.nominal_harm ORDER BY nominal_id`);
      expect(sqlNominals).toEqual(pure.nominals);

      const sqlExpl = await ctx.db.all(
        `SELECT nominal_id, record_ref, identity_id, role, outcome, outcome_class, offence_code, offence_ref, record_date, age_days,
                cchi_days, ons_weight, outcome_factor, decayed_cchi, decayed_ons, contribution_cchi, contribution_ons, decay_factor
         FROM score.harm_explanation ORDER BY nominal_id, record_date, record_ref`,
      );
      expect(sqlExpl.length).toBe(pure.explanations.length);
      sqlExpl.forEach((s, i) => {
        const { decay_factor, source: _s, ...p } = pure.explanations[i]!;
        const { decay_factor: sd, ...rest } = s;
        expect(rest).toEqual(p);
        expect(sd as number).toBeCloseTo(decay_factor, 14);
      });

      expect(await ctx.db.all('SELECT measure, offence_code, offence_ref, records, nominals FROM score.unweighted_offence ORDER BY ALL')).toEqual(pure.unweighted);
      expect(await ctx.db.all('SELECT nominal_id, roles, under_18, records, last_record_date, historic FROM score.safeguarding ORDER BY nominal_id')).toEqual(pure.safeguarding);

      const sqlEdges = await ctx.db.all(
        'SELECT nominal_a, nominal_b, link_types, evidential_class, intelligence_only, weight, evidence_count, first_seen, last_seen FROM graph.edge ORDER BY nominal_a, nominal_b',
      );
      expect(sqlEdges).toEqual(pureEdges.edges);
      const evCols = Object.keys(pureEdges.evidence[0]!).filter((c) => c !== 'decay_factor');
      const sqlEv = await ctx.db.all(`SELECT ${evCols.join(', ')} FROM graph.edge_evidence`);
      const strip = pureEdges.evidence.map(({ decay_factor: _d, ...rest }) => rest);
      const keys = ['nominal_a', 'nominal_b', 'link_type', 'record_ref', 'from_nominal'];
      expect(sortBy(sqlEv, ...keys)).toEqual(sortBy(strip, ...keys));

      // networks: pure components over the pure edges, Σ pure member harm
      await scoreNetworks(ctx, { asOf: AS_OF });
      const nodes = [...new Set(pureEdges.edges.flatMap((e) => [e.nominal_a, e.nominal_b]))].sort();
      const index = new Map(nodes.map((n, i) => [n, i]));
      const ids = componentIds(
        connectedComponents(nodes.length, pureEdges.edges.map((e) => index.get(e.nominal_a)!), pureEdges.edges.map((e) => index.get(e.nominal_b)!)),
        ctx.config.communities.minNetworkSize,
      );
      const membership = nodes.flatMap((n, i) => (ids[i] ? [{ network_id: ids[i]!, nominal_id: n }] : []));
      expect(membership.length).toBeGreaterThan(20);
      expect(await ctx.db.all('SELECT network_id, nominal_id FROM score.network_member ORDER BY network_id, nominal_id')).toEqual(sortBy(membership, 'network_id', 'nominal_id'));
      expect(await ctx.db.all('SELECT network_id, size, harm_cchi, harm_cchi_proven, harm_cchi_alleged, harm_ons FROM score.network_harm ORDER BY network_id')).toEqual(
        networkHarm(membership, pure.nominals),
      );
      ctx.db.close();
    });
  }
});
