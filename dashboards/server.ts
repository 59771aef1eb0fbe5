// The dashboards HTTP server (Fastify): sessions, role checks from roles.ts on every route, CSRF on
// every POST, strict CSP and one error handler; pages read snapshots, state lives in serving.duckdb.

import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import { createRequire } from 'node:module';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HarmnetError, isHarmnetError } from '../pipelines/core/errors.ts';
import type { Db } from '../pipelines/core/db.ts';
import { openServing } from './serving-store.ts';
import { SnapshotStore } from './snapshot-store.ts';
import { activeGrant, findUser, type User } from './accounts.ts';
import { findSession, purgeExpiredSessions, SESSION_DEFAULTS, type Session } from './sessions.ts';
import { appendAudit, type AuditEntry } from './audit.ts';
import { ROUTES, policyFor, type Role } from './roles.ts';
import { html } from './html.ts';
import { barePage, page, type PageContext } from './pages/layout.ts';
import { HANDLERS, type Handler } from './routes.ts';
import { prewarmLargeGraphs } from './pages/network.ts';
import { Memo } from './memo.ts';
import { PARTNER_ROUTES, registerPartnerRoutes } from './partner/register-partner-routes.ts';
import { resolveConfig, type Config } from '../pipelines/core/config.ts';
import { existsSync } from 'node:fs';

const here = path.dirname(fileURLToPath(import.meta.url));

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface ServerOptions {
  port: number;
  host?: string;
  snapshotsDir: string;
  servingFile: string;
  demo?: boolean;
  clock?: () => Date;
  /** Set when served behind TLS: adds Secure to cookies and HSTS. */
  secureCookies?: boolean;
  sessionLifetimeHours?: number;
  /** The running configuration, shown in the transparency register (default: resolved with these paths). */
  config?: Readonly<Config>;
  /** Ground truth for the evaluation page (default `<snapshotsDir>/../extracts/truth` when it exists). */
  truthDir?: string;
  /** The warehouse, read-only, for the deployment log on the evaluation page (none: "not available"). */
  warehouseFile?: string;
}

export interface Auth {
  user: User;
  role: Role;
  session: Session;
}

/** Everything a route handler is handed. */
export interface Deps {
  serving: Db;
  store: SnapshotStore;
  clock: () => Date;
  demo: boolean;
  secureCookies: boolean;
  sessionLifetimeHours: number;
  /** Results derived from snapshots (immutable), keyed by the snapshot ids they depend on. */
  memo: Memo;
  /** The accountability pages' inputs (dashboards/pages/fairness.ts, transparency.ts, evaluation.ts). */
  accountability: { config: Readonly<Config>; snapshotsDir: string; truthDir: string | null; warehouseFile: string | null };
  audit(request: FastifyRequest, e: Omit<AuditEntry, 'at' | 'username' | 'role'>): Promise<void>;
  /** Whether the latest snapshot is open with its page lookups built (false while the server warms up). */
  snapshotReady(): boolean;
  /** Drops a session from the in-process lookup cache (after sign-out or a change to the session row). */
  forgetSession(sessionHash: string): void;
  pageContext(request: FastifyRequest, snapshotId?: string | null): Promise<PageContext & { snap?: Awaited<ReturnType<SnapshotStore['open']>> }>;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: Auth;
  }
}

const VENDOR: Record<string, string> = (() => {
  const require = createRequire(import.meta.url);
  const sigmaDir = path.dirname(require.resolve('sigma'));
  const graphologyDir = path.dirname(require.resolve('graphology'));
  return {
    'sigma.min.js': path.join(sigmaDir, 'sigma.min.js'),
    'graphology.umd.min.js': path.join(graphologyDir, 'graphology.umd.min.js'),
  };
})();

/** How long a session lookup is reused without re-reading serving.duckdb. */
export const SESSION_CACHE_MS = 2000;

const STATUS: Partial<Record<string, number>> = {
  AUTH_REQUIRED: 401,
  ACCESS_DENIED: 403,
  CSRF_REJECTED: 403,
  LOGIN_THROTTLED: 429,
  NOT_FOUND: 404,
  SNAPSHOT_NOT_FOUND: 404,
  USAGE: 400,
  INPUT_INVALID: 400,
  USER_INVALID: 400,
  RATE_LIMITED: 429,
  NOT_YET_AVAILABLE: 503,
};

