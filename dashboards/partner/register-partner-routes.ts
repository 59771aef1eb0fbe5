// The partner match service in the dashboards: POST /api/partner/match (JSON or CSV upload), the
// partner's upload page, result download and own history, and the lab's review queue. Wired in by server.ts.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyMultipart from '@fastify/multipart';
import { existsSync, readdirSync } from 'node:fs';
import type { Config } from '../../pipelines/core/config.ts';
import { HarmnetError, isHarmnetError } from '../../pipelines/core/errors.ts';
import { openMatcher, type Matcher } from '../../pipelines/match/matcher.ts';
import { MAX_ROWS } from '../../pipelines/match/partner-input.ts';
import { listRequests, requestRows, reviewPossibleMatch, reviewQueue } from '../../pipelines/match/partner-log.ts';
import { partnerMatch, type PartnerInput } from '../../pipelines/match/partner-match.ts';
import { PARTNER_LIMITS, type PartnerLimits } from '../../pipelines/match/partner-policy.ts';
import { resultCsv } from '../../pipelines/match/result-csv.ts';
import { latestSnapshotId } from '../../pipelines/snapshot/read-snapshot.ts';
import { defaultConfig } from '../../pipelines/core/config.ts';
import type { RoutePolicy } from '../roles.ts';
import type { Auth, Deps } from '../server.ts';
import { page } from '../pages/layout.ts';
import { partnerHomeBody, requestBody, reviewBody } from './partner-pages.ts';

/** Access policies for these routes: the lead adds them to ROUTES in roles.ts (GET /partner is already there). */
export const PARTNER_ROUTES: RoutePolicy[] = [
  { method: 'POST', path: '/api/partner/match', roles: ['partner'], what: 'partner match request (JSON or CSV upload)' },
  { method: 'POST', path: '/partner/upload', roles: ['partner'], what: 'partner match upload form' },
  { method: 'GET', path: '/partner/requests/:id', roles: ['lab', 'partner'], what: 'one partner match request and its result' },
  { method: 'GET', path: '/partner/requests/:id/result.csv', roles: ['lab', 'partner'], what: 'partner match result (CSV)' },
  { method: 'GET', path: '/partner/review', roles: ['lab'], what: 'possible-match review queue and all partner requests' },
  { method: 'POST', path: '/partner/review', roles: ['lab'], what: 'confirm or reject a possible match' },
];

export interface PartnerDeps {
  snapshotsDir: string;
  /** Thresholds (config.resolution); default: the default config's. */
  resolution?: Config['resolution'];
  limits?: PartnerLimits;
  /** The partner organisation of a signed-in partner account; default: its user name. */
  partnerOf?: (auth: Auth) => string;
  /**
   * Open the latest snapshot's matcher now, in the background, instead of at the first partner
   * request (at force scale that takes 20–60 s and the request waits). For `harmnet serve`; off in tests.
   */
  warm?: boolean;
}

const HTML = 'text/html; charset=utf-8';
/** JSON bodies and uploads of 5,000 rows fit comfortably (about 60 bytes a row). */
export const PARTNER_BODY_LIMIT = 2 * 1024 * 1024;

/** A HarmnetError the server's STATUS table does not know, as an HTTP status it does. */
function httpError(e: unknown): unknown {
  if (isHarmnetError(e, 'RATE_LIMITED')) return Object.assign(new Error(e.message), { statusCode: 429 });
  if (isHarmnetError(e, 'NOT_YET_AVAILABLE')) return Object.assign(new Error(e.message), { statusCode: 503 });
  return e;
}

