// The partner routes in a real Fastify app with the real route module, engine and log. The server
// shell (sign-in, CSRF, error mapping) is stood in for by a few lines below until server.ts wires these routes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyFormbody from '@fastify/formbody';
import { Db } from '../../pipelines/core/db.ts';
import { isHarmnetError } from '../../pipelines/core/errors.ts';
import type { StageContext } from '../../pipelines/core/context.ts';
import { PARTNER_ROUTES, partnerHomeHandler, registerPartnerRoutes } from '../../dashboards/partner/register-partner-routes.ts';
import type { Deps } from '../../dashboards/server.ts';
import type { Role } from '../../dashboards/roles.ts';
import { freshContext, removeDir, TEST_NOW } from '../helpers/context.ts';
import { buildMatchSnapshot, type MatchFixture } from './match-fixture.ts';

let ctx: StageContext & { root: string };
let fx: MatchFixture;
let app: FastifyInstance;
let serving: Db;

const CSRF = 'test-csrf-token';
const STATUS: Record<string, number> = { INPUT_INVALID: 400, NOT_FOUND: 404, ACCESS_DENIED: 403, CSRF_REJECTED: 403 };

beforeAll(async () => {
  ctx = await freshContext();
  fx = await buildMatchSnapshot(ctx, path.join(ctx.root, 'snaps'));
  serving = await Db.open(':memory:');
  app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  await app.register(fastifyFormbody);
  // Stand-in for server.ts: the signed-in user from a header, roles from PARTNER_ROUTES, CSRF on POST.
  app.addHook('preHandler', async (request) => {
    const policy = [...PARTNER_ROUTES, { method: 'GET', path: '/partner', roles: ['lab', 'partner'] as Role[] }]
      .find((r) => r.method === request.method && r.path === request.routeOptions.url);
    const [username, role] = String(request.headers['x-test-user'] ?? '').split(':') as [string, Role];
    request.auth = { user: { username, role, disabled: false, created_at: TEST_NOW }, role, session: { csrf_token: CSRF } } as never;
    if (!policy?.roles?.includes(role)) throw Object.assign(new Error(`the ${role} role cannot open this page`), { statusCode: 403 });
    if (request.method === 'POST') {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const token = typeof body._csrf === 'string' ? body._csrf : String(request.headers['x-csrf-token'] ?? '');
      if (token !== CSRF) throw Object.assign(new Error('csrf'), { statusCode: 403 });
    }
  });
  app.setErrorHandler(async (error: unknown, _request, reply) => {
    const status = isHarmnetError(error) ? STATUS[error.code] ?? 500 : ((error as { statusCode?: number }).statusCode ?? 500);
    return reply.status(status).send({ error: (error as Error).message, status });
  });
  const deps = {
    serving, clock: () => new Date(TEST_NOW), snapshotsDir: fx.snapshotsDir,
    pageContext: async (request: { auth?: { user: { username: string }; role: Role } }) => ({
      username: request.auth!.user.username, role: request.auth!.role, csrfToken: CSRF, demo: true, path: '/partner', snapshots: [], caveatsAcknowledged: true,
    }),
  } as unknown as Deps & { snapshotsDir: string };
  await registerPartnerRoutes(app, deps);
  app.get('/partner', (request, reply) => partnerHomeHandler(deps, request, reply));
  await app.ready();
}, 60_000);
afterAll(async () => {
  await app?.close();
  serving?.close();
  ctx?.db.close();
  if (ctx) removeDir(ctx.root);
});

const partner = (name: string) => ({ 'x-test-user': `${name}:partner`, 'x-csrf-token': CSRF });
const LIST = 'row_ref,surname,forenames,date_of_birth\nr1,Thistlewood,Ambrose,1988-03-14\nr2,Nobody,Here,1970-01-01\n';

function multipart(fields: Record<string, string>, file?: string): { payload: string; headers: Record<string, string> } {
  const b = '----harmnetTestBoundary';
  const parts = Object.entries(fields).map(([k, v]) => `--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  if (file !== undefined) parts.push(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="list.csv"\r\nContent-Type: text/csv\r\n\r\n${file}\r\n`);
  return { payload: parts.join('') + `--${b}--\r\n`, headers: { 'content-type': `multipart/form-data; boundary=${b}` } };
}

