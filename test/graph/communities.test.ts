import { describe, expect, it } from 'vitest';
import { csrFromEdges } from '../../graph/csr/csr.ts';
import { communities } from '../../graph/communities/communities.ts';
import { randomEdges } from './random-graph.ts';

function twoCliques() {
  // Two 4-cliques {a,b,c,d} and {w,x,y,z} joined by one weak edge d–w, plus a separate pair p–q.
  const s: string[] = [];
  const t: string[] = [];
  const w: number[] = [];
  for (const group of [['a', 'b', 'c', 'd'], ['w', 'x', 'y', 'z']]) {
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) (s.push(group[i]!), t.push(group[j]!), w.push(1));
  }
  s.push('d', 'p');
  t.push('w', 'q');
  w.push(0.1, 1);
  return csrFromEdges({ source: s, target: t, weight: w });
}

describe('communities (Louvain, deterministic)', () => {
  it('finds the two cliques; the pair is a community but not a network (< 3 members)', () => {
    const csr = twoCliques();
    const c = communities(csr, { seed: 1 });
    const label = (id: string) => c.community[csr.nodes.indexOf(id)];
    expect(new Set(['a', 'b', 'c', 'd'].map(label)).size).toBe(1);
    expect(new Set(['w', 'x', 'y', 'z'].map(label)).size).toBe(1);
    expect(label('a')).not.toBe(label('w'));
    expect(label('p')).toBe(label('q'));
    expect(c.count).toBe(3);
    expect(c.networks.map((k) => c.members[k]!.length)).toEqual([4, 4]);
    // labels follow smallest member: a (index 0) is community 0
    expect(label('a')).toBe(0);
  });

  it('same input gives a byte-identical partition, run after run, and whatever the edge order', () => {
    const edges = randomEdges(400, 700, 3, { weighted: true });
    const a = communities(csrFromEdges(edges), { seed: 42 });
    const b = communities(csrFromEdges(edges), { seed: 42 });
    const reversed = communities(
      csrFromEdges({ source: [...edges.target].reverse(), target: [...edges.source].reverse(), weight: [...edges.weight].reverse() }),
      { seed: 42 },
    );
    const bytes = (x: Int32Array) => Buffer.from(x.buffer).toString('hex');
    expect(bytes(a.community)).toBe(bytes(b.community));
    expect(bytes(a.community)).toBe(bytes(reversed.community));
    expect(a.count).toBeGreaterThan(5);
  });

  it('resolution is honoured: a higher resolution gives more communities', () => {
    const csr = csrFromEdges(randomEdges(300, 600, 8));
    expect(communities(csr, { resolution: 3 }).count).toBeGreaterThan(communities(csr, { resolution: 0.3 }).count);
  });
});
