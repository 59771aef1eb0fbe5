// Every route × every role (anonymous, each role, a guest with a live grant and one whose grant has
// expired) → the expected HTTP status, as one table. A route added to roles.ts without a row fails.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../dashboards/roles.ts';
import { PARTNER_ROUTES } from '../../dashboards/partner/register-partner-routes.ts';
import { ACCOUNTS, postLogin, signedIn, startHarness, type Client, type Harness } from './harness.ts';

const COLUMNS = ['anonymous', 'lab1', 'analyst1', 'senior1', 'partner1', 'auditor1', 'guest1', 'guest-expired'] as const;

// [method, route pattern, concrete url, expected status per column]
// 303 for a signed-out page view is the redirect to /login; 401 for signed-out API/POST.
const MATRIX: [string, string, string, number[]][] = [
  //                                                                anon  lab  anal  sen  part  aud  guest  expired
  ['GET', '/login', '/login',                                      [200, 200, 200, 200, 200, 200, 200, 200]],
  ['POST', '/login', '/login',                                     [401, 401, 401, 401, 401, 401, 401, 401]],
  ['GET', '/healthz', '/healthz',                                  [200, 200, 200, 200, 200, 200, 200, 200]],
  ['GET', '/static/*', '/static/app.css',                          [200, 200, 200, 200, 200, 200, 200, 200]],
  ['GET', '/vendor/:file', '/vendor/sigma.min.js',                 [200, 200, 200, 200, 200, 200, 200, 200]],
  ['GET', '/', '/',                                                [303, 200, 200, 200, 200, 200, 200, 403]],
  ['POST', '/caveats/acknowledge', '/caveats/acknowledge',         [401, 303, 303, 303, 303, 303, 303, 403]],
  ['GET', '/overview', '/overview',                                [303, 200, 200, 200, 403, 403, 200, 403]],
  ['GET', '/networks', '/networks',                                [303, 200, 200, 200, 403, 403, 200, 403]],
  ['GET', '/networks/:id', '/networks/NET-1',                      [303, 200, 200, 200, 403, 403, 200, 403]],
  ['GET', '/api/networks/:id/graph', '/api/networks/NET-1/graph',  [401, 200, 200, 200, 403, 403, 200, 403]],
  ['GET', '/networks/:id/harm-trend.svg', '/networks/NET-1/harm-trend.svg', [303, 200, 200, 200, 403, 403, 200, 403]],
  ['GET', '/networks/:id/record-map.svg', '/networks/NET-1/record-map.svg', [303, 200, 200, 200, 403, 403, 200, 403]],
  ['GET', '/nominals/:id', '/nominals/N1',                         [303, 200, 200, 200, 403, 403, 200, 403]],
  ['GET', '/search', '/search?q=adams',                            [303, 200, 200, 403, 403, 403, 403, 403]],
  ['GET', '/export/networks/:id', '/export/networks/NET-1',        [303, 200, 200, 403, 403, 403, 403, 403]],
  ['GET', '/charts/:name', '/charts/harm-trend-by-network-type',   [303, 200, 200, 200, 403, 403, 200, 403]],
  ['GET', '/snapshots', '/snapshots',                              [303, 200, 200, 200, 403, 200, 200, 403]],
  ['GET', '/snapshots/:id/verify', '/snapshots/{new}/verify',     [303, 200, 200, 200, 403, 200, 200, 403]],
  ['GET', '/snapshots/diff', '/snapshots/diff?a={old}&b={new}',    [303, 200, 200, 200, 403, 403, 200, 403]],
  // a disclosure bundle (network NET-1) is made by the lab and auditors only, then a 303 to its download; a token nobody made is a 404
  ['POST', '/snapshots/:id/disclosure', '/snapshots/{new}/disclosure', [401, 303, 403, 403, 403, 303, 403, 403]],
  ['GET', '/disclosures/:token', '/disclosures/not-a-token',       [303, 404, 403, 403, 403, 404, 403, 403]],
  ['GET', '/feedback', '/feedback',                                [303, 200, 200, 200, 403, 200, 200, 403]],
  ['POST', '/feedback', '/feedback',                               [401, 303, 303, 303, 403, 303, 303, 403]],
  ['GET', '/feedback/list', '/feedback/list',                      [303, 200, 403, 403, 403, 403, 403, 403]],
  ['POST', '/feedback/:id/status', '/feedback/1/status',          [401, 303, 403, 403, 403, 403, 403, 403]],
  ['GET', '/audit', '/audit',                                      [303, 200, 403, 403, 403, 200, 403, 403]],
  ['GET', '/partner', '/partner',                                  [303, 200, 403, 403, 200, 403, 403, 403]],
  // partner match service (dashboards/partner/): the fixture snapshot has no match tables, so a partner's request is a 503 naming why
  // (the upload form without a file is a 400 first);
  // an unknown request id is a 404 for the lab and partners; an empty review form is a 400
  ['POST', '/api/partner/match', '/api/partner/match',             [401, 403, 403, 403, 503, 403, 403, 403]],
  ['POST', '/partner/upload', '/partner/upload',                   [401, 403, 403, 403, 400, 403, 403, 403]],
  ['GET', '/partner/requests/:id', '/partner/requests/PM-1',       [303, 404, 403, 403, 404, 403, 403, 403]],
  ['GET', '/partner/requests/:id/result.csv', '/partner/requests/PM-1/result.csv', [303, 404, 403, 403, 404, 403, 403, 403]],
  ['GET', '/partner/review', '/partner/review',                    [303, 200, 403, 403, 403, 403, 403, 403]],
  ['POST', '/partner/review', '/partner/review',                   [401, 400, 403, 403, 403, 403, 403, 403]],
  ['GET', '/users', '/users',                                      [303, 200, 403, 403, 403, 403, 403, 403]],
  // accountability: the transparency register is public (no personal data), so even an expired guest gets it
  ['GET', '/fairness', '/fairness',                                [303, 200, 200, 200, 403, 200, 403, 403]],
  ['GET', '/transparency', '/transparency',                        [200, 200, 200, 200, 200, 200, 200, 200]],
  ['GET', '/evaluation', '/evaluation',                            [303, 200, 403, 403, 403, 200, 403, 403]],
  ['POST', '/logout', '/logout',                                   [401, 303, 303, 303, 303, 303, 303, 303]],
];

