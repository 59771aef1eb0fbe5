// The scheduler as a real process: catches up missed weeks at start, waits on its cron, and stops
// cleanly on SIGTERM. Uses the real CLI and generated extracts.

import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { generate } from '../../data-fixtures/generator/generate.ts';
import { silentLog } from '../../pipelines/core/log.ts';
import { listSnapshots } from '../../pipelines/snapshot/read-snapshot.ts';
import { tempDir } from '../helpers/context.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
let extracts: string;

beforeAll(async () => {
  extracts = path.join(tempDir(), 'extracts');
  await generate({ out: extracts, weeks: 2, log: silentLog });
});

function harmnet(args: string[], home: string) {
  // node --import tsx runs the CLI in this one process, so a signal reaches it directly.
  return spawn(process.execPath, ['--import', 'tsx', path.join(root, 'pipelines/cli/main.ts'), ...args], {
    cwd: root,
    env: { ...process.env, HARMNET_HOME: home, TZ: 'UTC' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('harmnet schedule', () => {
  it('with no snapshot yet, runs the latest week once (--once) and exits 0', async () => {
    const home = tempDir();
    const child = harmnet(['schedule', '--extracts', extracts, '--once'], home);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(0);
    const week = JSON.parse(out.trim().split('\n').at(-1)!) as { as_of: string; snapshot_id: string };
    expect(week.as_of).toBe('2026-11-16');
    expect(listSnapshots(path.join(home, 'snapshots')).map((s) => s.as_of)).toEqual(['2026-11-16']);
  });

  it('waits on its cron and stops cleanly on SIGTERM', async () => {
    const home = tempDir();
    const child = harmnet(['schedule', '--extracts', path.join(home, 'no-drops-yet'), '--cron', '0 2 1 1 *'], home);
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`scheduler never said it was waiting: ${err}`)), 60_000);
      child.stderr.on('data', () => {
        if (/waiting; next run/.test(err)) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    child.kill('SIGTERM');
    const exit = await new Promise<{ code: number | null; signal: string | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
    expect(exit, `stderr: ${err}`).toEqual({ code: 0, signal: null }); // handled, not killed by the signal
    expect(err).toMatch(/SIGTERM received/);
  });

  it('refuses an invalid cron expression with a one-line usage error', async () => {
    const child = harmnet(['schedule', '--cron', 'every monday'], tempDir());
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/invalid --cron "every monday"/);
  });
});
