// `harmnet users …` through the real dispatcher on a temporary serving file: add (generated and given
// passwords), list, grant validation, disable, and verify-audit failing with exit code 4 on tampering.

import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../pipelines/cli/main.ts';
import { openServing } from '../../dashboards/serving-store.ts';
import { appendAudit } from '../../dashboards/audit.ts';
import { resetDemoAccounts } from '../../dashboards/demo-accounts.ts';
import { verifyPassword } from '../../dashboards/passwords.ts';
import { removeDir, tempDir } from '../helpers/context.ts';

let dir: string;
let serving: string;
let out: string[];
beforeEach(() => {
  dir = tempDir();
  serving = path.join(dir, 'serving.duckdb');
  out = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
  removeDir(dir);
});

describe('harmnet users', () => {
  it('adds, lists, grants and disables accounts', async () => {
    expect(await main(['users', 'add', 'ann', '--role', 'analyst', '--serving', serving, '--json'])).toBe(0);
    const added = JSON.parse(out.pop()!);
    expect(added).toMatchObject({ username: 'ann', role: 'analyst' });
    expect(added.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await main(['users', 'add', 'gus', '--role', 'guest', '--password', 'a long guest password', '--serving', serving])).toBe(0);
    await expect(main(['users', 'grant', 'gus', '--until', '2099-01-01', '--authorised-by', 'Bob', '--serving', serving])).rejects.toMatchObject({ code: 'USER_INVALID' });
    expect(await main(['users', 'grant', 'gus', '--until', '2099-01-01', '--authorised-by', 'Director of Intelligence: Jane Smith', '--serving', serving])).toBe(0);
    expect(await main(['users', 'disable', 'ann', '--serving', serving])).toBe(0);
    out.length = 0;
    expect(await main(['users', 'list', '--serving', serving])).toBe(0);
    expect(out.join('')).toBe('ann\tanalyst\tdisabled\ngus\tguest\tactive\tgrant until 2099-01-01T23:59:59Z\n');
    await expect(main(['users', 'add', 'xx', '--role', 'root', '--serving', serving])).rejects.toThrow(/unknown role "root"/);
  });

  it('verify-audit passes on an intact chain and exits 4 on a tampered one', async () => {
    const s = await openServing(serving);
    for (let i = 0; i < 3; i++) await appendAudit(s.db, { at: new Date('2026-11-16T08:00:00Z'), username: 'ann', role: 'analyst', action: 'view_nominal', subjectId: `N${i}` });
    s.release();
    expect(await main(['users', 'verify-audit', '--serving', serving])).toBe(0);
    expect(out.join('')).toContain('audit log intact: 3 entries');
    const t = await openServing(serving);
    await t.db.run("UPDATE audit_log SET username = 'someone' WHERE seq = 2");
    t.release();
    const err = await main(['users', 'verify-audit', '--serving', serving]).catch((e) => e);
    expect([err.code, err.exitCode, err.message]).toEqual(['AUDIT_CHAIN_BROKEN', 4, expect.stringContaining('broken at entry 2 of 3')]);
  });

  it('demo accounts: one per role, new working passwords at each reset', async () => {
    const s = await openServing(serving);
    const first = await resetDemoAccounts(s.db, new Date('2026-11-16T08:00:00Z'));
    const second = await resetDemoAccounts(s.db, new Date('2026-11-16T09:00:00Z'));
    expect(first.map((a) => a.role)).toEqual(['lab', 'analyst', 'senior', 'partner', 'auditor']);
    expect(second[0]!.password).not.toBe(first[0]!.password);
    const hash = await s.db.value<string>("SELECT password_hash FROM users WHERE username = 'demo-lab'");
    expect(await verifyPassword(second[0]!.password, hash)).toBe(true);
    expect(await verifyPassword(first[0]!.password, hash)).toBe(false);
    s.release();
  });
});
