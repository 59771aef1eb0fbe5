// Same seed and options → byte-identical drops and truth; another seed → different data. Also checks
// the option validation and that a demo run is quick.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate } from '../../data-fixtures/generator/generate.ts';
import { isHarmnetError } from '../../pipelines/core/errors.ts';
import { removeDir, tempDir } from '../helpers/context.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

function hashes(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[path.relative(root, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(root);
  return out;
}

async function run(seed: number): Promise<{ dir: string; seconds: number }> {
  const dir = tempDir('harmnet-gen-det-');
  dirs.push(dir);
  const t0 = performance.now();
  await generate({ out: dir, seed });
  return { dir, seconds: (performance.now() - t0) / 1000 };
}

describe('generate determinism', () => {
  it('writes byte-identical files for the same seed, different ones for another seed, quickly', async () => {
    const a = await run(42);
    const b = await run(42);
    const c = await run(7);
    const ha = hashes(a.dir);
    expect(Object.keys(ha)).toHaveLength(16 * 6 + 5);
    expect(hashes(b.dir)).toEqual(ha);
    const hc = hashes(c.dir);
    expect(Object.keys(hc)).toEqual(Object.keys(ha));
    for (const f of ['2026-11-16/crime.csv', '2026-11-16/intel.csv', 'truth/people.csv', 'truth/identities.csv']) expect(hc[f]).not.toBe(ha[f]);
    // A demo generation takes about a second; allow for a loaded machine.
    expect(a.seconds).toBeLessThan(15);
  });

  it('refuses an as-of date that is not a Monday, and a bad scale, with a USAGE error', async () => {
    const dir = tempDir('harmnet-gen-bad-');
    dirs.push(dir);
    await expect(generate({ out: dir, asOf: '2026-11-17' })).rejects.toSatisfy((e) => isHarmnetError(e, 'USAGE') && /Monday/.test((e as Error).message));
    await expect(generate({ out: dir, scale: 'huge' as never })).rejects.toSatisfy((e) => isHarmnetError(e, 'USAGE'));
    await expect(generate({ out: dir, weeks: 0 })).rejects.toSatisfy((e) => isHarmnetError(e, 'USAGE'));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('honours --weeks and --as-of: N Monday drops ending at the given date', async () => {
    const dir = tempDir('harmnet-gen-weeks-');
    dirs.push(dir);
    const s = await generate({ out: dir, weeks: 3, asOf: '2025-03-03' });
    expect(s.as_of).toEqual(['2025-02-17', '2025-02-24', '2025-03-03']);
    expect(readdirSync(dir).sort()).toEqual(['2025-02-17', '2025-02-24', '2025-03-03', 'truth']);
    expect(s.events).toBeGreaterThanOrEqual(7);
  });
});
