// Key-player impact (Borgatti 2006, "Identifying sets of key players in a social network", Comput. Math. Organ. Theory
// 12(1)): per member, the share of member pairs disconnected and the harm cut off from the largest part if removed.

import type { Csr } from '../csr/csr.ts';

export interface KeyPlayerImpact {
  /** Share of the other members' pairs (C(n−1, 2)) that lose their connection when the node is removed. */
  impact: Float64Array;
  /** Harm of the other members no longer connected to the largest remaining part. */
  harmCutOff: Float64Array;
}

/**
 * One iterative depth-first search per network (Hopcroft & Tarjan 1973 low-points) gives, for every node, the
 * pieces its removal leaves: each DFS child subtree with low ≥ its discovery time, plus the rest of its component.
 * Subtree sizes and harm sums make that O(n + m) for all members at once, not one search per member.
 * `csr` must only hold edges within networks (csrWithinGroups); `groups` lists each network's members.
 */
export function keyPlayerImpact(csr: Csr, groups: readonly Int32Array[], harm: Float64Array): KeyPlayerImpact {
  const n = csr.nodes.length;
  const impact = new Float64Array(n);
  const harmCutOff = new Float64Array(n);
  const disc = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const size = new Float64Array(n);
  const subHarm = new Float64Array(n);
  const subMin = new Int32Array(n);
  const parent = new Int32Array(n).fill(-1);
  const cursor = new Int32Array(n);
  const stack = new Int32Array(n);
  const { offsets, targets } = csr;

  for (const members of groups) {
    const N = members.length;
    if (N < 3) continue;
    const otherPairs = ((N - 1) * (N - 2)) / 2;
    for (const root of members) {
      if (disc[root] !== -1) continue;
      // DFS over root's component, recording the finishing order to revisit.
      let time = 0;
      const visited: number[] = [];
      let top = 0;
      stack[top++] = root;
      disc[root] = low[root] = time++;
      subMin[root] = root;
      cursor[root] = offsets[root]!;
      visited.push(root);
      while (top > 0) {
        const v = stack[top - 1]!;
        if (cursor[v]! < offsets[v + 1]!) {
          const w = targets[cursor[v]!++]!;
          if (disc[w] === -1) {
            parent[w] = v;
            disc[w] = low[w] = time++;
            subMin[w] = w;
            cursor[w] = offsets[w]!;
            visited.push(w);
            stack[top++] = w;
          } else if (w !== parent[v]) low[v] = Math.min(low[v]!, disc[w]!);
          continue;
        }
        top--;
        size[v] = 1 + size[v]!;
        subHarm[v] = harm[v]! + subHarm[v]!;
        const p = parent[v]!;
        if (p !== -1) {
          low[p] = Math.min(low[p]!, low[v]!);
          size[p]! += size[v]!;
          subHarm[p]! += subHarm[v]!;
          subMin[p] = Math.min(subMin[p]!, subMin[v]!);
        }
      }
      const compSize = size[root]!;
      const compHarm = subHarm[root]!;
      for (const v of visited) {
        // Pieces left by removing v: separated child subtrees, then the rest of the component.
        let restSize = compSize - 1;
        let restHarm = compHarm - harm[v]!;
        let pairsAfter = 0;
        let bestSize = -1;
        let bestHarm = 0;
        let bestMin = n;
        const pieces: [number, number, number][] = [];
        for (let j = offsets[v]!; j < offsets[v + 1]!; j++) {
          const c = targets[j]!;
          if (parent[c] !== v || low[c]! < disc[v]!) continue;
          pieces.push([size[c]!, subHarm[c]!, subMin[c]!]);
          restSize -= size[c]!;
          restHarm -= subHarm[c]!;
        }
        if (restSize > 0) pieces.push([restSize, restHarm, v === root ? n : root]);
        let othersHarm = 0;
        for (const [s, h, min] of pieces) {
          pairsAfter += (s * (s - 1)) / 2;
          othersHarm += h;
          // The largest part; between equal sizes, the one holding the lowest-sorted member.
          if (s > bestSize || (s === bestSize && min < bestMin)) [bestSize, bestHarm, bestMin] = [s, h, min];
        }
        const pairsBefore = ((compSize - 1) * (compSize - 2)) / 2;
        impact[v] = (pairsBefore - pairsAfter) / otherPairs;
        harmCutOff[v] = pieces.length > 1 ? othersHarm - bestHarm : 0;
      }
    }
  }
  return { impact, harmCutOff };
}
