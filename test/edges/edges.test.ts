// Links from co-involvement on the five-person case (test/harm/five-people.ts), SQL runner and pure
// reference, with weights a reader can check: type weight × 0.5^(age_days / 365.25).

import { afterEach, describe, expect, it } from 'vitest';
import { freshContext } from '../helpers/context.ts';
import type { StageContext } from '../../pipelines/core/context.ts';
import { buildEdges } from '../../pipelines/network/build-edges.ts';
import { coInvolvementEdges } from '../../graph/edges/co-involvement-edges.ts';
import { evidentialClass, INTELLIGENCE_LABEL } from '../../graph/edges/link-rules.ts';
import { defaultConfig } from '../../pipelines/core/config.ts';
import { onGrid } from '../../graph/harm/exact-sum.ts';
import { AS_OF, fivePeople } from '../harm/five-people.ts';
import { inv, loadInputs, ns } from '../harm/input-tables.ts';

// Expected links:
//   C1 (all on the as-of, decay 1): N1–N2 CO_OFFENDING 1.0 (N2's two identities give one piece of evidence);
//       N1→N3, N1→N4, N2→N3, N2→N4 OFFENDER_VICTIM 0.6 each.
//   I1 (2026-10-01, 46 days old): N1–N5 INTEL_ASSOCIATION 0.5 × 0.5^(46/365.25) ≈ 0.4582 — "intelligence — not evidence".
//   C5: N4 was a witness → no link. K1: N5 arrested alone → none. PINS → none.
const INTEL_WEIGHT = onGrid(0.5 * 0.5 ** (46 / 365.25), 20);
const EXPECTED = [
  { nominal_a: 'N1', nominal_b: 'N2', link_types: ['CO_OFFENDING'], evidential_class: 'recorded crime', intelligence_only: false, weight: 1, evidence_count: 1 },
  { nominal_a: 'N1', nominal_b: 'N3', link_types: ['OFFENDER_VICTIM'], evidential_class: 'recorded crime', intelligence_only: false, weight: onGrid(0.6, 20), evidence_count: 1 },
  { nominal_a: 'N1', nominal_b: 'N4', link_types: ['OFFENDER_VICTIM'], evidential_class: 'recorded crime', intelligence_only: false, weight: onGrid(0.6, 20), evidence_count: 1 },
  { nominal_a: 'N1', nominal_b: 'N5', link_types: ['INTEL_ASSOCIATION'], evidential_class: 'intelligence — not evidence', intelligence_only: true, weight: INTEL_WEIGHT, evidence_count: 1 },
  { nominal_a: 'N2', nominal_b: 'N3', link_types: ['OFFENDER_VICTIM'], evidential_class: 'recorded crime', intelligence_only: false, weight: onGrid(0.6, 20), evidence_count: 1 },
  { nominal_a: 'N2', nominal_b: 'N4', link_types: ['OFFENDER_VICTIM'], evidential_class: 'recorded crime', intelligence_only: false, weight: onGrid(0.6, 20), evidence_count: 1 },
];

let ctx: StageContext | undefined;
afterEach(() => ctx?.db.close());

