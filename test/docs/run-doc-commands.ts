// Registers one vitest test per ```sh command and ```sql block of some doc pages, run in document order
// in one temp working folder (with a copy of the demo back-fill as var/ when asked). Rules: doc-commands.test.ts.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { demoBackfill } from '../helpers/demo.ts';
import { missingFragments, readDocBlocks, type DocCommand, type DocSqlBlock } from './collect-doc-commands.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Commands this test cannot run, and what runs them instead. Keep it short. */
export const NOT_RUN_HERE: { pattern: RegExp; reason: string }[] = [
  { pattern: /^npm install( && npm start)?$/, reason: '.ci/run runs `npm install` on a fresh machine before `npm test`; `npm start` is run here from docs/getting-started.md' },
  { pattern: /^npm test$/, reason: '.ci/run runs `npm test`, which includes this file' },
  { pattern: /^npm run notebooks$/, reason: 'test/notebooks/notebooks.test.ts executes every notebook headless against the demo back-fill' },
  { pattern: /^npm run bench\b/, reason: 'the benchmark runs minutes of force-scale work by hand (docs/performance.md); every stage it times is run here' },
  { pattern: /^(sudo )?apt-get install\b/, reason: '.ci/run installs chromium and Jupyter from Debian on a fresh machine' },
  { pattern: /^node_modules\/\.bin\/deno jupyter --install\b/, reason: '.ci/run registers the Deno kernel before `npm test`' },
  { pattern: /^duckdb\b/, reason: 'the DuckDB CLI is not a dependency; the ```sql blocks it would run are run by this test through @duckdb/node-api' },
  { pattern: /NEO4J_URI=|publish neo4j|^docker run\b|^neo4j-admin\b|^cypher-shell\b/, reason: 'needs a Neo4j server: test/neo4j/*.test.ts run against one when NEO4J_URI is set (docs/neo4j.md)' },
  { pattern: /^node_modules\/\.bin\/vitest run\b/, reason: 'a test command: part of `npm test`' },
  { pattern: /^git pull && npm install$/, reason: 'changes the checkout itself; .ci/run installs and tests every commit' },
];

/** Started, checked to come up (ready line; the dashboards answer over HTTP), then stopped with SIGTERM. */
const LONG_RUNNING: { pattern: RegExp; ready: RegExp }[] = [
  { pattern: /(^|\s)npm start\b|harmnet start\b(?!.*--no-serve)/, ready: /dashboards: (http:\/\/\S+)/ },
  { pattern: /harmnet serve\b/, ready: /harmnet dashboards at (http:\/\/\S+)/ },
  { pattern: /harmnet schedule\b(?!.*--once)/, ready: /harmnet schedule: waiting/ },
];

export type Step = ({ kind: 'command' } & DocCommand) | ({ kind: 'sql' } & DocSqlBlock);

/** The steps of the pages, each page's commands and SQL blocks in document order. */
export function collectSteps(pages: string[]): Step[] {
  const steps: Step[] = [];
  for (const page of pages) {
    const b = readDocBlocks(ROOT, page);
    const pageSteps: Step[] = [...b.commands.map((c) => ({ kind: 'command' as const, ...c })), ...b.sql.map((s) => ({ kind: 'sql' as const, ...s }))];
    steps.push(...pageSteps.sort((x, y) => x.line - y.line));
  }
  return steps;
}

function shim(dir: string, name: string, body: string): void {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
}

function makeWritable(dir: string): void {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) {
      chmodSync(p, 0o755);
      makeWritable(p);
    }
  }
}

