// Test helpers: a fresh in-memory DuckDB per test, silent log, fixed clock, default config.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Db } from '../../pipelines/core/db.ts';
import { resolveConfig, type Config } from '../../pipelines/core/config.ts';
import { silentLog, type Log } from '../../pipelines/core/log.ts';
import type { StageContext } from '../../pipelines/core/context.ts';

export const TEST_NOW = '2026-11-16T06:00:00Z';

export async function freshContext(options: { root?: string; log?: Log; now?: string; db?: Db } = {}): Promise<StageContext & { root: string }> {
  const root = options.root ?? tempDir();
  const config: Readonly<Config> = resolveConfig({ root });
  const db = options.db ?? (await Db.open(':memory:'));
  return { db, log: options.log ?? silentLog, clock: () => new Date(options.now ?? TEST_NOW), config, root };
}

export function tempDir(prefix = 'harmnet-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
