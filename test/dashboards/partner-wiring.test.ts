// The partner match service through the real dashboards server: sign-in, role checks, CSRF on the
// multipart upload (form field or X-CSRF-Token header), upload → result, partner isolation, the lab sees all.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { StageContext } from '../../pipelines/core/context.ts';
import { buildServer } from '../../dashboards/server.ts';
import { openServing } from '../../dashboards/serving-store.ts';
import { addUser } from '../../dashboards/accounts.ts';
import { freshContext, removeDir } from '../helpers/context.ts';
import { buildMatchSnapshot, type MatchFixture } from '../match/match-fixture.ts';
import { PASSWORD, signedIn, T0, type Client } from './harness.ts';

let ctx: StageContext & { root: string };
let fx: MatchFixture;
let app: FastifyInstance;
let close: () => Promise<void>;
let rocu: Client;
let cmpg: Client;
let lab: Client;

const LIST = 'row_ref,surname,forenames,date_of_birth\nr1,Thistlewood,Ambrose,1988-03-14\nr2,Nobody,Here,1970-01-01\n';
const META = { officer: 'DS 1', purpose: 'Operation Larch check', legal_basis: 'DPA2018-PART3' };

function multipart(fields: Record<string, string>, file?: string): { payload: string; type: string } {
  const b = '----harmnetWiringBoundary';
  const parts = Object.entries(fields).map(([k, v]) => `--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  if (file !== undefined) parts.push(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="list.csv"\r\nContent-Type: text/csv\r\n\r\n${file}\r\n`);
  return { payload: parts.join('') + `--${b}--\r\n`, type: `multipart/form-data; boundary=${b}` };
}

function upload(client: Client, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const m = multipart(fields, LIST);
  return app.inject({ method: 'POST', url: '/partner/upload', headers: { cookie: client.cookie, 'content-type': m.type, ...headers }, payload: m.payload });
}

beforeAll(async () => {
  ctx = await freshContext();
  const snapshotsDir = path.join(ctx.root, 'snaps');
  fx = await buildMatchSnapshot(ctx, snapshotsDir);
  const servingFile = path.join(ctx.root, 'serving.duckdb');
  const s = await openServing(servingFile);
  for (const [username, role] of [['rocu', 'partner'], ['cmpg', 'partner'], ['lab1', 'lab']] as const) await addUser(s.db, { username, role, password: PASSWORD }, T0);
  s.release();
  const built = await buildServer({ port: 0, snapshotsDir, servingFile, demo: true, clock: () => T0 });
  app = built.app;
  close = built.close;
  rocu = await signedIn(app, 'rocu');
  cmpg = await signedIn(app, 'cmpg');
  lab = await signedIn(app, 'lab1');
}, 60_000);
afterAll(async () => {
  await close?.();
  ctx?.db.close();
  if (ctx) removeDir(ctx.root);
});

describe('partner match service in the server', () => {
  it('GET /partner is the real service page (upload form), not the placeholder', async () => {
    const res = await rocu.get('/partner');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('partner-placeholder');
    expect(res.body).toContain('enctype="multipart/form-data"');
  });

  it('refuses a multipart upload without the CSRF token, or with a wrong one (403), and records nothing', async () => {
    expect((await upload(rocu, META)).statusCode).toBe(403);
    expect((await upload(rocu, { ...META, _csrf: 'wrong' })).statusCode).toBe(403);
    expect((await upload(rocu, META, { 'x-csrf-token': 'wrong' })).statusCode).toBe(403);
    expect((await rocu.get('/partner')).body).not.toMatch(/PM-\d{8}-\d{6}/);
  });

  it('upload (token as a form field) → result page → CSV; the token in the X-CSRF-Token header works too', async () => {
    const up = await upload(rocu, { _csrf: rocu.csrf, ...META });
    expect(up.statusCode).toBe(303);
    const where = String(up.headers.location);
    expect(where).toMatch(/^\/partner\/requests\/PM-20261116-\d{6}$/);
    expect((await rocu.get(where)).statusCode).toBe(200);
    const csv = await rocu.get(`${where}/result.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body.split('\r\n').filter((l) => l && !l.startsWith('#'))).toEqual([
      'row_ref,status,confidence,in_network,harm_cchi,harm_band,snapshot_id',
      `r1,MATCH,Almost Certain,yes,420.0,B,${fx.snapshotId}`,
      `r2,NO_MATCH,,,,,${fx.snapshotId}`,
    ]);
    const viaHeader = await upload(cmpg, META, { 'x-csrf-token': cmpg.csrf });
    expect(viaHeader.statusCode).toBe(303);
  });

  it('the JSON API takes the token in the header', async () => {
    const res = await app.inject({
      method: 'POST', url: '/api/partner/match', headers: { cookie: rocu.cookie, 'x-csrf-token': rocu.csrf },
      payload: { ...META, rows: [{ row_ref: 'j1', surname: 'Thistlewood', forenames: 'Ambrose', date_of_birth: '1988-03-14' }] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().rows).toEqual([expect.objectContaining({ row_ref: 'j1', status: 'MATCH', harm_band: 'B' })]);
    const noToken = await app.inject({ method: 'POST', url: '/api/partner/match', headers: { cookie: rocu.cookie }, payload: { ...META, rows: [] } });
    expect(noToken.statusCode).toBe(403);
  });

  it('a partner sees only its own requests; the lab sees every partner\'s', async () => {
    const ids = (body: string) => [...new Set(body.match(/PM-\d{8}-\d{6}/g) ?? [])].sort();
    const mine = ids((await rocu.get('/partner')).body);
    const theirs = ids((await cmpg.get('/partner')).body);
    expect(mine.length).toBe(2); // the upload and the JSON request
    expect(theirs.length).toBe(1);
    expect(mine.filter((x) => theirs.includes(x))).toEqual([]);
    expect((await cmpg.get(`/partner/requests/${mine[0]}`)).statusCode).toBe(404);
    expect((await cmpg.get(`/partner/requests/${mine[0]}/result.csv`)).statusCode).toBe(404);
    const all = ids((await lab.get('/partner')).body);
    expect(all).toEqual([...mine, ...theirs].sort());
    expect((await lab.get(`/partner/requests/${theirs[0]}`)).statusCode).toBe(200);
    expect((await lab.get('/partner/review')).statusCode).toBe(200);
  });
});