/** Registers the routes; GET /partner itself is served by partnerHomeHandler (plug into routes.ts HANDLERS). */
export async function registerPartnerRoutes(app: FastifyInstance, deps: Deps & PartnerDeps): Promise<void> {
  const matchers = new Map<string, Promise<Matcher>>();
  // The latest snapshot id, re-read (every manifest parsed) only when the snapshot folders change.
  let latest: { folders: string; id: string | null } | undefined;
  const latestId = () => {
    const folders = existsSync(deps.snapshotsDir) ? readdirSync(deps.snapshotsDir).sort().join('\n') : '';
    if (latest?.folders !== folders) latest = { folders, id: latestSnapshotId(deps.snapshotsDir) };
    return latest.id;
  };
  const matcherFor = async (): Promise<Matcher> => {
    const id = latestId();
    if (!id) throw new HarmnetError('SNAPSHOT_NOT_FOUND', 'no snapshot to match against yet');
    let m = matchers.get(id);
    if (!m) {
      m = openMatcher(deps.snapshotsDir, id);
      matchers.set(id, m);
      m.catch(() => matchers.delete(id));
      // Older snapshots' matchers are closed once a newer one is open.
      for (const [old, pending] of matchers) if (old !== id) { matchers.delete(old); void pending.then((x) => x.close(), () => undefined); }
    }
    return m;
  };
  if (deps.warm && latestId()) void matcherFor().catch(() => undefined);
  app.addHook('onClose', async () => {
    for (const m of matchers.values()) await m.then((x) => x.close(), () => undefined);
    matchers.clear();
  });
  const resolution = deps.resolution ?? defaultConfig().resolution;
  const partnerOf = (request: FastifyRequest) => (deps.partnerOf ?? ((a: Auth) => a.user.username))(request.auth!);
  const run = async (request: FastifyRequest, fields: Record<string, unknown>, input: PartnerInput) => {
    const matcher = await matcherFor();
    try {
      return await partnerMatch(
        { serving: deps.serving, matcher, config: { resolution }, clock: deps.clock, limits: deps.limits ?? PARTNER_LIMITS },
        { partner: partnerOf(request), username: request.auth!.user.username, channel: 'api', officer: str(fields.officer), purpose: str(fields.purpose), legalBasis: str(fields.legal_basis) },
        input,
      );
    } catch (e) {
      throw httpError(e);
    }
  };

  await app.register(async (scope) => {
    await scope.register(fastifyMultipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: PARTNER_BODY_LIMIT, files: 1, fields: 10 } });

    scope.post('/api/partner/match', { bodyLimit: PARTNER_BODY_LIMIT }, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const input: PartnerInput = request.isMultipart()
        ? { csv: fileBytes(body.file), name: 'upload' }
        : { json: body.rows, name: 'request' };
      const r = await run(request, body, input);
      return reply.type('application/json').send(r);
    });

    scope.post('/partner/upload', async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const r = await run(request, body, { csv: fileBytes(body.file), name: 'upload' });
      return reply.redirect(`/partner/requests/${encodeURIComponent(r.request_id)}`, 303);
    });
  });

  const own = (request: FastifyRequest) => (request.auth!.role === 'lab' ? null : partnerOf(request));

  app.get('/partner/requests/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const r = await requestRows(deps.serving, id, own(request));
    const ctx = await deps.pageContext(request);
    return reply.type(HTML).send(page(ctx, `Partner request ${r.request.request_id}`, requestBody(r)));
  });

  app.get('/partner/requests/:id/result.csv', async (request, reply) => {
    const { id } = request.params as { id: string };
    const r = await requestRows(deps.serving, id, own(request));
    if (r.request.status !== 'COMPLETED') throw new HarmnetError('NOT_FOUND', `partner request ${id.slice(0, 40)} was refused: there is no result`);
    return reply
      .type('text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${r.request.request_id}.csv"`)
      .send(resultCsv(r.rows, r.request.snapshot_id ?? ''));
  });

  app.get('/partner/review', async (request, reply) => {
    const ctx = await deps.pageContext(request);
    const [queue, requests] = await Promise.all([reviewQueue(deps.serving), listRequests(deps.serving)]);
    return reply.type(HTML).send(page(ctx, 'Partner match review', reviewBody(ctx, queue, requests)));
  });

  app.post('/partner/review', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const line = Number(str(body.line));
    if (!Number.isInteger(line) || line < 1) throw new HarmnetError('INPUT_INVALID', 'review: field line must be a row number');
    const decision = str(body.decision);
    if (decision !== 'CONFIRMED' && decision !== 'REJECTED') throw new HarmnetError('INPUT_INVALID', 'review: field decision must be CONFIRMED or REJECTED');
    await reviewPossibleMatch(deps.serving, { requestId: str(body.request_id), line, decision, by: request.auth!.user.username, reason: str(body.reason), at: deps.clock() });
    return reply.redirect('/partner/review', 303);
  });
}

/** GET /partner: the partner's upload form and own history; the lab sees every request and a link to the queue. */
export async function partnerHomeHandler(deps: Deps & Partial<PartnerDeps>, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  const ctx = await deps.pageContext(request);
  const partner = request.auth!.role === 'lab' ? undefined : (deps.partnerOf ?? ((a: Auth) => a.user.username))(request.auth!);
  const requests = await listRequests(deps.serving, { partner });
  return reply.type(HTML).send(page(ctx, 'Partner match service', partnerHomeBody(ctx, requests, MAX_ROWS)));
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function fileBytes(v: unknown): Uint8Array {
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  throw new HarmnetError('INPUT_INVALID', 'upload: field file is missing (a CSV file with row_ref,surname,forenames,date_of_birth[,pnc_id][,sex])');
}