let h: Harness;
const clients = new Map<string, Client>();

beforeAll(async () => {
  h = await startHarness();
  h.advance(120); // the guest-expired grant ended at T0 + 1 h
  for (const a of ACCOUNTS) clients.set(a.username, await signedIn(h.app, a.username));
});
afterAll(async () => h?.close());

describe('role × route matrix', () => {
  it('has a row for every route in roles.ts and a column for every role', () => {
    expect(MATRIX.map(([m, p]) => `${m} ${p}`).sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    // the partner module's own policy rows are exactly the ones in ROUTES
    for (const r of PARTNER_ROUTES) expect(ROUTES.find((x) => x.method === r.method && x.path === r.path)).toEqual(r);
    expect(new Set(ACCOUNTS.map((a) => a.role))).toEqual(new Set(['lab', 'analyst', 'senior', 'partner', 'auditor', 'guest']));
  });

  it('gives the expected status in every cell', async () => {
    const got: Record<string, Record<string, number>> = {};
    const want: Record<string, Record<string, number>> = {};
    for (const [method, , template, expected] of MATRIX) {
      const url = template.replace('{old}', h.ids.old).replace('{new}', h.ids.new);
      for (let c = 0; c < COLUMNS.length; c++) {
        const who = COLUMNS[c]!;
        const client = clients.get(who);
        let status: number;
        if (method === 'POST' && url === '/login') {
          status = (await postLogin(h.app, `nobody-${c}`, 'wrong password')).statusCode;
        } else if (!client) {
          status = (await h.app.inject({ method: method as 'GET' | 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: method === 'POST' ? 'message=x' : undefined })).statusCode;
        } else if (method === 'POST') {
          const form: Record<string, string> = url === '/feedback' ? { kind: 'error', message: 'matrix test' } : url.endsWith('/status') ? { status: 'investigating' }
            : url.endsWith('/disclosure') ? { subject_type: 'network', subject_id: 'NET-1' } : {};
          status = (await client.post(url, form)).statusCode;
        } else {
          status = (await client.get(url)).statusCode;
        }
        (got[`${method} ${template}`] ??= {})[who] = status;
        (want[`${method} ${template}`] ??= {})[who] = expected[c]!;
      }
    }
    expect(got).toEqual(want);
  });

  it('sends signed-out page views to the sign-in page and unacknowledged sessions to the caveats', async () => {
    const anon = await h.app.inject({ method: 'GET', url: '/networks/NET-1' });
    expect(anon.headers.location).toBe('/login');
    const fresh = await signedIn(h.app, 'analyst1', { acknowledge: false });
    const before = await fresh.get('/nominals/N1');
    expect([before.statusCode, before.headers.location]).toEqual([303, '/']);
    expect((await fresh.get('/api/networks/NET-1/graph')).statusCode).toBe(403);
    expect((await fresh.post('/caveats/acknowledge')).statusCode).toBe(303);
    expect((await fresh.get('/nominals/N1')).statusCode).toBe(200);
  });
});
