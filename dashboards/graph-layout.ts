// Positions for the network view: a circular start then ForceAtlas2 (Jacomy et al. 2014, PLoS ONE
// 9(6): e98853), computed on the server so the layout is deterministic and the browser only draws.
// Iterations of a network over 50 nodes run in slices that yield to the event loop (never stalling other pages).

import { UndirectedGraph } from 'graphology';
import forceAtlas2Module from 'graphology-layout-forceatlas2';
import { circular } from 'graphology-layout';

// The CommonJS module's default export arrives wrapped or not depending on the loader.
interface Fa2 {
  assign(graph: UndirectedGraph, params: { iterations: number; settings: Record<string, unknown> }): void;
  inferSettings(graph: UndirectedGraph): Record<string, unknown>;
}
const loaded = forceAtlas2Module as unknown as Fa2 & { default?: Fa2 };
const forceAtlas2: Fa2 = loaded.default ?? loaded;

/** iterations: ForceAtlas2 passes; slice: passes between yields to the event loop, by size (fixed, so the result is too). */
export const LAYOUT_DEFAULTS = { iterations: 150 } as const;
const slice = (order: number) => (order > 1000 ? 1 : order > 300 ? 3 : order > 50 ? 10 : Infinity);

/** x, y per node id for an undirected graph given as node ids and edge pairs; same input, same output. */
export async function graphLayout(nodes: string[], edges: [string, string][], iterations: number = LAYOUT_DEFAULTS.iterations): Promise<Map<string, { x: number; y: number }>> {
  const g = new UndirectedGraph();
  for (const n of [...nodes].sort()) g.addNode(n);
  for (const [a, b] of edges) if (a !== b && g.hasNode(a) && g.hasNode(b) && !g.hasEdge(a, b)) g.addEdge(a, b);
  circular.assign(g, { scale: 100 });
  if (g.order > 2) {
    const settings = { ...forceAtlas2.inferSettings(g), barnesHutOptimize: g.order > 300 };
    const step = slice(g.order);
    for (let done = 0; done < iterations; done += step) {
      forceAtlas2.assign(g, { iterations: Math.min(step, iterations - done), settings });
      if (step < Infinity) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  const out = new Map<string, { x: number; y: number }>();
  g.forEachNode((n: string, attr: Record<string, unknown>) => out.set(n, { x: Math.round(Number(attr.x) * 100) / 100, y: Math.round(Number(attr.y) * 100) / 100 }));
  return out;
}
