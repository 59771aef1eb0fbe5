// Security properties: CSRF on every POST, a strict CSP and companion headers, session cookie flags,
// login throttling, scrypt password storage, and no inline script or style in any page.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServing } from '../../dashboards/serving-store.ts';
import { hashPassword, verifyPassword } from '../../dashboards/passwords.ts';
import { addUser, grantAccess } from '../../dashboards/accounts.ts';
import { Db } from '../../pipelines/core/db.ts';
import { SERVING_SCHEMA_SQL } from '../../dashboards/serving-store.ts';
import { PASSWORD, T0, postLogin, signedIn, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

describe('CSRF', () => {
  it('rejects a POST without the token, or with a wrong one, with 403 and stores nothing', async () => {
    const c = await signedIn(h.app, 'analyst1');
    const none = await c.post('/feedback', { kind: 'error', message: 'no token' }, false);
    expect(none.statusCode).toBe(403);
    const wrong = await c.post('/feedback', { _csrf: 'x'.repeat(43), kind: 'error', message: 'wrong token' }, false);
    expect(wrong.statusCode).toBe(403);
    const ok = await c.post('/feedback', { kind: 'bias', message: 'with token' });
    expect(ok.statusCode).toBe(303);
    const s = await openServing(h.servingFile);
    expect(await s.db.all('SELECT kind, message FROM feedback ORDER BY feedback_id')).toEqual([{ kind: 'bias', message: 'with token' }]);
    s.release();
  });

  it('rejects a sign-in POST without the login-form token', async () => {
    const res = await h.app.inject({
      method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ username: 'analyst1', password: PASSWORD }).toString(),
    });
    expect(res.statusCode).toBe(403);
    expect(res.cookies.find((x) => x.name === 'harmnet_session')).toBeUndefined();
  });

  it('rejects the caveat acknowledgement and sign-out without the token', async () => {
    const c = await signedIn(h.app, 'senior1', { acknowledge: false });
    expect((await c.post('/caveats/acknowledge', {}, false)).statusCode).toBe(403);
    expect((await c.post('/logout', {}, false)).statusCode).toBe(403);
    expect((await c.get('/')).statusCode).toBe(200); // still signed in
  });
});

