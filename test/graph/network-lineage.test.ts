import { describe, expect, it } from 'vitest';
import { networkLineage } from '../../graph/lineage/network-lineage.ts';

const ids = (prefix: string, n: number, from = 0) => Array.from({ length: n }, (_, i) => `${prefix}${String(from + i).padStart(2, '0')}`);

describe('network lineage (Jaccard matching, threshold 0.3)', () => {
  it('first week: every network is BORN with ids N-<period>-k in order of smallest member', () => {
    const { networks, dissolved } = networkLineage([['z1', 'z2', 'z3'], ['a1', 'a2', 'a3']], null, { period: '2026-11-02' });
    expect(networks.map((n) => [n.network_id, n.members[0], n.lineage_event])).toEqual([
      ['N-2026-11-02-1', 'a1', 'BORN'],
      ['N-2026-11-02-2', 'z1', 'BORN'],
    ]);
    expect(dissolved).toEqual([]);
  });

  it('keeps the id when membership barely changes, whatever order Louvain listed the communities in', () => {
    const prev = [{ network_id: 'N-1', members: ids('a', 10) }, { network_id: 'N-2', members: ids('b', 5) }];
    const week = [ids('b', 5), [...ids('a', 9), 'a99']]; // a09 left, a99 joined: Jaccard 9/11
    const { networks } = networkLineage(week, prev, { period: 'w2' });
    expect(networks.map((n) => [n.network_id, n.lineage_event])).toEqual([
      ['N-1', 'CONTINUED'],
      ['N-2', 'CONTINUED'],
    ]);
    expect(networks[0]!.jaccard).toBeCloseTo(9 / 11, 12);
  });

  it('GREW and SHRANK keep the id', () => {
    const prev = [{ network_id: 'N-1', members: ids('a', 10) }, { network_id: 'N-2', members: ids('b', 10) }];
    const { networks } = networkLineage([ids('a', 14), ids('b', 6)], prev, { period: 'w2' });
    expect(networks.map((n) => [n.network_id, n.lineage_event, n.parent_network_ids])).toEqual([
      ['N-1', 'GREW', ['N-1']],
      ['N-2', 'SHRANK', ['N-2']],
    ]);
  });

  it('SPLIT: one network of 10 becomes two of 5 (Jaccard 0.5 each) with new ids and the parent id', () => {
    const prev = [{ network_id: 'N-1', members: ids('a', 10) }];
    const { networks, dissolved } = networkLineage([ids('a', 5), ids('a', 5, 5)], prev, { period: 'w2' });
    expect(networks.map((n) => [n.network_id, n.lineage_event, n.parent_network_ids])).toEqual([
      ['N-w2-1', 'SPLIT', ['N-1']],
      ['N-w2-2', 'SPLIT', ['N-1']],
    ]);
    expect(dissolved).toEqual([]);
  });

  it('MERGED: two networks of 4 become one of 8 (Jaccard 0.5 with each), parents best-first then by id', () => {
    const prev = [{ network_id: 'N-2', members: ids('b', 4) }, { network_id: 'N-1', members: ids('a', 4) }];
    const { networks } = networkLineage([[...ids('a', 4), ...ids('b', 4)]], prev, { period: 'w2' });
    expect(networks).toHaveLength(1);
    expect(networks[0]).toMatchObject({ network_id: 'N-w2-1', lineage_event: 'MERGED', parent_network_ids: ['N-1', 'N-2'] });
  });

  it('DISSOLVED and BORN: an overlap below 0.3 is no match (2 of 10 shared: Jaccard 2/11)', () => {
    const prev = [{ network_id: 'N-1', members: ids('a', 10) }];
    const { networks, dissolved } = networkLineage([['a00', 'a01', 'x1']], prev, { period: 'w2' });
    expect(networks[0]).toMatchObject({ network_id: 'N-w2-1', lineage_event: 'BORN', parent_network_ids: [] });
    expect(dissolved).toEqual([{ network_id: 'N-1', members: [], lineage_event: 'DISSOLVED', parent_network_ids: ['N-1'], jaccard: 0 }]);
  });

  it('the threshold is configurable: at 0.15 the same overlap continues the network', () => {
    const prev = [{ network_id: 'N-1', members: ids('a', 10) }];
    const { networks } = networkLineage([['a00', 'a01', 'x1']], prev, { period: 'w2', jaccard: 0.15 });
    expect(networks[0]).toMatchObject({ network_id: 'N-1', lineage_event: 'SHRANK' });
  });
});
