// Test harness for the dashboards: fixture snapshots, a serving file with one account per role, the
// real Fastify app driven with inject(), a movable clock, and sign-in / caveat helpers.

import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildServer } from '../../dashboards/server.ts';
import { openServing } from '../../dashboards/serving-store.ts';
import { addUser, grantAccess } from '../../dashboards/accounts.ts';
import { tempDir } from '../helpers/context.ts';
import { removeTree } from '../../pipelines/snapshot/durable-fs.ts';
import { writeFixtureSnapshots, type FixtureIds } from './fixture-snapshot.ts';

export const T0 = new Date('2026-11-16T08:00:00Z');
export const PASSWORD = 'a long test password 1';

export interface Harness {
  app: FastifyInstance;
  dir: string;
  snapshotsDir: string;
  servingFile: string;
  ids: FixtureIds;
  now: { value: Date };
  advance(minutes: number): void;
  close(): Promise<void>;
}

/** Accounts: one per role, plus guest (live grant) and guest-expired (grant ended an hour after T0). */
export const ACCOUNTS: { username: string; role: string }[] = [
  { username: 'lab1', role: 'lab' },
  { username: 'analyst1', role: 'analyst' },
  { username: 'senior1', role: 'senior' },
  { username: 'partner1', role: 'partner' },
  { username: 'auditor1', role: 'auditor' },
  { username: 'guest1', role: 'guest' },
  { username: 'guest-expired', role: 'guest' },
];

export async function startHarness(options: { demo?: boolean; accounts?: boolean } = {}): Promise<Harness> {
  const dir = tempDir('harmnet-dash-');
  const snapshotsDir = path.join(dir, 'snapshots');
  const servingFile = path.join(dir, 'serving.duckdb');
  const ids = await writeFixtureSnapshots(snapshotsDir);
  const now = { value: T0 };
  const serving = await openServing(servingFile);
  if (options.accounts !== false) {
    for (const a of ACCOUNTS) await addUser(serving.db, { ...a, password: PASSWORD }, T0);
    await grantAccess(serving.db, { username: 'guest1', until: new Date(T0.getTime() + 30 * 86400_000), authorisedBy: 'Director of Intelligence: Jane Smith' }, T0);
    await grantAccess(serving.db, { username: 'guest-expired', until: new Date(T0.getTime() + 3600_000), authorisedBy: 'Director of Intelligence: Jane Smith' }, T0);
  }
  const built = await buildServer({ port: 0, snapshotsDir, servingFile, demo: options.demo ?? true, clock: () => now.value });
  serving.release();
  return {
    app: built.app,
    dir,
    snapshotsDir,
    servingFile,
    ids,
    now,
    advance(minutes) {
      now.value = new Date(now.value.getTime() + minutes * 60_000);
    },
    async close() {
      await built.close();
      removeTree(dir);
    },
  };
}

export function csrfFrom(body: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(body);
  if (!m) throw new Error('no CSRF token in page');
  return m[1]!;
}

export function cookieFrom(res: LightMyRequestResponse, name: string): string | undefined {
  return res.cookies.find((c) => c.name === name)?.value;
}

export interface Client {
  cookie: string;
  csrf: string;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, form?: Record<string, string>, withCsrf?: boolean): Promise<LightMyRequestResponse>;
}

export async function loginForm(app: FastifyInstance, ip = '127.0.0.1'): Promise<{ token: string; cookie: string }> {
  const res = await app.inject({ method: 'GET', url: '/login', remoteAddress: ip });
  return { token: csrfFrom(res.body), cookie: `harmnet_login_csrf=${cookieFrom(res, 'harmnet_login_csrf')}` };
}

export async function postLogin(app: FastifyInstance, username: string, password: string, ip = '127.0.0.1') {
  const f = await loginForm(app, ip);
  return app.inject({
    method: 'POST', url: '/login', remoteAddress: ip, headers: { cookie: f.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: f.token, username, password }).toString(),
  });
}

/** Signs in and (unless told not to) acknowledges the caveats. */
export async function signedIn(app: FastifyInstance, username: string, options: { acknowledge?: boolean } = {}): Promise<Client> {
  const f = await loginForm(app);
  const res = await app.inject({
    method: 'POST', url: '/login', headers: { cookie: f.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: f.token, username, password: PASSWORD }).toString(),
  });
  if (res.statusCode !== 303) throw new Error(`sign-in of ${username} failed: ${res.statusCode}`);
  const cookie = `harmnet_session=${cookieFrom(res, 'harmnet_session')}`;
  const landing = await app.inject({ method: 'GET', url: '/', headers: { cookie } });
  // an expired guest sees a 403 page, which still carries the sign-out form and its token
  const csrf = /name="_csrf"/.test(landing.body) ? csrfFrom(landing.body) : '';
  const client: Client = {
    cookie,
    csrf,
    get: (url) => app.inject({ method: 'GET', url, headers: { cookie } }),
    post: (url, form = {}, withCsrf = true) =>
      app.inject({
        method: 'POST', url, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(withCsrf ? { _csrf: csrf, ...form } : form).toString(),
      }),
  };
  if (options.acknowledge !== false && landing.statusCode === 200) {
    const ack = await client.post('/caveats/acknowledge');
    if (ack.statusCode !== 303) throw new Error(`caveat acknowledgement of ${username} failed: ${ack.statusCode}`);
  }
  return client;
}
