// Network recovery and scripted-event detection on the demo back-fill (16 weeks, real pipeline).

import { beforeAll, describe, expect, it } from 'vitest';
import { DETECTION_WINDOW_WEEKS, evaluateNetworks, type NetworkEvaluation } from '../../pipelines/evaluate/evaluate-networks.ts';
import { addDays } from '../../pipelines/core/dates.ts';
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

  it('detects the scripted split after the hub is imprisoned, and the dissolution, in the right weeks, with evidence', () => {
    const split = r.events.filter((e) => e.event === 'SPLIT');
    const dissolve = r.events.filter((e) => e.event === 'DISSOLVE');
    expect(split.length).toBe(1);
    expect(dissolve.length).toBe(1);
    // "Right week": the drop dated by the event or the next one, the tolerance the other events get.
    for (const e of [...split, ...dissolve]) {
      expect(e.detected, `${e.event} ${e.network_keys} ${e.as_of}`).toBe(true);
      expect(e.detected_as_of! >= e.as_of && e.detected_as_of! <= addDays(e.as_of, 7 * DETECTION_WINDOW_WEEKS)).toBe(true);
    }
    // The split alert names the children and when the parts were last linked (before the hub's imprisonment);
    // the dissolution alert says custody left fewer than two active members.
    const splitEvidence = JSON.parse(split[0]!.evidence.split('alert evidence ')[1]!);
    expect(splitEvidence.children).toHaveLength(2);
    expect(splitEvidence.last_link_between_parts < split[0]!.as_of).toBe(true);
    const dissolveEvidence = JSON.parse(dissolve[0]!.evidence.split('alert evidence ')[1]!);
    expect(dissolveEvidence).toMatchObject({ reason: 'inactive' });
    expect(dissolveEvidence.active_members_now).toBeLessThan(2);
    expect(dissolveEvidence.taken_into_custody_since_last_link).toBeGreaterThanOrEqual(3);
  });

  it('detects every scripted event', () => {
    expect(r.events_detected).toBe(r.events_total);
  });
});
