// Shared by the dashboards benchmarks: the real server started in a child process on loopback, benchmark
// accounts with signed-in sessions (caveats acknowledged), and a seeded choice of pages from a snapshot.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Db, literal } from '../../../pipelines/core/db.ts';
import { openServing } from '../../../dashboards/serving-store.ts';
import { addUser } from '../../../dashboards/accounts.ts';
import { listSnapshots, type SnapshotInfo } from '../../../dashboards/snapshot-store.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const TSX = path.resolve(here, '..', '..', '..', 'node_modules', '.bin', 'tsx');
export const BENCH_PASSWORD = 'benchmark password 1';

export interface BenchServer {
  url: string;
  /** From process start to listening (Fastify up, serving database open; no snapshot opened yet). */
  startMs: number;
  /** Resident and peak resident memory of the server process in MB (Linux /proc; null elsewhere). */
  memoryMb(): { rss: number; peak: number } | null;
  stop(): Promise<void>;
}

/**
 * Starts dashboards/server.ts in its own process (bench-server.ts) and waits until it listens; a server
 * not listening within `listenLimitMs` (seen once on a loaded machine: stuck loading modules) is killed
 * and started once more.
 */
export async function spawnServer(snapshotsDir: string, servingFile: string, listenLimitMs = 90_000, retry = true): Promise<BenchServer> {
  const t0 = performance.now();
  const child: ChildProcess = spawn(TSX, [path.join(here, 'bench-server.ts'), '--snapshots', snapshotsDir, '--serving', servingFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  let url: string;
  let pid: number | undefined;
  try {
    url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', (line) => {
        const m = JSON.parse(line) as { url: string; pid: number };
        pid = m.pid; // the server's own process (tsx runs it in a child of its launcher)
        resolve(m.url);
      });
      child.once('exit', (code) => reject(new Error(`bench server exited (${code}) before listening`)));
      setTimeout(() => reject(new Error(`bench server not listening after ${listenLimitMs / 1000} s`)), listenLimitMs).unref();
    });
  } catch (e) {
    child.kill('SIGKILL');
    if (!retry) throw e;
    process.stderr.write(`bench: ${(e as Error).message}; starting it again\n`);
    return spawnServer(snapshotsDir, servingFile, listenLimitMs, false);
  }
  return {
    url,
    startMs: Math.round(performance.now() - t0),
    memoryMb: () => {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
        return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
      } catch {
        return null;
      }
    },
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** Creates `n` analyst accounts bench1..benchN in the serving file (before the server opens it). */
export async function addBenchUsers(servingFile: string, n: number): Promise<string[]> {
  const s = await openServing(servingFile);
  try {
    const names = Array.from({ length: n }, (_, i) => `bench${i + 1}`);
    for (const username of names) await addUser(s.db, { username, role: 'analyst', password: BENCH_PASSWORD }, new Date());
    return names;
  } finally {
    s.release();
  }
}

/** Signs in over HTTP as the given user and acknowledges the caveats; the session cookie. */
export async function signIn(url: string, username: string): Promise<string> {
  const login = await fetch(`${url}/login`);
  const loginCookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1]!;
  const res = await fetch(`${url}/login`, {
    method: 'POST', redirect: 'manual', headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, username, password: BENCH_PASSWORD }),
  });
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => c!.startsWith('harmnet_session=')).join('; ');
  if (!cookie) throw new Error(`bench: sign-in of ${username} failed (HTTP ${res.status})`);
  const landing = await (await fetch(`${url}/`, { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(landing)![1]!;
  await fetch(`${url}/caveats/acknowledge`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf }) });
  return cookie;
}

export interface PageChoice {
  snapshot: SnapshotInfo;
  /** Network ids: half a seeded uniform sample, half from the 1,000 with most recorded harm. */
  networks: string[];
  /** Nominal ids: half a seeded uniform sample, half members of those high-harm networks. */
  nominals: string[];
  /** The network whose size is closest to `bigSize` (ties: larger, then id). */
  big: { network_id: string; size: number } | null;
}

/** A seeded, reproducible choice of pages from the latest snapshot's Parquet files (read, never written). */
export async function choosePages(snapshotsDir: string, count: number, bigSize = 500): Promise<PageChoice> {
  const snapshot = listSnapshots(snapshotsDir)[0];
  if (!snapshot) throw new Error(`bench: no snapshot in ${snapshotsDir}`);
  const db = await Db.open(':memory:');
  try {
    const nets = literal(path.join(snapshot.dir, 'networks.parquet'));
    const noms = literal(path.join(snapshot.dir, 'nominals.parquet'));
    const half = Math.ceil(count / 2);
    await db.run(`CREATE TABLE top AS SELECT network_id FROM read_parquet(${nets}) ORDER BY harm_cchi DESC NULLS LAST, network_id LIMIT 1000`);
    const networks = (await db.all<{ id: string }>(
      `(SELECT network_id AS id FROM read_parquet(${nets}) ORDER BY hash(network_id || 'bench-7'), network_id LIMIT $half)
       UNION ALL (SELECT network_id FROM top ORDER BY hash(network_id || 'bench-7b'), network_id LIMIT $half)`, { half })).map((r) => r.id);
    const nominals = (await db.all<{ id: string }>(
      `(SELECT nominal_id AS id FROM read_parquet(${noms}) ORDER BY hash(nominal_id || 'bench-7'), nominal_id LIMIT $half)
       UNION ALL (SELECT nominal_id FROM read_parquet(${noms}) WHERE network_id IN (SELECT network_id FROM top) ORDER BY hash(nominal_id || 'bench-7b'), nominal_id LIMIT $half)`,
      { half })).map((r) => r.id);
    const big = (await db.one<{ network_id: string; size: number }>(
      `SELECT network_id, size::INTEGER AS size FROM read_parquet(${nets}) ORDER BY abs(size - $big), size DESC, network_id LIMIT 1`, { big: bigSize })) ?? null;
    // interleave the two halves so any prefix mixes both
    const mix = (xs: string[]) => xs.slice(0, half).flatMap((x, i) => (xs[half + i] !== undefined ? [x, xs[half + i]!] : [x]));
    return { snapshot, networks: mix(networks), nominals: mix(nominals), big };
  } finally {
    db.close();
  }
}

/** The value at quantile q (0-1) of sorted numbers, nearest-rank; null when empty. */
export function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Polls /healthz until the server reports its latest snapshot ready (warmed up); the milliseconds waited. */
export async function waitReady(url: string, limitMs = 15 * 60_000): Promise<number> {
  const t = performance.now();
  while (performance.now() - t < limitMs) {
    const h = (await (await fetch(`${url}/healthz`)).json()) as { ready?: boolean };
    if (h.ready) return Math.round(performance.now() - t);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`bench: the server did not report the snapshot ready within ${limitMs / 1000} s`);
}
