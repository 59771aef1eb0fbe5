// Dashboards load benchmark: 50 concurrent signed-in users on the network and nominal pages (autocannon,
// loopback), and the time for a 500-node network page to become interactive in headless Chromium.
// Run: node_modules/.bin/tsx test/dashboards/bench/load.ts [--seconds 30] [--nominals 20000]

import path from 'node:path';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { startServer } from '../../../dashboards/server.ts';
import { openServing } from '../../../dashboards/serving-store.ts';
import { addUser } from '../../../dashboards/accounts.ts';
import { removeTree } from '../../../pipelines/snapshot/durable-fs.ts';
import { tempDir } from '../../helpers/context.ts';
import { writeScaleSnapshot } from './scale-snapshot.ts';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<{ latency: Record<string, number>; requests: Record<string, number>; non2xx: number; errors: number }>;

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '30' }, nominals: { type: 'string', default: '20000' }, connections: { type: 'string', default: '50' } } });
const PASSWORD = 'benchmark password 1';

async function session(url: string): Promise<{ cookie: string }> {
  const login = await fetch(`${url}/login`);
  const loginCookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1]!;
  const res = await fetch(`${url}/login`, {
    method: 'POST', redirect: 'manual', headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, username: 'bench', password: PASSWORD }),
  });
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => c.startsWith('harmnet_session=')).join('; ');
  const landing = await (await fetch(`${url}/`, { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(landing)![1]!;
  await fetch(`${url}/caveats/acknowledge`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf }) });
  return { cookie };
}

const dir = tempDir('harmnet-bench-');
try {
  const snapshotsDir = path.join(dir, 'snapshots');
  const t0 = performance.now();
  const id = await writeScaleSnapshot(snapshotsDir, Number(values.nominals));
  console.log(`snapshot ${id} with ${values.nominals} nominals written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const servingFile = path.join(dir, 'serving.duckdb');
  const s = await openServing(servingFile);
  await addUser(s.db, { username: 'bench', role: 'analyst', password: PASSWORD }, new Date());
  s.release();
  const server = await startServer({ port: 0, snapshotsDir, servingFile });
  try {
    const { cookie } = await session(server.url);
    const n = Number(values.nominals);
    // seeded choice of pages so each run asks for the same mix; most are cold (not yet cached) the first time
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const mixed = (kind: 'nominal' | 'network') => () =>
      kind === 'nominal' ? `/nominals/N${next() % n}` : `/networks/NET-${50 + (next() % Math.floor((n - 500) / 10))}`;
    const runs: [string, string | (() => string)][] = [
      ['one network page (10 members), repeated', '/networks/NET-1001'],
      ['one nominal page, repeated', '/nominals/N12345'],
      ['network pages, varied (10 members each)', mixed('network')],
      ['nominal pages, varied', mixed('nominal')],
      ['network page (500 members), repeated', '/networks/NET-BIG'],
    ];
    await fetch(`${server.url}/networks/NET-1001`, { headers: { cookie } }); // open the snapshot once
    for (const [label, p] of runs) {
      const r = await autocannon({
        url: server.url, connections: Number(values.connections), duration: Number(values.seconds), headers: { cookie },
        requests: [{ method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, path: typeof p === 'string' ? p : p() }) }],
      });
      console.log(`${label}: ${values.connections} concurrent for ${values.seconds} s — ${r.requests.total} requests, ${r.requests.average} req/s, latency p50 ${r.latency.p50} ms, p90 ${r.latency.p90} ms, p97.5 ${r.latency.p97_5} ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}`);
    }
    if (existsSync('/usr/bin/chromium')) {
      const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
      const ctx = await browser.newContext();
      await ctx.addCookies([{ name: 'harmnet_session', value: cookie.split('=')[1]!, url: server.url }]);
      const page = await ctx.newPage();
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        await page.goto(`${server.url}/networks/NET-BIG`);
        await page.waitForSelector('#network-graph[data-rendered="true"]', { timeout: 30_000 });
        times.push(performance.now() - t);
      }
      console.log(`500-node network page interactive in headless Chromium: ${times.map((t) => t.toFixed(0)).join(', ')} ms (3 loads)`);
      await browser.close();
    }
  } finally {
    await server.close();
  }
} finally {
  removeTree(dir);
}