describe('partner routes', () => {
  it('POST /api/partner/match with JSON answers with rows, snapshot, as-of and the caveats', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/partner/match', headers: partner('rocu'), payload: {
      officer: 'DS 1', purpose: 'Operation Larch check', legal_basis: 'DPA2018-PART3',
      rows: [{ row_ref: 'r1', surname: 'Thistlewood', forenames: 'Ambrose', date_of_birth: '1988-03-14' }],
    } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.rows).toEqual([expect.objectContaining({ row_ref: 'r1', status: 'MATCH', harm_cchi: 420, harm_band: 'B', in_network: true, snapshot_id: fx.snapshotId, as_of: '2026-11-16' })]);
    expect(body.caveats.length).toBeGreaterThan(5);
  });

  it('POST /api/partner/match with a CSV upload; bad input is a 400 naming line and field, logged as refused', async () => {
    const ok = multipart({ officer: 'DS 1', purpose: 'Operation Larch check', legal_basis: 'CDA1998-S115' }, LIST);
    const res = await app.inject({ method: 'POST', url: '/api/partner/match', headers: { ...partner('rocu'), ...ok.headers }, payload: ok.payload });
    expect(res.statusCode).toBe(200);
    expect(res.json().rows.map((r: { status: string }) => r.status)).toEqual(['MATCH', 'NO_MATCH']);
    const bad = multipart({ officer: 'DS 1', purpose: 'Operation Larch check', legal_basis: 'CDA1998-S115' }, 'row_ref,surname,forenames,date_of_birth\nr1,Smith,John,31/01/1990\n');
    const r2 = await app.inject({ method: 'POST', url: '/api/partner/match', headers: { ...partner('rocu'), ...bad.headers }, payload: bad.payload });
    expect(r2.statusCode).toBe(400);
    expect(r2.json().error).toBe('upload line 2 field date_of_birth: expected a date YYYY-MM-DD, got "31/01/1990"');
    const noBasis = multipart({ officer: 'DS 1', purpose: 'Operation Larch check' }, LIST);
    const r3 = await app.inject({ method: 'POST', url: '/api/partner/match', headers: { ...partner('rocu'), ...noBasis.headers }, payload: noBasis.payload });
    expect(r3.statusCode).toBe(400);
    expect(r3.json().error).toMatch(/field legal_basis: required/);
    expect(await serving.all(`SELECT status, count(*)::INT AS n FROM partner_request WHERE partner = 'rocu' GROUP BY status ORDER BY status`)).toEqual([
      { status: 'COMPLETED', n: 2 }, { status: 'REFUSED', n: 2 },
    ]);
  });

  it('takes a 5,000-row JSON body (above the server-wide 64 KiB limit) and refuses 5,001 rows with a 400', async () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ row_ref: `r${i}`, surname: 'Nobody', forenames: 'Here', date_of_birth: `19${String(10 + (i % 80))}-01-${String(1 + (i % 28)).padStart(2, '0')}`, pnc_id: '' }))
      .map((r, i) => ({ ...r, forenames: `Here${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26) % 26)}${String.fromCharCode(65 + Math.floor(i / 676))}` }));
    const meta = { officer: 'DS 1', purpose: 'Operation Larch check', legal_basis: 'DPA2018-PART3' };
    const big = await app.inject({ method: 'POST', url: '/api/partner/match', headers: partner('bulk'), payload: { ...meta, rows: rows(5001) } });
    expect(big.statusCode).toBe(400);
    expect(big.json().error).toBe('request: 5001 rows, more than the limit of 5000 per request; split the list');
    const t = performance.now();
    const full = await app.inject({ method: 'POST', url: '/api/partner/match', headers: partner('bulk'), payload: { ...meta, rows: rows(5000) } });
    process.stderr.write(`partner match: 5,000 rows through the API in ${Math.round(performance.now() - t)} ms\n`);
    expect(full.statusCode).toBe(200);
    expect(full.json().rows).toHaveLength(5000);
  }, 60_000);

  it('upload form → result page → CSV download; another partner cannot see it; the lab can', async () => {
    const form = multipart({ _csrf: CSRF, officer: 'PC 2', purpose: 'Motorway tasking check', legal_basis: 'DPA2018-PART3' }, LIST);
    const up = await app.inject({ method: 'POST', url: '/partner/upload', headers: { 'x-test-user': 'cmpg:partner', ...form.headers }, payload: form.payload });
    expect(up.statusCode).toBe(303);
    const where = up.headers.location as string;
    expect(where).toMatch(/^\/partner\/requests\/PM-20261116-\d{6}$/);
    const view = await app.inject({ method: 'GET', url: where, headers: partner('cmpg') });
    expect(view.statusCode).toBe(200);
    expect(view.body).toContain('Download the result (CSV)');
    const csv = await app.inject({ method: 'GET', url: `${where}/result.csv`, headers: partner('cmpg') });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body.split('\r\n').filter((l) => l && !l.startsWith('#'))).toEqual([
      'row_ref,status,confidence,in_network,harm_cchi,harm_band,snapshot_id',
      `r1,MATCH,Almost Certain,yes,420.0,B,${fx.snapshotId}`,
      `r2,NO_MATCH,,,,,${fx.snapshotId}`,
    ]);
    expect((await app.inject({ method: 'GET', url: `${where}/result.csv`, headers: partner('rocu') })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: where, headers: { 'x-test-user': 'lab1:lab' } })).statusCode).toBe(200);
    const home = await app.inject({ method: 'GET', url: '/partner', headers: partner('rocu') });
    expect(home.body).not.toContain('cmpg');
    expect((await app.inject({ method: 'GET', url: '/partner', headers: { 'x-test-user': 'lab1:lab' } })).body).toContain('cmpg');
  });

  it.each([
    ['analyst', 'POST', '/api/partner/match'], ['lab', 'POST', '/api/partner/match'], ['partner', 'GET', '/partner/review'],
    ['partner', 'POST', '/partner/review'], ['auditor', 'GET', '/partner/requests/PM-1'], ['guest', 'GET', '/partner'],
  ])('refuses the %s role %s %s (403)', async (role, method, url) => {
    const res = await app.inject({ method: method as 'GET' | 'POST', url, headers: { 'x-test-user': `u:${role}`, 'x-csrf-token': CSRF }, payload: method === 'POST' ? {} : undefined });
    expect(res.statusCode).toBe(403);
  });

  it('the lab reviews a possible match from the queue page', async () => {
    // A logged possible match (the engine's own are tested in partner-match.test.ts).
    await serving.run(`INSERT INTO partner_request (request_id, requested_at, partner, officer, purpose, legal_basis, channel, row_count, status)
      VALUES ('PM-20261116-900001', TIMESTAMP '2026-11-16 06:00:00', 'rocu', 'DS 1', 'Operation Larch check', 'DPA2018-PART3', 'api', 1, 'COMPLETED')`);
    await serving.run(`INSERT INTO partner_match_row (request_id, line, row_ref, status, nominal_id, probability, confidence, harm_cchi, harm_band, in_network, review_status)
      VALUES ('PM-20261116-900001', 2, 'q1', 'POSSIBLE_MATCH', 'N1', 0.6, 'Likely or Probable', 5, 'C', false, 'PENDING')`);
    const page = await app.inject({ method: 'GET', url: '/partner/review', headers: { 'x-test-user': 'lab1:lab' } });
    expect(page.body).toContain('PM-20261116-900001 row 2 (q1)');
    const post = await app.inject({ method: 'POST', url: '/partner/review', headers: { 'x-test-user': 'lab1:lab' },
      payload: { _csrf: CSRF, request_id: 'PM-20261116-900001', line: '2', decision: 'CONFIRMED', reason: 'DOB keyed wrongly' } });
    expect(post.statusCode).toBe(303);
    expect(await serving.all(`SELECT review_status, reviewed_by FROM partner_match_row WHERE request_id = 'PM-20261116-900001'`)).toEqual([{ review_status: 'CONFIRMED', reviewed_by: 'lab1' }]);
  });
});
