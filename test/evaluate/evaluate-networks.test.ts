// Network recovery and scripted-event detection on the demo back-fill (16 weeks, real pipeline).

import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateNetworks, type NetworkEvaluation } from '../../pipelines/evaluate/evaluate-networks.ts';
import { demoBackfill } from '../helpers/demo.ts';

let r: NetworkEvaluation;
beforeAll(async () => {
  const demo = await demoBackfill();
  r = await evaluateNetworks(demo.snapshots, demo.truth);
}, 900_000);

describe('evaluate networks (demo truth)', () => {
  it('recovers every planted network as its own community in every week', () => {
    expect(r.snapshots).toBe(16);
    expect(r.weeks.length).toBe(16);
    expect(r.nmi_mean).toBeGreaterThanOrEqual(0.95);
    expect(r.ari_mean).toBeGreaterThanOrEqual(0.9);
  });

  it('detects the scripted growth, merge, imprisonments and release in the right weeks', () => {
    const byType = (t: string) => r.events.filter((e) => e.event === t);
    for (const t of ['GROWTH', 'MERGE', 'IMPRISONED', 'RELEASED']) {
      expect(byType(t).length, t).toBeGreaterThan(0);
      for (const e of byType(t)) expect(e.detected, `${t} ${e.network_keys} ${e.as_of}`).toBe(true);
    }
    for (const e of byType('GROWTH')) expect(e.evidence).toMatch(/harm rose/);
  });

  // Not yet met: edges decay over 12 months, so a planted split or dissolution stays one community in the
  // graph for weeks; detecting it needs activity-aware lineage (issue 5 follow-up).
  it.todo('detects the scripted split after the hub is imprisoned, and the dissolution, in the right weeks');
});
