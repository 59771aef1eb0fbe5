import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { freshContext, removeDir } from '../helpers/context.ts';
import { writeSnapshot } from '../../pipelines/snapshot/write-snapshot.ts';
import { verifySnapshot } from '../../pipelines/snapshot/verify-snapshot.ts';
import { listSnapshots } from '../../pipelines/snapshot/read-snapshot.ts';
import { buildWarehouse, INPUTS, REFERENCE, TABLES } from './fixtures/warehouse.ts';
import type { StageContext } from '../../pipelines/core/context.ts';

// `node --import tsx`, not the tsx launcher: the launcher runs the script in a second process that a
// SIGKILL of the launcher would leave running (an orphan that finishes the write and hides the crash).
const CHILD = path.resolve('test/snapshot/fixtures/write-large-snapshot.ts');
const childAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the child writer and SIGKILLs it as soon as `when(tmpFolderEntries)` holds for its hidden
 * work folder. Resolves with what was seen at the kill (null if the child finished first).
 */
async function killDuring(snapshotsDir: string, asOf: string, when: (entries: string[]) => boolean): Promise<string[] | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, snapshotsDir, asOf, '300000'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<number | null>((r) => child.on('exit', (code, signal) => r(signal === 'SIGKILL' ? -9 : code)));
  let seen: string[] | null = null;
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    const tmp = existsSync(snapshotsDir) ? readdirSync(snapshotsDir).find((n) => n.startsWith('.tmp-')) : undefined;
    if (tmp) {
      let entries: string[] = [];
      try {
        entries = readdirSync(path.join(snapshotsDir, tmp));
      } catch {
        entries = []; // renamed away between the two reads
      }
      if (when(entries)) {
        child.kill('SIGKILL');
        seen = entries;
        break;
      }
    }
    await sleep(2);
  }
  const code = await exited;
  expect(childAlive(child.pid!)).toBe(false);
  if (seen === null && code !== 0) throw new Error(`child failed (${code}): ${stderr}`);
  return seen;
}

describe('a snapshot write killed with SIGKILL', () => {
  let ctx: StageContext & { root: string };
  let dir: string;
  let earlier: string;

  beforeAll(async () => {
    ctx = await freshContext();
    await buildWarehouse(ctx.db);
    dir = ctx.config.paths.snapshots;
    earlier = (await writeSnapshot(ctx, { asOf: '2026-11-16', tables: TABLES, inputs: INPUTS, referenceTables: REFERENCE, codeVersion: 'abc' })).snapshotId;
  });
  afterAll(() => {
    ctx.db.close();
    removeDir(ctx.root);
  });

  it('just after its work folder appears leaves nothing partial visible and the earlier snapshot intact', async () => {
    const seen = await killDuring(dir, '2026-11-23', () => true);
    expect(seen).not.toBeNull();
    expect(readdirSync(dir).some((n) => n.startsWith('.tmp-'))).toBe(true); // the debris is there, hidden
    expect(listSnapshots(dir).map((s) => s.snapshot_id)).toEqual([earlier]);
    await expect(verifySnapshot(dir, earlier)).resolves.toMatchObject({ ok: true });
  });

  it('in the middle of writing a Parquet file leaves nothing partial visible; the next run completes and cleans up', async () => {
    const seen = await killDuring(dir, '2026-11-23', (entries) => entries.some((e) => e.endsWith('.parquet')));
    expect(seen!.some((e) => e.endsWith('.parquet'))).toBe(true);
    expect(seen).not.toContain('manifest.json');
    expect(listSnapshots(dir).map((s) => s.snapshot_id)).toEqual([earlier]);
    await expect(verifySnapshot(dir, earlier)).resolves.toMatchObject({ ok: true });

    // The next run (here: the same child, not killed) completes; stale work folders are removed.
    const finished = await killDuring(dir, '2026-11-23', () => false);
    expect(finished).toBeNull();
    const ids = listSnapshots(dir).map((s) => s.snapshot_id);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(earlier);
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
    await expect(verifySnapshot(dir, ids[1]!)).resolves.toMatchObject({ ok: true, files: 4 });
  });
});
