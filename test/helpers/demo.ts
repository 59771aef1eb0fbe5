// The demo back-fill shared by integration tests: 16 generated weekly drops run through the real weekly
// job once, cached under the OS temp dir keyed by a hash of the code that produces it, and guarded by
// a lock folder so parallel test workers build it once.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '../../data-fixtures/generator/generate.ts';
import { Db } from '../../pipelines/core/db.ts';
import { resolveConfig } from '../../pipelines/core/config.ts';
import { silentLog } from '../../pipelines/core/log.ts';
import { listDrops } from '../../pipelines/run/drops.ts';
import { runWeeks } from '../../pipelines/run/run-weeks.ts';
import { TEST_NOW } from './context.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CODE_DIRS = ['pipelines', 'graph', 'data-fixtures/generator', 'data-fixtures/reference'];

function codeHash(): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|sql|csv|json)$/.test(name)) h.update(p.slice(root.length)).update(readFileSync(p));
    }
  };
  for (const d of CODE_DIRS) walk(path.join(root, d));
  return h.digest('hex').slice(0, 16);
}

export interface DemoBackfill {
  extracts: string;
  truth: string;
  snapshots: string;
  warehouse: string;
  weeks: string[];
}

async function sleep(ms: number) {
  await new Promise((r) => setTimeout(r, ms));
}

/** Builds (or reuses) the demo back-fill. Never modify what it returns: copy it first. */
export async function demoBackfill(): Promise<DemoBackfill> {
  const dir = process.env.HARMNET_TEST_DEMO ?? path.join(os.tmpdir(), `harmnet-demo-${codeHash()}`);
  const done = path.join(dir, 'COMPLETE');
  const lock = `${dir}.lock`;
  const result = (): DemoBackfill => {
    const extracts = path.join(dir, 'extracts');
    return { extracts, truth: path.join(extracts, 'truth'), snapshots: path.join(dir, 'snapshots'), warehouse: path.join(dir, 'warehouse.duckdb'), weeks: listDrops(extracts) };
  };
  for (;;) {
    if (existsSync(done)) return result();
    try {
      mkdirSync(lock);
    } catch {
      // another worker is building it; a lock older than 15 minutes is from a dead run
      if (Date.now() - statSync(lock).mtimeMs > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      await sleep(1000);
      continue;
    }
    try {
      rmSync(dir, { recursive: true, force: true });
      const extracts = path.join(dir, 'extracts');
      await generate({ out: extracts, log: silentLog });
      const config = resolveConfig({ root: dir, warehouse: path.join(dir, 'warehouse.duckdb'), snapshots: path.join(dir, 'snapshots') });
      const db = await Db.open(config.paths.warehouse);
      try {
        await runWeeks({ db, log: silentLog, clock: () => new Date(TEST_NOW), config }, { extractsDir: extracts, weeks: listDrops(extracts), codeVersion: 'test' });
      } finally {
        db.close();
      }
      writeFileSync(done, new Date().toISOString());
      return result();
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