describe('headers and cookies', () => {
  it('sends a strict Content-Security-Policy and companion headers on pages, errors and assets', async () => {
    const c = await signedIn(h.app, 'lab1');
    for (const res of [await c.get('/overview'), await h.app.inject({ url: '/login' }), await h.app.inject({ url: '/nope' }), await h.app.inject({ url: '/static/app.js' })]) {
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
  });

  it('puts no inline script, event handler or style attribute in any page', async () => {
    const c = await signedIn(h.app, 'lab1');
    for (const url of ['/', '/overview', '/networks', '/networks/NET-1', '/nominals/N1', '/nominals/N5', '/search?q=a', '/snapshots', '/feedback', '/audit', '/users', '/partner']) {
      const body = (await c.get(url)).body;
      expect(body, url).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i);
      expect(body, url).not.toMatch(/\son[a-z]+\s*=/i);
      expect(body, url).not.toMatch(/\sstyle\s*=/i);
    }
  });

  it('sets the session cookie httpOnly, SameSite=Strict, with an expiry 8 hours ahead', async () => {
    const res = await postLogin(h.app, 'auditor1', PASSWORD);
    const cookie = res.cookies.find((x) => x.name === 'harmnet_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(new Date(cookie.expires!).toISOString()).toBe(new Date(h.now.value.getTime() + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '.000Z'));
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('ends a session at its expiry', async () => {
    const c = await signedIn(h.app, 'analyst1');
    expect((await c.get('/overview')).statusCode).toBe(200);
    h.advance(8 * 60 + 1);
    const res = await c.get('/overview');
    expect([res.statusCode, res.headers.location]).toEqual([303, '/login']);
  });
});

describe('login throttling', () => {
  it('locks a user name from one address after 5 failures for 15 minutes, leaving other addresses alone', async () => {
    for (let i = 0; i < 5; i++) expect((await postLogin(h.app, 'senior1', 'wrong', '10.0.0.9')).statusCode).toBe(401);
    const locked = await postLogin(h.app, 'senior1', PASSWORD, '10.0.0.9');
    expect(locked.statusCode).toBe(429);
    expect(locked.cookies.find((x) => x.name === 'harmnet_session')).toBeUndefined();
    expect((await postLogin(h.app, 'senior1', PASSWORD, '10.0.0.10')).statusCode).toBe(303);
    h.advance(14);
    expect((await postLogin(h.app, 'senior1', PASSWORD, '10.0.0.9')).statusCode).toBe(429);
    h.advance(2);
    expect((await postLogin(h.app, 'senior1', PASSWORD, '10.0.0.9')).statusCode).toBe(303);
  });

  it('refuses a disabled account', async () => {
    const s = await openServing(h.servingFile);
    await s.db.run("UPDATE users SET disabled = true WHERE username = 'partner1'");
    s.release();
    expect((await postLogin(h.app, 'partner1', PASSWORD)).statusCode).toBe(401);
  });
});

describe('password storage', () => {
  it('stores scrypt (N=2^15, r=8, p=1) with a per-user salt, never the password', async () => {
    const s = await openServing(h.servingFile);
    const rows = await s.db.all<{ username: string; password_hash: string }>("SELECT username, password_hash FROM users WHERE username IN ('lab1', 'analyst1') ORDER BY username");
    s.release();
    for (const r of rows) {
      expect(r.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
      expect(r.password_hash).not.toContain(PASSWORD);
      expect(await verifyPassword(PASSWORD, r.password_hash)).toBe(true);
      expect(await verifyPassword(PASSWORD + 'x', r.password_hash)).toBe(false);
    }
    expect(rows[0]!.password_hash).not.toBe(rows[1]!.password_hash); // same password, different salts
  });

  it('hashes the same password differently each time', async () => {
    expect(await hashPassword('another password')).not.toBe(await hashPassword('another password'));
  });
});

describe('accounts and grants', () => {
  it('validates roles, user names, passwords and the Director-of-Intelligence authorisation', async () => {
    const db = await Db.open(':memory:');
    await db.runFile(SERVING_SCHEMA_SQL);
    await expect(addUser(db, { username: 'x1', role: 'superuser', password: PASSWORD }, T0)).rejects.toMatchObject({ code: 'USER_INVALID' });
    await expect(addUser(db, { username: 'x1', role: 'analyst', password: 'short' }, T0)).rejects.toMatchObject({ code: 'USER_INVALID' });
    const made = await addUser(db, { username: 'g1', role: 'guest' }, T0);
    expect(made.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    await expect(addUser(db, { username: 'g1', role: 'guest' }, T0)).rejects.toThrow(/already exists/);
    const until = new Date(T0.getTime() + 86400_000);
    await expect(grantAccess(db, { username: 'g1', until, authorisedBy: 'Jane Smith' }, T0)).rejects.toThrow(/Director of Intelligence/);
    await expect(grantAccess(db, { username: 'g1', until: T0, authorisedBy: 'Director of Intelligence: Jane Smith' }, T0)).rejects.toThrow(/not after now/);
    await addUser(db, { username: 'a1', role: 'analyst', password: PASSWORD }, T0);
    await expect(grantAccess(db, { username: 'a1', until, authorisedBy: 'Director of Intelligence: Jane Smith' }, T0)).rejects.toThrow(/guest accounts/);
    const g = await grantAccess(db, { username: 'g1', until, authorisedBy: 'Director of Intelligence: Jane Smith' }, T0);
    expect(g.authorised_by).toBe('Director of Intelligence: Jane Smith');
    db.close();
  });
});
