// Benchmark of the partner match service on a snapshot with match tables, printed as one JSON object:
//   node_modules/.bin/tsx test/match/bench-match.ts --snapshots DIR [--json] [--requests N] [--sql]
// (or bench-match.ts DIR). The engine alone (in-process), then the real dashboards server in a child
// process on loopback: partner accounts signed in through /login, caveats acknowledged, CSRF token
// from the partner page, 20 clients each sending its next single-row request as soon as the last is
// answered (closed loop), and 1,000-row lists. Rows: people held in the snapshot (from `nominals`)
// and made-up people, half and half. No bench-only configuration: each client is one partner's
// session, and the per-partner limit of 60 requests an hour is kept by moving to a fresh account.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '../../pipelines/core/config.ts';
import { Db, literal } from '../../pipelines/core/db.ts';
import { openMatcher, type Matcher } from '../../pipelines/match/matcher.ts';
import type { PartnerRow } from '../../pipelines/match/partner-input.ts';
import { PARTNER_LIMITS } from '../../pipelines/match/partner-policy.ts';
import { latestSnapshotId, readManifest, snapshotFolder } from '../../pipelines/snapshot/read-snapshot.ts';

const TARGET = { list_1000_seconds: 2, single_row_p99_ms: 50 };
const CONCURRENCY = 20;
const PER_PARTNER = 55; // requests per partner account, under PARTNER_LIMITS.maxRequestsPerHour (60)
const PASSWORD = 'bench partner password';
const here = fileURLToPath(import.meta.url);

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! * 10) / 10;
};
const median = (xs: number[]) => pct(xs, 50);
const summary = (xs: number[]) => ({ requests: xs.length, p50_ms: pct(xs, 50), p95_ms: pct(xs, 95), p99_ms: pct(xs, 99), max_ms: pct(xs, 100) });

/** Partner rows: held people by their names and DOB (every k-th nominal) and made-up people, alternating. */
async function benchRows(snapshotsDir: string, id: string, n: number): Promise<PartnerRow[]> {
  const db = await Db.open(':memory:');
  try {
    const file = path.join(snapshotFolder(snapshotsDir, id), readManifest(snapshotsDir, id).tables.nominals!.file);
    const held = await db.all<{ display_name: string; date_of_birth: string }>(
      `WITH t AS (SELECT display_name, strftime(date_of_birth, '%Y-%m-%d') AS date_of_birth, row_number() OVER (ORDER BY nominal_id) AS k, count(*) OVER () AS c
                  FROM read_parquet(${literal(file)}) WHERE date_of_birth IS NOT NULL AND display_name IS NOT NULL)
       SELECT display_name, date_of_birth FROM t WHERE k % greatest(1, c // $n) = 0 ORDER BY k LIMIT $n`,
      { n },
    );
    const made = ['SMITH', 'JONES', 'TAYLOR', 'KHAN', 'OKAFOR', 'NOWAK', "O'NEILL", 'Smith-Jones'];
    return Array.from({ length: n }, (_, i) => {
      const h = held[i >> 1];
      if (i % 2 === 0 && h) {
        const words = h.display_name.trim().split(/\s+/);
        return { line: i + 2, row_ref: `R${i}`, surname: words.at(-1)!, forenames: words.slice(0, -1).join(' ') || null, date_of_birth: h.date_of_birth, pnc: null, pnc_invalid: false, sex: null };
      }
      return {
        line: i + 2, row_ref: `R${i}`, surname: made[i % made.length]!, forenames: ['JOHN', 'AMY', 'LIAM', 'AISHA', 'Jean Paul'][i % 5]!,
        date_of_birth: new Date(Date.UTC(1950, 0, 1) + i * 86_400_000).toISOString().slice(0, 10), pnc: null, pnc_invalid: false, sex: null,
      };
    });
  } finally {
    db.close();
  }
}

