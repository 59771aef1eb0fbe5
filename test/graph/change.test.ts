import { describe, expect, it } from 'vitest';
import { gainingInfluence, rankChanges, rankColumn, ranks, type Measure } from '../../graph/change/rank-changes.ts';
import { harmTrend } from '../../graph/change/harm-trend.ts';
import { childFoundWithAlerts, harmRisingAlerts, lineageAlerts, newBandALinkAlerts, releaseAlerts } from '../../graph/change/alerts.ts';
import { networkLineage } from '../../graph/lineage/network-lineage.ts';

describe('rank changes', () => {
  const banded = new Set(['a', 'b', 'c', 'kid']);
  it('ranks only banded nominals (the victim v is never ranked); ties by id', () => {
    const r = ranks(new Map([['a', 1], ['b', 3], ['c', 3], ['v', 9]]), (id) => banded.has(id));
    expect([...r]).toEqual([['b', 1], ['c', 2], ['a', 3]]);
  });

  it('rankColumn gives the same ranks over an id-sorted column (0 = not ranked)', () => {
    // ids a, b, c, v in sorted order; v not eligible
    expect([...rankColumn(Float64Array.from([1, 3, 3, 9]), Uint8Array.from([1, 1, 1, 0]))]).toEqual([3, 1, 2, 0]);
  });

  it('week-on-week and 12-week changes: earlier rank − current rank', () => {
    const now = new Map<Measure, Map<string, number>>([['pagerank', new Map([['a', 1], ['b', 2], ['c', 3]])]]);
    const w1 = new Map<Measure, Map<string, number>>([['pagerank', new Map([['a', 3], ['b', 1]])]]);
    const w12 = new Map<Measure, Map<string, number>>([['pagerank', new Map([['c', 1]])]]);
    expect(rankChanges(now, w1, w12)).toEqual([
      { nominal_id: 'a', measure: 'pagerank', rank: 1, change_1w: 2, change_12w: null },
      { nominal_id: 'b', measure: 'pagerank', rank: 2, change_1w: -1, change_12w: null },
      { nominal_id: 'c', measure: 'pagerank', rank: 3, change_1w: null, change_12w: -2 },
    ]);
  });

  it('gaining influence leaves out an under-18 without a recorded review, keeps one with', () => {
    const changes = [
      { nominal_id: 'kid', measure: 'betweenness' as const, rank: 1, change_1w: 10, change_12w: null },
      { nominal_id: 'a', measure: 'betweenness' as const, rank: 2, change_1w: 4, change_12w: null },
      { nominal_id: 'b', measure: 'betweenness' as const, rank: 3, change_1w: -1, change_12w: null },
    ];
    const people = { banded, under18: new Set(['kid']), reviewed: new Set<string>() };
    expect(gainingInfluence(changes, 'betweenness', people).map((c) => c.nominal_id)).toEqual(['a']);
    expect(gainingInfluence(changes, 'betweenness', { ...people, reviewed: new Set(['kid']) }).map((c) => c.nominal_id)).toEqual(['kid', 'a']);
  });
});

