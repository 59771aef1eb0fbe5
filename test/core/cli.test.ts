import { describe, expect, it } from 'vitest';
import { main } from '../../pipelines/cli/main.ts';
import { HarmnetError } from '../../pipelines/core/errors.ts';

describe('harmnet CLI dispatcher', () => {
  it('rejects an unknown command with a usage error naming it', async () => {
    await expect(main(['bogus'])).rejects.toMatchObject({ name: 'HarmnetError', code: 'USAGE' });
    await expect(main(['bogus'])).rejects.toThrow(/unknown command "bogus"/);
  });

  it('exit code for usage errors is 2', () => {
    expect(new HarmnetError('USAGE', 'x').exitCode).toBe(2);
    expect(new HarmnetError('NOT_YET_AVAILABLE', 'x').exitCode).toBe(2);
    expect(new HarmnetError('SNAPSHOT_TAMPERED', 'x').exitCode).toBe(4);
  });
});