async function engineFigures(matcher: Matcher, rows: PartnerRow[], say: (s: string) => void) {
  const resolution = defaultConfig().resolution;
  const list = rows.slice(0, 1000).map((r, i) => ({ ...r, line: i + 2 }));
  const lists: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    await matcher.match(list, resolution);
    lists.push(performance.now() - t);
  }
  say(`engine: 1,000-row list ${lists.map((x) => Math.round(x)).join(', ')} ms`);
  const alone: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await matcher.match([rows[1000 + i]!], resolution);
    alone.push(performance.now() - t);
  }
  const concurrent: number[] = [];
  const runsBefore = matcher.runs();
  for (let round = 0; round < 10; round++) {
    await Promise.all(Array.from({ length: CONCURRENCY }, async (_, i) => {
      const t = performance.now();
      await matcher.match([rows[1200 + round * CONCURRENCY + i]!], resolution);
      concurrent.push(performance.now() - t);
    }));
  }
  say(`engine: single row alone p99 ${pct(alone, 99)} ms; 20 at once p99 ${pct(concurrent, 99)} ms`);
  return {
    list_1000: { seconds: Math.round(median(lists)) / 1000, runs_ms: lists.map(Math.round) },
    single_row_alone: summary(alone),
    single_row_20_at_once: { concurrency: CONCURRENCY, ...summary(concurrent), scoring_runs: matcher.runs() - runsBefore },
  };
}

interface Reply { status: number; body: string; cookies: Record<string, string> }

function request(agent: http.Agent, url: string, method: string, pathName: string, body: string | null, headers: Record<string, string>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const u = new URL(pathName, url);
    const req = http.request({ agent, host: u.hostname, port: u.port, path: u.pathname, method, headers: body === null ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const cookies: Record<string, string> = {};
        for (const c of res.headers['set-cookie'] ?? []) {
          const [kv] = c.split(';');
          const at = kv!.indexOf('=');
          cookies[kv!.slice(0, at)] = kv!.slice(at + 1);
        }
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), cookies });
      });
    });
    req.on('error', reject);
    if (body !== null) req.write(body);
    req.end();
  });
}

const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();

/** Signs a partner in through the real pages: /login (CSRF cookie), caveats, the partner page's token. */
async function signIn(agent: http.Agent, url: string, username: string): Promise<{ cookie: string; csrf: string }> {
  const login = await request(agent, url, 'GET', '/login', null, {});
  const loginCsrf = login.cookies.harmnet_login_csrf!;
  const signed = await request(agent, url, 'POST', '/login', form({ _csrf: loginCsrf, username, password: PASSWORD }),
    { 'content-type': 'application/x-www-form-urlencoded', cookie: `harmnet_login_csrf=${loginCsrf}` });
  const session = signed.cookies.harmnet_session;
  if (signed.status !== 303 || !session) throw new Error(`sign-in of ${username} failed: HTTP ${signed.status}`);
  const cookie = `harmnet_session=${session}`;
  const home = await request(agent, url, 'GET', '/', null, { cookie });
  await request(agent, url, 'POST', '/caveats/acknowledge', form({ _csrf: csrfIn(home.body) }), { 'content-type': 'application/x-www-form-urlencoded', cookie });
  const partnerPage = await request(agent, url, 'GET', '/partner', null, { cookie });
  if (partnerPage.status !== 200) throw new Error(`partner page for ${username}: HTTP ${partnerPage.status}`);
  return { cookie, csrf: csrfIn(partnerPage.body) };
}

const META = { officer: 'DS 1234 Bench', purpose: 'Benchmark of the partner match service', legal_basis: 'DPA2018-PART3' };
const asJson = (r: PartnerRow) => ({ row_ref: r.row_ref, surname: r.surname, forenames: r.forenames ?? '', date_of_birth: r.date_of_birth });

