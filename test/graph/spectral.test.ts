import { describe, expect, it } from 'vitest';
import pagerankGModule from 'graphology-metrics/centrality/pagerank.js';
import eigenvectorGModule from 'graphology-metrics/centrality/eigenvector.js';
import { connectedComponents, csrFromEdges, csrWithinGroups, groupMembers } from '../../graph/csr/csr.ts';
import { degrees, eigenvectorWithinGroups, pagerank } from '../../graph/centrality/spectral.ts';
import { randomEdges, toGraphology } from './random-graph.ts';
import { cjsDefault } from '../../graph/communities/cjs-default.ts';
const pagerankG = cjsDefault(pagerankGModule);
const eigenvectorG = cjsDefault(eigenvectorGModule);

describe('degree, PageRank, eigenvector on CSR', () => {
  it('degrees of a weighted triangle plus a pendant, by hand', () => {
    const csr = csrFromEdges({ source: ['a', 'b', 'c', 'c'], target: ['b', 'c', 'a', 'd'], weight: [1, 2, 0.5, 1] });
    const { degree, weightedDegree } = degrees(csr);
    expect([...degree]).toEqual([2, 2, 3, 1]);
    expect([...weightedDegree]).toEqual([1.5, 3, 3.5, 1]);
  });

  it('parallel edges are merged by summing weights, self-loops dropped', () => {
    const csr = csrFromEdges({ source: ['a', 'b', 'a'], target: ['b', 'a', 'a'], weight: [1, 2, 5] });
    expect(csr.nodes).toEqual(['a', 'b']);
    expect([...csr.weights]).toEqual([3, 3]);
  });

  it('PageRank on a star sums to 1 and matches graphology on 20 weighted random graphs (1e-9)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const edges = randomEdges(30 + seed * 7, 60 + seed * 12, seed, { weighted: true });
      const csr = csrFromEdges(edges);
      const g = toGraphology(edges, csr.nodes);
      const expected = pagerankG(g);
      const got = pagerank(csr);
      expect(got.converged).toBe(true);
      csr.nodes.forEach((id, i) => expect(Math.abs(got.values[i]! - expected[id]!)).toBeLessThan(1e-9));
    }
  });

  it('eigenvector over one connected group matches graphology on 20 weighted random graphs (1e-9)', () => {
    let compared = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const edges = randomEdges(25 + seed * 3, 90 + seed * 10, 50 + seed, { weighted: true });
      const csr = csrFromEdges(edges);
      if (connectedComponents(csr).count !== 1) continue;
      const g = toGraphology(edges, csr.nodes);
      const expected = eigenvectorG(g);
      const all = Int32Array.from(csr.nodes.keys());
      const got = eigenvectorWithinGroups(csr, [all]);
      csr.nodes.forEach((id, i) => expect(Math.abs(got.values[i]! - expected[id]!)).toBeLessThan(1e-9));
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(15);
  });

  it('within groups each group is normalised on its own: two disjoint triangles both get 1/√3', () => {
    const csr = csrFromEdges({ source: ['a', 'b', 'c', 'x', 'y', 'z'], target: ['b', 'c', 'a', 'y', 'z', 'x'] });
    const { component, count } = connectedComponents(csr);
    const got = eigenvectorWithinGroups(csrWithinGroups(csr, component), groupMembers(component, count));
    for (const v of got.values) expect(v).toBeCloseTo(1 / Math.sqrt(3), 12);
  });
});
