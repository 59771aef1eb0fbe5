// Measures the whole analysis (graph/analyse.ts) on a synthetic force-scale week: ~1M nodes, a few million edges,
// most nodes in small components. Prints JSON with the stage timings and peak RSS.
// Usage: node_modules/.bin/tsx test/graph/force-scale-bench.ts [--nodes 1000000] [--seed 1]

import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { analyse } from '../../graph/analyse.ts';
import { seededRandom } from '../../graph/csr/seeded-random.ts';

const { values } = parseArgs({ options: { nodes: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '1' } } });
const target = Number(values.nodes);
const rng = seededRandom(Number(values.seed));
const source: string[] = [];
const dest: string[] = [];
const weight: number[] = [];
let next = 0;
const id = (i: number) => `NOM-${String(i).padStart(8, '0')}`;
// Components: mostly 2–40 nodes; 1 in 2000 is a 2k–8k-node cluster. Each is a random tree plus extra edges (avg degree ≈ 6).
while (next < target) {
  const big = rng() < 0.0005;
  const size = Math.min(target - next, big ? 2000 + Math.floor(rng() * 6000) : 2 + Math.floor(rng() ** 2 * 39));
  const base = next;
  next += size;
  for (let k = 1; k < size; k++) {
    source.push(id(base + k));
    dest.push(id(base + Math.floor(rng() * k)));
    weight.push(0.5 + Math.floor(rng() * 4) / 4);
  }
  const extra = Math.floor(size * 2);
  for (let e = 0; e < extra && size > 2; e++) {
    const a = base + Math.floor(rng() * size);
    const b = base + Math.floor(rng() * size);
    if (a === b) continue;
    source.push(id(a));
    dest.push(id(b));
    weight.push(0.5 + Math.floor(rng() * 4) / 4);
  }
}
const harm = new Map<string, number>();
for (let i = 0; i < next; i += 3) harm.set(id(i), Math.floor(rng() * 400));

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
const t0 = performance.now();
const result = analyse({ edges: { source, target: dest, weight }, period: 'w1', previous: null, harm }, { timer: () => performance.now() });
const total = (performance.now() - t0) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
process.stdout.write(
  JSON.stringify({ nodes: result.summary.nodes, edges: result.summary.edges, components: result.summary.components, communities: result.summary.communities, networks: result.summary.networks, betweenness: result.summary.betweenness, seconds: result.summary.seconds, total_seconds: Number(total.toFixed(2)), peak_rss_mb: Math.round(peak / 1e6) }) + '\n',
);
