// Time for a large network page to become interactive in headless Chromium: navigation start until the
// sigma.js graph has drawn (#network-graph[data-rendered]). Each load is a fresh browser context (no cache).
// Standalone: node_modules/.bin/tsx test/dashboards/bench/network-page-bench.ts --snapshots DIR [--loads 5] [--json]

import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { removeTree } from '../../../pipelines/snapshot/durable-fs.ts';
import { tempDir } from '../../helpers/context.ts';
import { addBenchUsers, choosePages, quantile, signIn, spawnServer, waitReady } from './bench-helpers.ts';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface InteractiveResult {
  network_id: string;
  nodes: number;
  /** First load: server cache and browser cache both cold. */
  first_seconds: number;
  /** Median of the later loads (fresh browser context each, server cache warm). */
  later_median_seconds: number | null;
  loads_seconds: number[];
  /** The figure against the target: the first (cold) load — what an analyst waits for the first time. */
  seconds: number;
  target: { seconds: number };
  error?: string;
}

export async function measureNetworkPage(url: string, cookie: string, networkId: string, snapshotId: string, loads = 5): Promise<InteractiveResult | { skipped: string }> {
  if (!existsSync(CHROMIUM)) return { skipped: `${CHROMIUM} not found` };
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const times: number[] = [];
    let nodes = 0;
    for (let i = 0; i < loads; i++) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await ctx.addCookies([{ name: 'harmnet_session', value: cookie.split('=')[1]!, url }]);
      const page = await ctx.newPage();
      const t = performance.now();
      await page.goto(`${url}/networks/${encodeURIComponent(networkId)}?snapshot=${encodeURIComponent(snapshotId)}`, { waitUntil: 'commit' });
      await page.waitForSelector('#network-graph[data-rendered="true"]', { timeout: 60_000 });
      times.push(performance.now() - t);
      nodes = Number(await page.getAttribute('#network-graph', 'data-nodes'));
      await ctx.close();
    }
    const later = times.slice(1).sort((a, b) => a - b);
    const s = (ms: number) => Math.round(ms) / 1000;
    return {
      network_id: networkId,
      nodes,
      first_seconds: s(times[0]!),
      later_median_seconds: later.length ? s(quantile(later, 0.5)!) : null,
      loads_seconds: times.map(s),
      seconds: s(times[0]!),
      target: { seconds: 2 },
    };
  } finally {
    await browser.close();
  }
}

// standalone
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { snapshots: { type: 'string' }, loads: { type: 'string', default: '5' }, json: { type: 'boolean', default: false } } });
  if (!values.snapshots) {
    process.stderr.write('network-page-bench: --snapshots DIR is required\n');
    process.exit(2);
  }
  const dir = tempDir('harmnet-netbench-');
  try {
    const servingFile = path.join(dir, 'serving.duckdb');
    const [user] = await addBenchUsers(servingFile, 1);
    const choice = await choosePages(values.snapshots, 2);
    process.stderr.write(`network-page-bench: ${choice.big ? `network ${choice.big.network_id} (${choice.big.size} members)` : 'no network'}; starting the server\n`);
    const server = await spawnServer(values.snapshots, servingFile);
    try {
      process.stderr.write(`network-page-bench: server at ${server.url} after ${server.startMs} ms\n`);
      const cookie = await signIn(server.url, user!);
      const warm = await waitReady(server.url);
      process.stderr.write(`network-page-bench: snapshot ready ${warm} ms after listening\n`);
      const r = choice.big ? await measureNetworkPage(server.url, cookie, choice.big.network_id, choice.snapshot.snapshot_id, Number(values.loads)) : { skipped: 'no network' };
      process.stdout.write(JSON.stringify({ network_500_interactive: r }) + '\n');
    } finally {
      await server.stop();
    }
  } finally {
    removeTree(dir);
  }
}