function wantsJson(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function cookieOptions(secure: boolean, expires?: Date) {
  return { path: '/', httpOnly: true, sameSite: 'strict' as const, secure, ...(expires ? { expires } : {}) };
}

export interface BuiltServer {
  app: FastifyInstance;
  store: SnapshotStore;
  warm: { ready: boolean };
  /** Opens the latest snapshot, builds its page lookups and lays out its large networks; then warm.ready. */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

export async function buildServer(opts: ServerOptions): Promise<BuiltServer> {
  const clock = opts.clock ?? (() => new Date());
  const serving = await openServing(opts.servingFile);
  const store = new SnapshotStore(opts.snapshotsDir);
  const app = Fastify({ logger: false, trustProxy: false, bodyLimit: 64 * 1024 });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  await app.register(fastifyStatic, { root: path.join(here, 'static'), prefix: '/static/', index: false, cacheControl: true, maxAge: 3600_000 });
  await purgeExpiredSessions(serving.db, clock());

  // Session + account lookups cached for a moment (SESSION_CACHE_MS): under load most requests are the same
  // few sessions. This process is the only writer of sessions (users CLI needs the server stopped), and it
  // drops an entry itself on sign-out and caveat acknowledgement; expiry is still checked on every request.
  const sessionCache = new Map<string, { session: Session; user: User; until: number }>();
  const lookupSession = async (cookie: string, now: Date): Promise<{ session?: Session; user?: User }> => {
    const hit = sessionCache.get(cookie);
    const t = performance.now();
    if (hit && hit.until > t && Date.parse(hit.session.expires_at) > now.getTime()) return hit;
    sessionCache.delete(cookie);
    const session = await findSession(serving.db, cookie, now);
    const user = session ? await findUser(serving.db, session.username) : undefined;
    if (session && user) {
      if (sessionCache.size > 10_000) sessionCache.clear();
      sessionCache.set(cookie, { session, user, until: t + SESSION_CACHE_MS });
    }
    return { session, user };
  };

  const warm = { ready: false };
  const deps: Deps = {
    serving: serving.db,
    store,
    clock,
    demo: !!opts.demo,
    secureCookies: !!opts.secureCookies,
    sessionLifetimeHours: opts.sessionLifetimeHours ?? SESSION_DEFAULTS.lifetimeHours,
    memo: new Memo(2000),
    accountability: {
      config: opts.config ?? resolveConfig({ snapshots: opts.snapshotsDir, serving: opts.servingFile }),
      snapshotsDir: opts.snapshotsDir,
      truthDir: opts.truthDir ?? (existsSync(path.join(opts.snapshotsDir, '..', 'extracts', 'truth')) ? path.join(opts.snapshotsDir, '..', 'extracts', 'truth') : null),
      warehouseFile: opts.warehouseFile ?? null,
    },
    snapshotReady() {
      return warm.ready;
    },
    forgetSession(sessionHash) {
      for (const [k, v] of sessionCache) if (v.session.session_hash === sessionHash) sessionCache.delete(k);
    },
    async audit(request, e) {
      const a = request.auth!;
      await appendAudit(serving.db, { ...e, at: clock(), username: a.user.username, role: a.role });
    },
    async pageContext(request, snapshotId) {
      const a = request.auth!;
      const snapshots = store.list();
      const snap = snapshotId === undefined || (snapshotId === null && snapshots.length === 0) ? undefined : await store.open(snapshotId);
      return {
        username: a.user.username,
        role: a.role,
        csrfToken: a.session.csrf_token,
        demo: !!opts.demo,
        path: (request.routeOptions.url ?? '/').includes(':') ? request.url.split('?')[0]! : request.routeOptions.url ?? '/',
        snapshot: snap?.info,
        snapshots,
        caveatsAcknowledged: !!a.session.caveats_acknowledged_at,
        snap,
      };
    },
  };

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('Content-Security-Policy', CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    if (opts.secureCookies) reply.header('Strict-Transport-Security', 'max-age=31536000');
    if (!request.url.startsWith('/static/') && !request.url.startsWith('/vendor/')) reply.header('Cache-Control', 'no-store');
    return payload;
  });

  // Authorisation for every route, from the one table in roles.ts.
  app.addHook('preHandler', async (request, reply) => {
    const pattern = request.routeOptions.url;
    if (!pattern) return; // not found: handled by the 404 handler
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const policy = policyFor(method, pattern);
    if (!policy) throw new HarmnetError('ACCESS_DENIED', `route ${method} ${pattern} has no access policy`);
    if (policy.roles === null) return;
    const now = clock();
    const cookie = request.cookies[SESSION_DEFAULTS.cookieName];
    const { session, user } = cookie ? await lookupSession(cookie, now) : {};
    if (!session || !user || user.disabled) {
      if (method === 'GET' && !wantsJson(request)) return reply.redirect('/login', 303);
      throw new HarmnetError('AUTH_REQUIRED', 'sign in first');
    }
    request.auth = { user, role: user.role, session };
    if (user.role === 'guest' && policy.path !== '/logout' && !(await activeGrant(serving.db, user.username, now))) {
      throw new HarmnetError('ACCESS_DENIED', 'your time-limited access grant has expired or has not started; ask for a new grant from the Director of Intelligence');
    }
    if (!policy.roles.includes(user.role)) throw new HarmnetError('ACCESS_DENIED', `the ${user.role} role cannot open this page`);
    if (method === 'POST') {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const token = typeof body._csrf === 'string' ? body._csrf : String(request.headers['x-csrf-token'] ?? '');
      if (!token || !sameToken(token, session.csrf_token)) throw new HarmnetError('CSRF_REJECTED', 'the form was missing its security token or it did not match; reload the page and try again');
    }
    if (!policy.beforeCaveats && !session.caveats_acknowledged_at) {
      if (method === 'GET' && !wantsJson(request)) return reply.redirect('/', 303);
      throw new HarmnetError('ACCESS_DENIED', 'acknowledge the caveats on the landing page first');
    }
  });

  app.setErrorHandler(async (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    let status = 500;
    let message = 'Something went wrong on the server. The analytics lab has not been told automatically: please report it.';
    if (isHarmnetError(error)) {
      status = STATUS[error.code] ?? 500;
      if (status < 500 || status === 503) message = error.message;
    } else if (error && typeof error === 'object' && 'statusCode' in error && typeof error.statusCode === 'number' && (error.statusCode < 500 || error.statusCode === 503)) {
      // 503: a service not yet available (e.g. partner matching on a snapshot without its tables) — the message says why
      status = error.statusCode;
      message = (error as unknown as Error).message;
    }
    if (status >= 500 && status !== 503) process.stderr.write(`harmnet serve: ${request.method} ${request.routeOptions.url ?? '(unrouted)'} failed: ${(error as Error)?.name ?? 'error'} ${(error as Error)?.stack?.split('\n').slice(0, 3).join(' | ')}\n`);
    reply.status(status);
    if (wantsJson(request)) return reply.type('application/json').send({ error: message, status });
    const title = status === 401 ? 'Sign in needed' : status === 403 ? 'Not available to you' : status === 404 ? 'Not found' : status === 429 ? 'Too many attempts' : status >= 500 ? 'Server error' : 'Request not accepted';
    const body = html`<p class="error-message" data-status="${status}">${message}</p><p><a href="/">Back to the start page</a></p>`;
    if (request.auth) {
      const ctx = await deps.pageContext(request).catch(() => undefined);
      if (ctx) return reply.type('text/html; charset=utf-8').send(page(ctx, title, body));
    }
    return reply.type('text/html; charset=utf-8').send(barePage(title, body, !!opts.demo));
  });

  app.setNotFoundHandler(async (request, reply) => {
    reply.status(404);
    if (wantsJson(request)) return reply.type('application/json').send({ error: 'not found', status: 404 });
    return reply.type('text/html; charset=utf-8').send(barePage('Not found', html`<p data-status="404">There is no such page.</p><p><a href="/">Back to the start page</a></p>`, !!opts.demo));
  });

  app.get('/vendor/:file', async (request, reply) => {
    const file = VENDOR[(request.params as { file: string }).file];
    if (!file) throw new HarmnetError('NOT_FOUND', 'no such file');
    return reply.type('text/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(readFileSync(file));
  });

  // The partner match service registers its own routes (multipart upload, larger bodies); their policies are rows of ROUTES.
  await registerPartnerRoutes(app, { ...deps, snapshotsDir: opts.snapshotsDir });
  const partnerOwned = new Set(PARTNER_ROUTES.map((r) => `${r.method} ${r.path}`));

  for (const r of ROUTES) {
    if (r.path === '/static/*' || r.path === '/vendor/:file' || partnerOwned.has(`${r.method} ${r.path}`)) continue;
    const handler: Handler | undefined = HANDLERS[`${r.method} ${r.path}`];
    if (!handler) throw new Error(`no handler for ${r.method} ${r.path}`);
    app.route({ method: r.method, url: r.path, handler: (request, reply) => handler(deps, request, reply) });
  }

  return {
    app,
    store,
    warm,
    async warmUp() {
      if (store.list().length === 0) return;
      const snap = await store.open(null);
      await snap.prepare();
      await prewarmLargeGraphs(deps, snap);
      warm.ready = true;
    },
    async close() {
      await app.close();
      await store.close();
      serving.release();
    },
  };
}

export async function startServer(opts: ServerOptions): Promise<{ url: string; close(): Promise<void> }> {
  const built = await buildServer(opts);
  const host = opts.host ?? '127.0.0.1';
  await built.app.listen({ port: opts.port, host });
  // Open the latest snapshot and build its page lookups now, in the background, so the first analyst does
  // not wait for it (a force-scale snapshot takes some seconds); a failure here shows on the first page instead.
  void built.warmUp().catch(() => undefined);
  const address = built.app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, close: built.close };
}

/** A fresh random token (login-form CSRF cookie). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}
