import { describe, expect, it } from 'vitest';
import { csrFromEdges } from '../../graph/csr/csr.ts';
import { betweennessCentrality } from '../../graph/centrality/brandes.ts';
import { sampleSize, sampledBetweenness } from '../../graph/centrality/sampled-betweenness.ts';
import { randomEdges } from './random-graph.ts';

describe('sampled betweenness (Riondato–Kornaropoulos)', () => {
  it('sample size by hand: VD 10, ε 0.1, δ 0.1 → ⌈50 × (3 + 1 + ln 10)⌉ = 316', () => {
    expect(sampleSize(10, 0.1, 0.1)).toBe(Math.ceil(50 * (4 + Math.log(10))));
    expect(sampleSize(10, 0.1, 0.1)).toBe(316);
  });

  it('on a path a–b–c–d–e the bound from a is 4 + 3 + 1 = 8 (true vertex diameter 5) and estimates are within the bound', () => {
    const csr = csrFromEdges({ source: ['a', 'b', 'c', 'd'], target: ['b', 'c', 'd', 'e'] });
    const s = sampledBetweenness(csr, { epsilon: 0.02, delta: 0.1, seed: 1 });
    expect(s.vertexDiameterBound).toBe(8);
    const exact = betweennessCentrality(csr);
    for (let i = 0; i < 5; i++) expect(Math.abs(s.betweenness[i]! - exact[i]!)).toBeLessThanOrEqual(s.errorBound);
  });

  it('stays within its stated bound of the exact values on 12 seeded random graphs (some disconnected)', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const n = 60 + seed * 10;
      const edges = randomEdges(n, Math.floor(n * (seed % 3 === 0 ? 0.7 : 1.5)), 100 + seed);
      const csr = csrFromEdges(edges);
      const exact = betweennessCentrality(csr);
      const s = sampledBetweenness(csr, { epsilon: 0.03, delta: 0.1, seed });
      let worst = 0;
      for (let i = 0; i < exact.length; i++) worst = Math.max(worst, Math.abs(s.betweenness[i]! - exact[i]!));
      expect(worst).toBeLessThanOrEqual(s.errorBound);
      expect(worst).toBeGreaterThan(0); // it really is an estimate
    }
  });

  it('is deterministic for a seed', () => {
    const csr = csrFromEdges(randomEdges(80, 120, 5));
    const a = sampledBetweenness(csr, { epsilon: 0.05, delta: 0.1, seed: 9 });
    const b = sampledBetweenness(csr, { epsilon: 0.05, delta: 0.1, seed: 9 });
    expect([...a.betweenness]).toEqual([...b.betweenness]);
  });
});
