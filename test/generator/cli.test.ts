// `harmnet generate` through the real dispatcher: flags reach generate(), --json prints one summary
// object on stdout, and misuse is a USAGE error.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../pipelines/cli/main.ts';
import { removeDir, tempDir } from '../helpers/context.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

describe('harmnet generate', () => {
  it('writes the requested drops and prints a JSON summary with --json', async () => {
    const dir = tempDir('harmnet-gen-cli-');
    dirs.push(dir);
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    try {
      expect(await main(['generate', '--out', dir, '--weeks', '2', '--seed', '5', '--as-of', '2026-11-16', '--json'])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const summary = JSON.parse(out.join(''));
    expect(summary).toMatchObject({ seed: 5, scale: 'demo', weeks: 2, as_of: ['2026-11-09', '2026-11-16'] });
    expect(summary.rows.crime).toBeGreaterThan(1000);
    expect(existsSync(path.join(dir, '2026-11-09', 'manifest.json'))).toBe(true);
    expect(existsSync(path.join(dir, 'truth', 'events.csv'))).toBe(true);
  });

  it('rejects a missing --out, a non-numeric seed and an unknown scale', async () => {
    await expect(main(['generate'])).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/--out/) });
    await expect(main(['generate', '--out', '/tmp/x', '--seed', 'abc'])).rejects.toMatchObject({ code: 'USAGE' });
    await expect(main(['generate', '--out', '/tmp/x', '--scale', 'city'])).rejects.toMatchObject({ code: 'USAGE' });
  });
});