describe('edges from co-involvement (SQL runner)', () => {
  it('builds the expected links with their weights and labels', async () => {
    ctx = await freshContext();
    await loadInputs(ctx.db, fivePeople());
    expect(await buildEdges(ctx, { asOf: AS_OF })).toEqual({ edges: 6, evidence: 6 });
    expect(INTEL_WEIGHT).toBeCloseTo(0.4582, 4);
    const edges = await ctx.db.all(
      'SELECT nominal_a, nominal_b, link_types, evidential_class, intelligence_only, weight, evidence_count FROM graph.edge ORDER BY ALL',
    );
    expect(edges).toEqual(EXPECTED);
  });

  it('keeps evidence with source, record ref, date, and offender → victim direction', async () => {
    ctx = await freshContext();
    await loadInputs(ctx.db, fivePeople());
    await buildEdges(ctx, { asOf: AS_OF });
    const ev = await ctx.db.all(
      `SELECT nominal_a, nominal_b, link_type, source, record_ref, record_date, from_nominal, to_nominal FROM graph.edge_evidence ORDER BY ALL`,
    );
    expect(ev).toContainEqual({ nominal_a: 'N2', nominal_b: 'N4', link_type: 'OFFENDER_VICTIM', source: 'crime', record_ref: 'C1', record_date: AS_OF, from_nominal: 'N2', to_nominal: 'N4' });
    expect(ev).toContainEqual({ nominal_a: 'N1', nominal_b: 'N5', link_type: 'INTEL_ASSOCIATION', source: 'intel', record_ref: 'I1', record_date: '2026-10-01', from_nominal: null, to_nominal: null });
    expect(ev.filter((e) => e.record_ref === 'C5' || e.source === 'pins' || e.source === 'custody')).toEqual([]);
  });

  it('mixed evidence names every class; a victim-offender direction can go both ways', async () => {
    ctx = await freshContext();
    const data = fivePeople();
    // N1 and N5 are also arrested together on one custody occasion; N3 assaults N1 on C20.
    data.nominalSources.push(ns('N1', 'k-1', 'custody'));
    data.involvements.push(inv({ source: 'custody', record_ref: 'K2', group_ref: 'OCC1', identity_id: 'k-1', role: 'ARRESTED', record_date: '2026-06-01' }));
    data.involvements.push(inv({ record_ref: 'C20', identity_id: 'c-3', role: 'SUSPECT', outcome: 'CHARGED', record_date: AS_OF }));
    data.involvements.push(inv({ record_ref: 'C20', identity_id: 'c-1', role: 'VICTIM', outcome: 'NONE', record_date: AS_OF }));
    await loadInputs(ctx.db, data);
    await buildEdges(ctx, { asOf: AS_OF });
    const e15 = await ctx.db.one(`SELECT link_types, evidential_class, intelligence_only, evidence_count FROM graph.edge WHERE nominal_a = 'N1' AND nominal_b = 'N5'`);
    expect(e15).toEqual({ link_types: ['CO_ARREST', 'INTEL_ASSOCIATION'], evidential_class: 'custody; intelligence — not evidence', intelligence_only: false, evidence_count: 2 });
    const dirs = await ctx.db.all(`SELECT record_ref, from_nominal, to_nominal FROM graph.edge_evidence WHERE nominal_a = 'N1' AND nominal_b = 'N3' ORDER BY record_ref`);
    expect(dirs).toEqual([
      { record_ref: 'C1', from_nominal: 'N1', to_nominal: 'N3' },
      { record_ref: 'C20', from_nominal: 'N3', to_nominal: 'N1' },
    ]);
  });

  it('makes no self-loops when one nominal has two identities on a record', async () => {
    ctx = await freshContext();
    await loadInputs(ctx.db, fivePeople());
    await buildEdges(ctx, { asOf: AS_OF });
    expect(await ctx.db.value('SELECT count(*) FROM graph.edge WHERE nominal_a >= nominal_b')).toBe(0);
  });
});

describe('edges (pure reference)', () => {
  it('matches the expected links', () => {
    const c = defaultConfig();
    const { edges } = coInvolvementEdges(fivePeople(), { asOf: AS_OF, linkTypeWeights: c.linkTypeWeights, halfLifeMonths: 12 });
    expect(edges.map(({ first_seen: _f, last_seen: _l, ...rest }) => rest)).toEqual(EXPECTED);
  });

  it('labels an intelligence-only edge exactly, and names mixed classes', () => {
    expect(evidentialClass([INTELLIGENCE_LABEL, INTELLIGENCE_LABEL])).toBe('intelligence — not evidence');
    expect(evidentialClass([INTELLIGENCE_LABEL, 'recorded crime'])).toBe('recorded crime; intelligence — not evidence');
  });
});