describe('network harm trend and alerts', () => {
  const history = [
    { period: '2026-08-24', harm: 100 }, // 12 weeks before 2026-11-16
    { period: '2026-10-19', harm: 200 }, // 4 weeks before
    { period: '2026-11-09', harm: 240 },
  ];
  it('rising over 4 weeks (200 → 300) and 12 weeks (100 → 300), with the series as evidence', () => {
    const t = harmTrend('N-1', '2026-11-16', 300, history);
    expect(t).toMatchObject({ harm_4w: 200, harm_12w: 100, rising_4w: true, rising_12w: true });
    const alerts = harmRisingAlerts([t]);
    expect(alerts.map((a) => a.detail)).toEqual([
      'network harm rose from 100 to 300 CCHI days over 12 weeks',
      'network harm rose from 200 to 300 CCHI days over 4 weeks',
    ]);
    expect(JSON.parse(alerts[1]!.evidence).series).toHaveLength(4);
  });

  it('no alert when harm is flat within 10% or there is no history that far back', () => {
    const t = harmTrend('N-1', '2026-11-16', 210, history.slice(1));
    expect(t).toMatchObject({ harm_4w: 200, harm_12w: null, rising_4w: false, rising_12w: false });
    expect(harmRisingAlerts([t])).toEqual([]);
  });

  it('lineage alerts: new network, split (one alert per parent naming both children), merge, dissolution', () => {
    const prev = [
      { network_id: 'N-1', members: ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'] },
      { network_id: 'N-2', members: ['b1', 'b2', 'b3'] },
      { network_id: 'N-3', members: ['c1', 'c2', 'c3'] },
      { network_id: 'N-4', members: ['d1', 'd2', 'd3'] },
    ];
    const { networks, dissolved } = networkLineage(
      [['a1', 'a2', 'a3'], ['a4', 'a5', 'a6'], ['b1', 'b2', 'b3', 'c1', 'c2', 'c3'], ['x1', 'x2', 'x3']],
      prev, { period: 'w2' },
    );
    expect(lineageAlerts(networks, dissolved).map((a) => [a.alert_type, a.subject_id, a.detail])).toEqual([
      ['NETWORK_DISSOLVED', 'N-4', 'network N-4 no longer found'],
      ['NETWORK_MERGED', 'N-w2-3', 'networks N-2, N-3 merged into N-w2-3'],
      ['NETWORK_SPLIT', 'N-1', 'network N-1 split into N-w2-1, N-w2-2'],
      ['NEW_NETWORK', 'N-w2-4', 'new network of 3 nominals'],
    ]);
  });

  it('new link to a band-A nominal: only links first seen since last week, both ends checked', () => {
    const band = new Map([['A1', 'A'], ['b', 'C']]);
    const links = [
      { nominal_a: 'A1', nominal_b: 'b', link_types: ['CO_ARREST'], first_seen: '2026-11-12' },
      { nominal_a: 'A1', nominal_b: 'c', link_types: ['CO_OFFENDING'], first_seen: '2026-11-02' }, // old link
    ];
    const alerts = newBandALinkAlerts(links, band, '2026-11-09', '2026-11-16');
    expect(alerts).toEqual([{
      alert_type: 'NEW_LINK_TO_BAND_A', subject_id: 'b', detail: 'new link to band-A nominal A1 (CO_ARREST)',
      evidence: '{"band_a_nominal":"A1","link_types":["CO_ARREST"],"first_seen":"2026-11-12"}',
    }]);
  });

  it('release due: band A/B only, release within the coming 4 weeks (28 days inclusive)', () => {
    const band = new Map([['p', 'A'], ['q', 'B'], ['r', 'C'], ['s', 'A']]);
    const releases = [
      { nominal_id: 'p', release_date: '2026-12-14' }, // day 28: in
      { nominal_id: 'q', release_date: '2026-11-20' },
      { nominal_id: 'r', release_date: '2026-11-20' }, // band C: out
      { nominal_id: 's', release_date: '2026-12-15' }, // day 29: out
    ];
    expect(releaseAlerts(releases, band, '2026-11-16').map((a) => a.subject_id)).toEqual(['p', 'q']);
  });

  it('child newly found with an adult who has harm; not with another child, not an adult with no harm', () => {
    const under18 = new Set(['kid', 'kid2']);
    const harm = new Map([['adult', 50], ['kid2', 5]]);
    const rows = [
      { nominal_a: 'adult', nominal_b: 'kid', first_found_with: '2026-11-10' },
      { nominal_a: 'kid', nominal_b: 'kid2', first_found_with: '2026-11-10' },
      { nominal_a: 'kid', nominal_b: 'clean', first_found_with: '2026-11-10' },
      { nominal_a: 'adult', nominal_b: 'kid2', first_found_with: '2026-10-01' }, // not new
    ];
    const alerts = childFoundWithAlerts(rows, under18, harm, '2026-11-09', '2026-11-16');
    expect(alerts.map((a) => [a.subject_id, JSON.parse(a.evidence).adult])).toEqual([['kid', 'adult']]);
  });
});
