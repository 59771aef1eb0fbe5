import { describe, expect, it } from 'vitest';
import betweennessModule from 'graphology-metrics/centrality/betweenness.js';
import closenessModule from 'graphology-metrics/centrality/closeness.js';
import { csrFromEdges } from '../../graph/csr/csr.ts';
import { betweennessCentrality, brandes, closenessFrom } from '../../graph/centrality/brandes.ts';
import { randomEdges, toGraphology } from './random-graph.ts';
import { cjsDefault } from '../../graph/communities/cjs-default.ts';
const betweenness = cjsDefault(betweennessModule);
const closeness = cjsDefault(closenessModule);

describe('brandes (CSR, typed arrays)', () => {
  it('a path a–b–c–d: b and c each lie on 2 of the 3 pairs, normalised by (N−1)(N−2)/2 = 3', () => {
    const csr = csrFromEdges({ source: ['a', 'b', 'c'], target: ['b', 'c', 'd'] });
    const bc = betweennessCentrality(csr);
    expect([...bc]).toEqual([0, 2 / 3, 2 / 3, 0]);
    // closeness of b: distances 1,1,2 → 3/4
    expect(closenessFrom(brandes(csr))[1]).toBe(3 / 4);
  });

  it('a star with centre x and 4 leaves: x lies on all 6 leaf pairs → 1', () => {
    const csr = csrFromEdges({ source: ['x', 'x', 'x', 'x'], target: ['a', 'b', 'c', 'd'] });
    expect(csr.nodes).toEqual(['a', 'b', 'c', 'd', 'x']);
    expect([...betweennessCentrality(csr)]).toEqual([0, 0, 0, 0, 1]);
  });

  it('matches graphology-metrics betweenness and closeness on 24 seeded random graphs to 1e-9', () => {
    for (let seed = 1; seed <= 24; seed++) {
      const n = 20 + seed * 5;
      const m = Math.floor(n * (0.8 + (seed % 5) * 0.5));
      const edges = randomEdges(n, m, seed);
      const csr = csrFromEdges(edges);
      const g = toGraphology(edges, csr.nodes);
      const expected = betweenness(g, { getEdgeWeight: null });
      const expectedCloseness = closeness(g);
      const got = betweennessCentrality(csr);
      const gotCloseness = closenessFrom(brandes(csr));
      csr.nodes.forEach((id, i) => {
        expect(Math.abs(got[i]! - expected[id]!)).toBeLessThan(1e-9);
        expect(Math.abs(gotCloseness[i]! - expectedCloseness[id]!)).toBeLessThan(1e-9);
      });
    }
  });
});
