import { describe, expect, it } from 'vitest';
import { connectedComponents, csrFromEdges, csrWithinGroups, groupMembers, type Csr } from '../../graph/csr/csr.ts';
import { keyPlayerImpact } from '../../graph/key-player/key-player-impact.ts';
import { randomEdges } from './random-graph.ts';

function asOneNetwork(csr: Csr) {
  return [Int32Array.from(csr.nodes.keys())];
}

/** The definition, by brute force: remove each node, count connected pairs among the others. */
function bruteForce(csr: Csr, members: Int32Array, harm: Float64Array) {
  const N = members.length;
  const inNet = new Set(members);
  return [...members].map((v) => {
    const comp = new Map<number, number>();
    const pieces: number[][] = [];
    for (const s of members) {
      if (s === v || comp.has(s)) continue;
      const piece = [s];
      comp.set(s, pieces.length);
      for (let k = 0; k < piece.length; k++) {
        const x = piece[k]!;
        for (let j = csr.offsets[x]!; j < csr.offsets[x + 1]!; j++) {
          const y = csr.targets[j]!;
          if (y !== v && inNet.has(y) && !comp.has(y)) (comp.set(y, pieces.length), piece.push(y));
        }
      }
      pieces.push(piece);
    }
    // pairs that were connected before (within v's component) but are not now
    const { component } = connectedComponents(csr);
    let before = 0;
    const others = [...members].filter((x) => x !== v && component[x] === component[v]);
    before = (others.length * (others.length - 1)) / 2;
    const vPieces = pieces.filter((p) => component[p[0]!] === component[v]);
    const after = vPieces.reduce((s, p) => s + (p.length * (p.length - 1)) / 2, 0);
    const largest = vPieces.reduce((b, p) => (p.length > b.length ? p : b), [] as number[]);
    const harmOthers = vPieces.flat().reduce((s, x) => s + harm[x]!, 0);
    const cut = vPieces.length > 1 ? harmOthers - largest.reduce((s, x) => s + harm[x]!, 0) : 0;
    return { impact: (before - after) / (((N - 1) * (N - 2)) / 2), cut };
  });
}

describe('key-player impact (Borgatti fragmentation)', () => {
  it('a path a–b–c–d–e: removing c leaves {a,b} and {d,e}: 4 of the 6 pairs lost; harm of the smaller-side tie goes', () => {
    const csr = csrFromEdges({ source: ['a', 'b', 'c', 'd'], target: ['b', 'c', 'd', 'e'] });
    const harm = Float64Array.from([1, 2, 4, 8, 16]);
    const k = keyPlayerImpact(csr, asOneNetwork(csr), harm);
    // b removed: {a} cut off from {c,d,e}: pairs lost a–c, a–d, a–e = 3 of 6
    expect([...k.impact]).toEqual([0, 3 / 6, 4 / 6, 3 / 6, 0]);
    // c removed: pieces {a,b} (harm 3) and {d,e} (harm 24), equal size → the part holding the lowest-sorted member (a) is kept as the largest
    expect(k.harmCutOff[2]).toBe(24);
    expect(k.harmCutOff[1]).toBe(1);
    expect(k.harmCutOff[0]).toBe(0);
  });

  it('a star: the hub disconnects every pair (impact 1), leaves nothing', () => {
    const csr = csrFromEdges({ source: ['h', 'h', 'h', 'h'], target: ['a', 'b', 'c', 'd'] });
    const k = keyPlayerImpact(csr, asOneNetwork(csr), new Float64Array(5).fill(10));
    expect(k.impact[csr.nodes.indexOf('h')]).toBe(1);
    expect(k.harmCutOff[csr.nodes.indexOf('h')]).toBe(30); // three of the four leaves are cut off from the kept one
    expect(k.impact[0]).toBe(0);
  });

  it('a cycle has no key player', () => {
    const csr = csrFromEdges({ source: ['a', 'b', 'c', 'd'], target: ['b', 'c', 'd', 'a'] });
    expect([...keyPlayerImpact(csr, asOneNetwork(csr), new Float64Array(4)).impact]).toEqual([0, 0, 0, 0]);
  });

  it('agrees with brute force on 20 sparse random networks (trees and near-trees, some disconnected)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const n = 15 + seed;
      const csr = csrFromEdges(randomEdges(n, n + (seed % 4) - 2, 200 + seed));
      const harm = Float64Array.from(csr.nodes, (_, i) => (i * 7) % 5);
      const { component, count } = connectedComponents(csr);
      const groups = seed % 2 ? asOneNetwork(csr) : groupMembers(component, count);
      const within = csrWithinGroups(csr, seed % 2 ? new Int32Array(csr.nodes.length) : component);
      const k = keyPlayerImpact(within, groups, harm);
      for (const members of groups) {
        if (members.length < 3) continue;
        const expected = bruteForce(within, members, harm);
        members.forEach((v, i) => {
          expect(k.impact[v]).toBeCloseTo(expected[i]!.impact, 12);
          expect(k.harmCutOff[v]).toBeCloseTo(expected[i]!.cut, 12);
        });
      }
    }
  });
});
