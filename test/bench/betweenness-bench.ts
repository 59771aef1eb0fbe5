// Benchmark: exact betweenness on a seeded 10k-node / 40k-edge random graph, graphology-metrics vs the CSR Brandes.
// Prints one JSON object: median wall and CPU seconds of each, their ratios, and the largest difference between results.
// Usage: node_modules/.bin/tsx test/bench/betweenness-bench.ts [--nodes 10000] [--edges 40000] [--runs 3] [--seed 7]

import { parseArgs } from 'node:util';
import betweennessModule from 'graphology-metrics/centrality/betweenness.js';
import { csrFromEdges } from '../../graph/csr/csr.ts';
import { betweennessCentrality } from '../../graph/centrality/brandes.ts';
import { randomEdges, toGraphology } from '../graph/random-graph.ts';
import { cjsDefault } from '../../graph/communities/cjs-default.ts';
const betweenness = cjsDefault(betweennessModule);

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '10000' },
    edges: { type: 'string', default: '40000' },
    runs: { type: 'string', default: '3' },
    seed: { type: 'string', default: '7' },
  },
});
const n = Number(values.nodes);
const m = Number(values.edges);
const runs = Number(values.runs);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}
/** Wall seconds and this process's CPU seconds (user + system): CPU time is the fairer figure on a shared machine. */
function time<T>(fn: () => T): [number, number, T] {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const out = fn();
  const c = process.cpuUsage(c0);
  return [Number(process.hrtime.bigint() - t0) / 1e9, (c.user + c.system) / 1e6, out];
}

const edges = randomEdges(n, m, Number(values.seed));
const csr = csrFromEdges(edges);
const graph = toGraphology(edges, csr.nodes);

const oursSeconds: number[] = [];
const graphologySeconds: number[] = [];
const oursCpu: number[] = [];
const graphologyCpu: number[] = [];
let ours: Float64Array = new Float64Array(0);
let theirs: Record<string, number> = {};
for (let r = 0; r < runs; r++) {
  const [a, ac, x] = time(() => betweennessCentrality(csr));
  oursSeconds.push(a);
  oursCpu.push(ac);
  ours = x;
  // Unweighted (BFS) Brandes in graphology too, so both compute the same quantity.
  const [b, bc, y] = time(() => betweenness(graph, { getEdgeWeight: null }));
  graphologySeconds.push(b);
  graphologyCpu.push(bc);
  theirs = y;
}
let maxAbsDiff = 0;
csr.nodes.forEach((id, i) => (maxAbsDiff = Math.max(maxAbsDiff, Math.abs(ours[i]! - theirs[id]!))));

const g = median(graphologySeconds);
const o = median(oursSeconds);
process.stdout.write(
  JSON.stringify({
    graph: { nodes: csr.nodes.length, edges: m, seed: Number(values.seed) },
    runs,
    graphology_median_seconds: Number(g.toFixed(3)),
    csr_brandes_median_seconds: Number(o.toFixed(3)),
    speedup: Number((g / o).toFixed(2)),
    graphology_median_cpu_seconds: Number(median(graphologyCpu).toFixed(3)),
    csr_brandes_median_cpu_seconds: Number(median(oursCpu).toFixed(3)),
    cpu_speedup: Number((median(graphologyCpu) / median(oursCpu)).toFixed(2)),
    max_abs_difference: maxAbsDiff,
    graphology_seconds: graphologySeconds.map((s) => Number(s.toFixed(3))),
    csr_brandes_seconds: oursSeconds.map((s) => Number(s.toFixed(3))),
  }) + '\n',
);
