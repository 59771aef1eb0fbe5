// Dashboards load benchmark: 50 concurrent signed-in users (autocannon, loopback, the real server in its
// own process) on varied network pages, their graph data and nominal pages; then a ~500-node network page
// in headless Chromium. Prints ONE JSON object (progress goes to stderr); exits 0, reporting failures in it.
// Run: node_modules/.bin/tsx test/dashboards/bench/load.ts [--snapshots DIR] [--seconds 30] [--json]
//      (without --snapshots: a synthetic snapshot of --nominals N is written to a temporary folder)

import path from 'node:path';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { removeTree } from '../../../pipelines/snapshot/durable-fs.ts';
import { tempDir } from '../../helpers/context.ts';
import { writeScaleSnapshot } from './scale-snapshot.ts';
import { addBenchUsers, choosePages, quantile, signIn, spawnServer, waitReady } from './bench-helpers.ts';
import { measureNetworkPage } from './network-page-bench.ts';

const require = createRequire(import.meta.url);
interface Instance {
  on(event: 'response', f: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  then: Promise<AutocannonResult>['then'];
}
interface AutocannonResult { requests: { total: number }; non2xx: number; errors: number; timeouts: number; duration: number; throughput: { average: number } }
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Instance;

const { values } = parseArgs({
  options: {
    snapshots: { type: 'string' },
    seconds: { type: 'string', default: '30' },
    connections: { type: 'string', default: '50' },
    nominals: { type: 'string', default: '20000' },
    pages: { type: 'string', default: '4000' },
    loads: { type: 'string', default: '5' },
    'no-browser': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const say = (s: string) => process.stderr.write(`load: ${s}\n`);
const seconds = Number(values.seconds);
const connections = Number(values.connections);

/** Connections per page kind: two fifths network pages, one fifth their graph data, two fifths nominal pages. */
function split(total: number): { network: number; network_graph: number; nominal: number } {
  const graph = Math.max(1, Math.round(total / 5));
  const network = Math.max(1, Math.round((total - graph) / 2));
  return { network, network_graph: graph, nominal: Math.max(1, total - graph - network) };
}

async function run(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {
    connections, seconds, target: { p95_ms: 100 },
    machine: { cores: os.cpus().length, load_average_1m_at_start: Math.round(os.loadavg()[0]! * 100) / 100 },
  };
  const dir = tempDir('harmnet-load-');
  try {
    let snapshotsDir = values.snapshots;
    if (!snapshotsDir) {
      snapshotsDir = path.join(dir, 'snapshots');
      say(`writing a synthetic snapshot of ${values.nominals} nominals`);
      await writeScaleSnapshot(snapshotsDir, Number(values.nominals));
      out.synthetic_nominals = Number(values.nominals);
    }
    const servingFile = path.join(dir, 'serving.duckdb');
    const users = await addBenchUsers(servingFile, 10);
    const choice = await choosePages(snapshotsDir, Number(values.pages));
    out.snapshot = { snapshot_id: choice.snapshot.snapshot_id, nominals: choice.snapshot.tables.nominals?.rows ?? null, networks: choice.snapshot.tables.networks?.rows ?? null };
    say(`snapshot ${choice.snapshot.snapshot_id}: ${choice.networks.length} network pages, ${choice.nominals.length} nominal pages chosen`);

    const server = await spawnServer(snapshotsDir, servingFile);
    try {
      const cookies: string[] = [];
      for (const u of users) cookies.push(await signIn(server.url, u));
      // the server opens the latest snapshot and builds its page lookups in the background: timed apart
      const warmMs = await waitReady(server.url);
      const sq = `?snapshot=${encodeURIComponent(choice.snapshot.snapshot_id)}`;
      const t = performance.now();
      const first = await fetch(`${server.url}/networks/${encodeURIComponent(choice.networks[0]!)}${sq}`, { headers: { cookie: cookies[0]! } });
      await first.text();
      out.startup = { server_listen_ms: server.startMs, snapshot_ready_after_listen_ms: warmMs, first_page_ms: Math.round(performance.now() - t), first_status: first.status };
      say(`server listening after ${server.startMs} ms; snapshot ready ${warmMs} ms later; first page ${Math.round(performance.now() - t)} ms`);
      for (const p of [`/nominals/${encodeURIComponent(choice.nominals[0]!)}`, `/api/networks/${encodeURIComponent(choice.networks[0]!)}/graph`]) {
        const r = await fetch(`${server.url}${p}${sq}`, { headers: { cookie: cookies[0]! } });
        await r.text();
        if (r.status !== 200) throw new Error(`bench: ${p} answered HTTP ${r.status}`);
      }

      const kinds = split(connections);
      const lists: Record<keyof typeof kinds, string[]> = {
        network: choice.networks.map((id) => `/networks/${encodeURIComponent(id)}${sq}`),
        network_graph: choice.networks.map((id) => `/api/networks/${encodeURIComponent(id)}/graph${sq}`),
        nominal: choice.nominals.map((id) => `/nominals/${encodeURIComponent(id)}${sq}`),
      };
      say(`${connections} connections for ${seconds} s: ${JSON.stringify(kinds)}`);
      const results = await Promise.all((Object.keys(kinds) as (keyof typeof kinds)[]).map(async (kind) => {
        const latencies: number[] = [];
        let i = 0;
        const instance = autocannon({
          url: server.url, connections: kinds[kind], duration: seconds, timeout: 30,
          requests: [{
            method: 'GET',
            setupRequest: (req: Record<string, unknown>) => {
              const n = i++;
              return { ...req, path: lists[kind][n % lists[kind].length], headers: { cookie: cookies[n % cookies.length] } };
            },
          }],
        });
        instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
        const r = await instance;
        latencies.sort((a, b) => a - b);
        const ms = (q: number) => Math.round((quantile(latencies, q) ?? NaN) * 10) / 10;
        return [kind, {
          connections: kinds[kind],
          requests: latencies.length,
          distinct_pages: Math.min(lists[kind].length, latencies.length),
          req_per_s: Math.round((latencies.length / r.duration) * 10) / 10,
          p50_ms: ms(0.5), p95_ms: ms(0.95), p97_5_ms: ms(0.975), p99_ms: ms(0.99), max_ms: latencies.at(-1) ?? null,
          non_2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts,
          mean_response_kb: Math.round(r.throughput.average / Math.max(1, latencies.length / r.duration) / 102.4) / 10,
          target: { p95_ms: 100 },
        }] as const;
      }));
      for (const [kind, r] of results) out[kind] = r;
      const total = results.reduce((a, [, r]) => a + r.requests, 0);
      out.all = { requests: total, req_per_s: Math.round((total / seconds) * 10) / 10 };

      if (!values['no-browser'] && choice.big) {
        say(`network ${choice.big.network_id} (${choice.big.size} members) in headless Chromium`);
        out.network_500_interactive = { size: choice.big.size, ...(await measureNetworkPage(server.url, cookies[0]!, choice.big.network_id, choice.snapshot.snapshot_id, Number(values.loads))) };
      }
      out.server_memory_mb = server.memoryMb();
    } finally {
      await server.stop();
    }
  } finally {
    removeTree(dir);
  }
  (out.machine as Record<string, unknown>).load_average_1m_at_end = Math.round(os.loadavg()[0]! * 100) / 100;
  return out;
}

let result: Record<string, unknown>;
try {
  result = await run();
} catch (e) {
  // the weekly benchmark goes on without this figure: the failure is reported, not thrown
  result = { error: String((e as Error)?.message ?? e), target: { p95_ms: 100 } };
}
process.stdout.write(JSON.stringify(result) + '\n');
process.exit(0);
