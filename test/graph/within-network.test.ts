import { describe, expect, it } from 'vitest';
import { csrFromEdges, csrWithinGroups, groupMembers } from '../../graph/csr/csr.ts';
import { betweennessCentrality } from '../../graph/centrality/brandes.ts';
import { withinNetworkCentrality } from '../../graph/centrality/within-network.ts';
import { randomEdges } from './random-graph.ts';

describe('within-network betweenness and closeness', () => {
  it('each group is normalised by its own size: a 3-path inside a 5-node graph gives the middle node 1', () => {
    // a–b–c is one group; d–e another; c–d crosses groups and is dropped by csrWithinGroups.
    const csr = csrFromEdges({ source: ['a', 'b', 'c', 'd'], target: ['b', 'c', 'd', 'e'] });
    const group = Int32Array.from([0, 0, 0, 1, 1]);
    const r = withinNetworkCentrality(csrWithinGroups(csr, group), groupMembers(group, 2));
    expect([...r.betweenness]).toEqual([0, 1, 0, 0, 0]);
    expect([...r.closeness]).toEqual([2 / 3, 1, 2 / 3, 1, 1]);
    expect(r.methods.map((m) => m.method)).toEqual(['exact', 'exact']);
  });

  it('a network over the work budget is estimated from pivots, within the stated Hoeffding bound', () => {
    const edges = randomEdges(400, 900, 11);
    const csr = csrFromEdges(edges);
    const group = new Int32Array(csr.nodes.length);
    const exact = betweennessCentrality(csr);
    const r = withinNetworkCentrality(csrWithinGroups(csr, group), groupMembers(group, 1), { maxExactWork: 100_000, minPivots: 64 });
    expect(r.methods[0]!.method).toBe('pivots');
    expect(r.methods[0]!.pivots).toBe(64);
    let worst = 0;
    for (let i = 0; i < exact.length; i++) worst = Math.max(worst, Math.abs(r.betweenness[i]! - exact[i]!));
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(r.methods[0]!.errorBound);
  });
});