async function httpFigures(snapshotsDir: string, rows: PartnerRow[], requests: number, say: (s: string) => void) {
  const work = mkdtempSync(path.join(os.tmpdir(), 'harmnet-bench-match-'));
  let child: ChildProcess | undefined;
  try {
    const servingFile = path.join(work, 'serving.duckdb');
    // One partner session per client (so no session has two requests in flight), each account used for
    // at most PER_PARTNER requests; plus three accounts for the warm-up and the 1,000-row lists.
    const perClient = Math.ceil(requests / CONCURRENCY);
    const rounds = Math.ceil(perClient / PER_PARTNER);
    const accounts = CONCURRENCY * rounds + 3;
    const { openServing } = await import('../../dashboards/serving-store.ts');
    const { addUser } = await import('../../dashboards/accounts.ts');
    const s = await openServing(servingFile);
    for (let k = 0; k < accounts; k++) await addUser(s.db, { username: `bench${k}`, role: 'partner', password: PASSWORD }, new Date());
    s.release();
    child = spawn(process.execPath, [...process.execArgv, here, '--serve', '--snapshots', snapshotsDir, '--serving', servingFile], { stdio: ['pipe', 'pipe', 'inherit'] });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child!.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const line = out.split('\n').find((l) => l.startsWith('{"url":'));
        if (line) {
          try {
            resolve((JSON.parse(line) as { url: string }).url);
          } catch (e) {
            reject(e as Error);
          }
        }
      });
      child!.on('exit', (code) => reject(new Error(`server exited (${code})`)));
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const sessions: { cookie: string; csrf: string }[] = [];
    for (let k = 0; k < accounts; k++) sessions.push(await signIn(agent, url, `bench${k}`));
    const post = (k: number, body: unknown) => request(agent, url, 'POST', '/api/partner/match', JSON.stringify(body),
      { 'content-type': 'application/json', cookie: sessions[k]!.cookie, 'x-csrf-token': sessions[k]!.csrf });
    let t = performance.now();
    const warm = await post(accounts - 1, { ...META, rows: [asJson(rows[0]!)] }); // opens the snapshot's matcher
    if (warm.status !== 200) throw new Error(`warm-up request: HTTP ${warm.status} ${warm.body.slice(0, 200)}`);
    const openSeconds = (performance.now() - t) / 1000;
    say(`http: server's first request (opens the snapshot) ${openSeconds.toFixed(1)} s`);
    const lists: number[] = [];
    for (let k = 0; k < 3; k++) {
      t = performance.now();
      const r = await post(accounts - 2 - (k % 2), { ...META, rows: rows.slice(2000 + k * 1000, 3000 + k * 1000).map(asJson) });
      if (r.status !== 200) throw new Error(`1,000-row list: HTTP ${r.status} ${r.body.slice(0, 200)}`);
      lists.push(performance.now() - t);
    }
    say(`http: 1,000-row list ${lists.map((x) => Math.round(x)).join(', ')} ms`);
    // Closed loop: 20 clients, each sends its next single-row request when the last is answered.
    const latencies: number[] = [];
    const failures: Record<string, number> = {};
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async (_, client) => {
      for (let own = 0; ; own++) {
        const k = next++;
        if (k >= requests) return;
        const t0 = performance.now();
        const r = await post(client + CONCURRENCY * Math.floor(own / PER_PARTNER), { ...META, rows: [asJson(rows[k % rows.length]!)] });
        latencies.push(performance.now() - t0);
        if (r.status !== 200) failures[String(r.status)] = (failures[String(r.status)] ?? 0) + 1;
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    // The floor on this machine at this moment: the same 20-client loop on GET /healthz (no session, no database).
    const floor: number[] = [];
    let nextFloor = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (nextFloor++ < requests) {
        const t0 = performance.now();
        await request(agent, url, 'GET', '/healthz', null, {});
        floor.push(performance.now() - t0);
      }
    }));
    say(`http: ${requests} single-row requests, 20 at a time: p50 ${pct(latencies, 50)} ms, p99 ${pct(latencies, 99)} ms; GET /healthz the same way: p50 ${pct(floor, 50)} ms, p99 ${pct(floor, 99)} ms`);
    agent.destroy();
    return {
      list_1000: { seconds: Math.round(median(lists)) / 1000, runs_ms: lists.map(Math.round) },
      single_row: { concurrency: CONCURRENCY, ...summary(latencies), requests_per_second: Math.round(requests / seconds), failures },
      first_request_seconds: Math.round(openSeconds * 10) / 10,
      healthz: { concurrency: CONCURRENCY, ...summary(floor) },
    };
  } finally {
    child?.stdin?.end();
    if (child && child.exitCode === null) await new Promise((r) => { child!.once('exit', r); setTimeout(() => { child!.kill(); r(null); }, 10_000); });
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(dir: string | undefined, requests: number, withSql: boolean, say: (s: string) => void) {
  if (!dir) throw new Error('usage: bench-match.ts --snapshots DIR [--json] [--requests N] [--sql]');
  const id = latestSnapshotId(dir);
  if (!id) throw new Error(`no snapshot in ${dir}`);
  const rows = await benchRows(dir, id, Math.max(5000, requests));
  let t = performance.now();
  const matcher = await openMatcher(dir, id);
  const openSeconds = (performance.now() - t) / 1000;
  say(`engine: snapshot ${id} opened in ${openSeconds.toFixed(1)} s (${Math.round(process.memoryUsage().rss / 1e6)} MB resident)`);
  let engine;
  try {
    engine = { open_seconds: Math.round(openSeconds * 10) / 10, ...(await engineFigures(matcher, rows, say)) };
  } finally {
    matcher.close();
  }
  let sql;
  if (withSql) {
    // The reference SQL path (resolve's SQL per request), one row at a time: what the engine replaced.
    const reference = await openMatcher(dir, id, { engine: 'sql', batchWindowMs: 0 });
    try {
      const times: number[] = [];
      for (let i = 0; i < 10; i++) {
        t = performance.now();
        await reference.match([rows[1000 + i]!], defaultConfig().resolution);
        times.push(performance.now() - t);
      }
      sql = { single_row_alone: summary(times) };
    } finally {
      reference.close();
    }
  }
  const viaHttp = await httpFigures(dir, rows, requests, say);
  return {
    snapshot: id,
    identities: Number(readManifest(dir, id).tables.match_identities?.rows ?? 0),
    method: `real dashboards server (child process) on loopback, JSON POST /api/partner/match with a partner session cookie and x-csrf-token; ${CONCURRENCY} clients in a closed loop; one partner account and session per client, partner limits as configured (${PARTNER_LIMITS.maxRequestsPerHour} requests an hour: a client moves to a fresh account after ${PER_PARTNER} requests); rows half held people (from nominals), half made up`,
    cores: os.cpus().length,
    load_average: os.loadavg().map((x) => Math.round(x * 100) / 100),
    list_1000: viaHttp.list_1000,
    single_row: viaHttp.single_row,
    first_request_seconds: viaHttp.first_request_seconds,
    // the same closed loop on GET /healthz (no session, no database): what HTTP alone costs on this machine now
    http_floor_healthz: viaHttp.healthz,
    engine,
    ...(sql ? { sql_engine: sql } : {}),
    target: TARGET,
    met: { list_1000: viaHttp.list_1000.seconds <= TARGET.list_1000_seconds, single_row_p99: viaHttp.single_row.p99_ms <= TARGET.single_row_p99_ms },
  };
}

if (flag('--serve')) {
  // Child: the real dashboards server on a free loopback port; prints its URL, stops when stdin closes.
  const { startServer } = await import('../../dashboards/server.ts');
  const server = await startServer({ port: 0, snapshotsDir: option('--snapshots')!, servingFile: option('--serving')! });
  process.stdout.write(JSON.stringify({ url: server.url }) + '\n');
  process.stdin.resume();
  process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
} else {
  const dir = option('--snapshots') ?? argv.find((a) => !a.startsWith('--') && argv[argv.indexOf(a) - 1] !== '--requests');
  const quiet = flag('--json');
  const say = (s: string) => { if (!quiet) process.stderr.write(s + '\n'); };
  const result = await main(dir, Number(option('--requests') ?? 2000), flag('--sql'), say).catch((e: unknown) => ({ skipped: `benchmark not run: ${(e as Error).message}` }));
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
}