export function defineDocCommandTests(title: string, pages: string[], options: { demo: boolean }): Step[] {
  const steps = collectSteps(pages);
  let work = '';
  let env: NodeJS.ProcessEnv = {};
  const exportsByPage = new Map<string, string[]>();
  const timings: { where: string; seconds: number }[] = [];

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'harmnet-docs-'));
    if (options.demo) {
      const demo = await demoBackfill();
      mkdirSync(path.join(work, 'var'));
      cpSync(demo.extracts, path.join(work, 'var/extracts'), { recursive: true });
      cpSync(demo.snapshots, path.join(work, 'var/snapshots'), { recursive: true });
      cpSync(demo.warehouse, path.join(work, 'var/warehouse.duckdb'));
    }
    const bin = path.join(work, '.bin');
    mkdirSync(bin);
    // node with tsx's loader: what node_modules/.bin/tsx does, in one process instead of two
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    shim(bin, 'harmnet', `exec "${process.execPath}" --import "${tsx}" "${ROOT}/pipelines/cli/main.ts" "$@"`);
    shim(bin, 'npx', `if [ "$1" = harmnet ]; then shift; exec harmnet "$@"; fi\necho "doc-commands: npx $1 is not run by this test" >&2; exit 127`);
    shim(bin, 'npm', `if [ "$1" = start ]; then shift; exec harmnet start "$@"; fi\necho "doc-commands: npm $* is not run by this test (add it to NOT_RUN_HERE with a reason)" >&2; exit 127`);
    env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(HARMNET_|NEO4J_)/.test(k) && k !== 'PORT'));
    env.PATH = `${bin}${path.delimiter}${process.env.PATH}`;
    env.PORT = '0';
    env.TZ = 'UTC';
  }, 600_000);

  afterAll(() => {
    if (timings.length) {
      const total = timings.reduce((a, t) => a + t.seconds, 0);
      const slow = [...timings].sort((a, b) => b.seconds - a.seconds).slice(0, 6);
      console.log(`${title}: ${timings.length} steps, ${total.toFixed(1)} s; slowest: ${slow.map((t) => `${t.where} ${t.seconds.toFixed(1)} s`).join('; ')}`);
      if (process.env.HARMNET_DOC_TIMINGS) writeFileSync(`${process.env.HARMNET_DOC_TIMINGS}-${title.replace(/\W+/g, '-')}.json`, JSON.stringify(timings, null, 1));
    }
    if (work) {
      makeWritable(work);
      rmSync(work, { recursive: true, force: true });
    }
  });

  const prelude = (file: string) => ['set -o pipefail', ...(exportsByPage.get(file) ?? [])].join('\n') + '\n';

  function run(command: string, file: string, timeoutMs = 180_000): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn('bash', ['-c', prelude(file) + command], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`timed out after ${timeoutMs / 1000} s: ${command}\n${out}`));
      }, timeoutMs);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, out });
      });
    });
  }

  function runLong(command: string, file: string, ready: RegExp): Promise<{ out: string; url?: string; status?: number }> {
    const cmd = command.replace(/--port \d+/g, '--port 0');
    return new Promise((resolve, reject) => {
      const child = spawn('bash', ['-c', prelude(file) + 'exec ' + cmd], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      let out = '';
      let done = false;
      const stop = () => {
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          /* already gone */
        }
      };
      const timer = setTimeout(() => {
        done = true;
        stop();
        reject(new Error(`no ready line (${ready}) within 180 s: ${command}\n${out}`));
      }, 180_000);
      const onData = async (d: Buffer) => {
        out += d;
        const m = ready.exec(out);
        if (!m || done) return;
        done = true;
        clearTimeout(timer);
        let status: number | undefined;
        if (m[1]) {
          try {
            status = (await fetch(m[1], { redirect: 'manual' })).status;
          } catch (e) {
            out += `\nfetch ${m[1]} failed: ${(e as Error).message}`;
          }
        }
        child.once('close', () => resolve({ out, url: m[1], status }));
        stop();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('close', (code) => {
        if (!done) {
          done = true;
          clearTimeout(timer);
          reject(new Error(`exited with ${code} before its ready line: ${command}\n${out}`));
        }
      });
    });
  }

  async function runSql(block: DocSqlBlock): Promise<number> {
    const instance = await DuckDBInstance.create(path.join(work, block.database), { access_mode: 'READ_ONLY' });
    const conn = await instance.connect();
    try {
      await conn.run(`SET file_search_path = '${work.replace(/'/g, "''")}'`);
      const statements = block.sql.split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter((s) => s && !/^(--[^\n]*\n?)+$/.test(s));
      let rows = 0;
      for (const s of statements) rows = (await conn.runAndReadAll(s)).getRows().length;
      return rows;
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  }

  describe.sequential(title, () => {
    for (const step of steps) {
      const where = `${step.file}:${step.line}`;
      if (step.kind === 'sql') {
        it(`${where} sql (${step.database})`, async () => {
          const t0 = performance.now();
          const rows = await runSql(step);
          timings.push({ where, seconds: (performance.now() - t0) / 1000 });
          expect(rows, 'the last statement of a shown query returns rows').toBeGreaterThan(0);
        });
        continue;
      }
      const command = step.command;
      const bare = command.replace(/\s+#[^'"]*$/, '');
      const skip = NOT_RUN_HERE.find((n) => n.pattern.test(bare));
      if (skip) {
        it.skip(`${where} ${command} — not run here: ${skip.reason}`, () => {});
        continue;
      }
      const exportLine = /^export \w+=\S*$/.test(bare);
      const long = LONG_RUNNING.find((l) => l.pattern.test(bare) && !/--help\b/.test(bare));
      it(`${where} ${command}`, async () => {
        const t0 = performance.now();
        try {
          if (exportLine) exportsByPage.set(step.file, [...(exportsByPage.get(step.file) ?? []), command]);
          if (long) {
            const r = await runLong(command, step.file, long.ready);
            if (r.url) expect(r.status, `GET ${r.url}\n${r.out}`).toBeLessThan(500);
            if (step.expect) expect(missingFragments(step.expect, r.out), r.out).toEqual([]);
            return;
          }
          const r = await run(command, step.file);
          expect(r.code, r.out).toBe(0);
          if (step.expect) expect(missingFragments(step.expect, r.out), r.out).toEqual([]);
        } finally {
          timings.push({ where, seconds: (performance.now() - t0) / 1000 });
        }
      });
    }
  });
  return steps;
}
