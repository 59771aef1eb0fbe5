// Route handlers, keyed "METHOD /path" exactly as in roles.ts ROUTES (the server refuses to start if
// one is missing). Handlers return HTML strings; authorisation has already run in the server's hook.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { HarmnetError } from '../pipelines/core/errors.ts';
import { listUsers, signIn } from './accounts.ts';
import { appendAudit, listAudit, verifyAuditChainDb } from './audit.ts';
import { CAVEATS, CAVEATS_VERSION } from './caveats.ts';
import { html, qs } from './html.ts';
import { acknowledgeCaveats, createSession, destroySession, SESSION_DEFAULTS } from './sessions.ts';
import { homeFor, ROLE_LABELS } from './roles.ts';
import { barePage, csrfField, page } from './pages/layout.ts';
import type { Deps } from './server.ts';
import { cookieOptions, randomToken } from './server.ts';
import { overviewPage } from './pages/overview.ts';
import { networksPage } from './pages/networks.ts';
import { networkGraphJson, networkPage, networkExportCsv, networkRecordMapSvg, networkTrendSvg } from './pages/network.ts';
import { nominalPage } from './pages/nominal.ts';
import { diffPage, downloadDisclosure, makeDisclosure, snapshotsPage, verifyPage } from './pages/snapshots.ts';
import { searchPage } from './pages/search.ts';
import { chartSpec } from './chart-render.ts';
import { partnerHomeHandler } from './partner/register-partner-routes.ts';
import { fairnessPage } from './pages/fairness.ts';
import { transparencyPage } from './pages/transparency.ts';
import { evaluationPage } from './pages/evaluation.ts';

export type Handler = (deps: Deps, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const LOGIN_CSRF_COOKIE = 'harmnet_login_csrf';
const FEEDBACK_STATUSES = ['open', 'investigating', 'fixed', 'no fault found', 'closed'];
const HTML = 'text/html; charset=utf-8';

type Query = Record<string, string | undefined>;
const q = (request: FastifyRequest): Query => (request.query ?? {}) as Query;
const params = (request: FastifyRequest) => request.params as Record<string, string>;
const body = (request: FastifyRequest) => (request.body ?? {}) as Record<string, string | undefined>;

function loginForm(token: string, message?: string) {
  return html`${message ? html`<p class="error-message" role="alert">${message}</p>` : ''}
<form method="post" action="/login" class="login">
  <input type="hidden" name="_csrf" value="${token}">
  <label>User name <input name="username" autocomplete="username" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button>
</form>
<p class="small">Access is by role (analytics lab, Intelligence Department, senior officers, partners, auditors) or by a
time-limited grant from the Director of Intelligence. Every view of a nominal is audited.</p>`;
}

export const HANDLERS: Record<string, Handler> = {
  // ready: the latest snapshot is open with its page lookups built (a freshly started server warms up first)
  'GET /healthz': async (deps) => ({ ok: true, ready: deps.snapshotReady() }),

  'GET /login': async (deps, _request, reply) => {
    const token = randomToken();
    reply.setCookie(LOGIN_CSRF_COOKIE, token, cookieOptions(deps.secureCookies, new Date(deps.clock().getTime() + 3600_000)));
    return reply.type(HTML).send(barePage('Sign in', loginForm(token), deps.demo));
  },

  'POST /login': async (deps, request, reply) => {
    const b = body(request);
    const cookieToken = request.cookies[LOGIN_CSRF_COOKIE] ?? '';
    if (!b._csrf || !cookieToken || b._csrf !== cookieToken) {
      throw new HarmnetError('CSRF_REJECTED', 'the sign-in form was missing its security token; reload the page and try again');
    }
    const username = String(b.username ?? '').trim().toLowerCase();
    const now = deps.clock();
    const result = await signIn(deps.serving, username, String(b.password ?? ''), request.ip, now);
    if (!result.ok) {
      const token = randomToken();
      reply.setCookie(LOGIN_CSRF_COOKIE, token, cookieOptions(deps.secureCookies, new Date(now.getTime() + 3600_000)));
      if (result.reason === 'locked') {
        reply.status(429);
        return reply.type(HTML).send(barePage('Too many attempts', loginForm(token, `Too many failed sign-ins for this user from this address. Try again after ${result.until.toISOString().slice(11, 16)} UTC.`), deps.demo));
      }
      reply.status(401);
      return reply.type(HTML).send(barePage('Sign in', loginForm(token, 'User name or password not recognised.'), deps.demo));
    }
    const s = await createSession(deps.serving, result.user.username, now, deps.sessionLifetimeHours);
    await appendAudit(deps.serving, { at: now, username: result.user.username, role: result.user.role, action: 'sign_in' });
    reply.clearCookie(LOGIN_CSRF_COOKIE, { path: '/' });
    reply.setCookie(SESSION_DEFAULTS.cookieName, s.id, cookieOptions(deps.secureCookies, s.expires));
    return reply.redirect('/', 303);
  },

  'POST /logout': async (deps, request, reply) => {
    await deps.audit(request, { action: 'sign_out' });
    await destroySession(deps.serving, request.auth!.session.session_hash);
    deps.forgetSession(request.auth!.session.session_hash);
    reply.clearCookie(SESSION_DEFAULTS.cookieName, { path: '/' });
    return reply.redirect('/login', 303);
  },

  'GET /': async (deps, request, reply) => {
    const ctx = await deps.pageContext(request, q(request).snapshot ?? null);
    const acked = ctx.caveatsAcknowledged;
    const body = html`<section class="caveats" id="caveats">
  <p class="lead">Read these before using anything here. They apply to every page and every export.</p>
  <ol>${CAVEATS.map((c) => html`<li data-caveat="${c.key}"><strong>${c.title}.</strong> ${c.text}</li>`)}</ol>
</section>
${acked
  ? html`<p class="ack-done">You acknowledged these caveats in this session. <a href="${homeFor(ctx.role)}">Continue</a></p>`
  : html`<form method="post" action="/caveats/acknowledge">${csrfField(ctx)}
      <button type="submit" id="acknowledge">I have read and understood these caveats</button></form>`}`;
    return reply.type(HTML).send(page(ctx, 'Before you start: caveats', body));
  },

  'POST /caveats/acknowledge': async (deps, request, reply) => {
    const a = request.auth!;
    if (!a.session.caveats_acknowledged_at) {
      await acknowledgeCaveats(deps.serving, a.session, deps.clock(), CAVEATS_VERSION);
      deps.forgetSession(a.session.session_hash);
      await deps.audit(request, { action: 'acknowledge_caveats', detail: CAVEATS_VERSION });
    }
    return reply.redirect(homeFor(a.role), 303);
  },

  'GET /overview': async (deps, request, reply) => reply.type(HTML).send(await overviewPage(deps, request, q(request))),
  'GET /networks': async (deps, request, reply) => reply.type(HTML).send(await networksPage(deps, request, q(request))),
  'GET /networks/:id': async (deps, request, reply) => reply.type(HTML).send(await networkPage(deps, request, params(request).id!, q(request))),
  'GET /api/networks/:id/graph': async (deps, request, reply) =>
    reply.type('application/json').send(await networkGraphJson(deps, request, params(request).id!, q(request))),
  'GET /networks/:id/harm-trend.svg': async (deps, request, reply) =>
    reply.type('image/svg+xml; charset=utf-8').send(await networkTrendSvg(deps, params(request).id!, q(request))),
  'GET /networks/:id/record-map.svg': async (deps, request, reply) =>
    reply.type('image/svg+xml; charset=utf-8').send(await networkRecordMapSvg(deps, request, params(request).id!, q(request))),
  'GET /nominals/:id': async (deps, request, reply) => reply.type(HTML).send(await nominalPage(deps, request, params(request).id!, q(request))),
  'GET /search': async (deps, request, reply) => reply.type(HTML).send(await searchPage(deps, request, q(request))),
  'GET /export/networks/:id': async (deps, request, reply) => {
    const { filename, csv } = await networkExportCsv(deps, request, params(request).id!, q(request));
    return reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${filename}"`).send(csv);
  },
  'GET /charts/:name': async (_deps, request, reply) => {
    const name = params(request).name!.replace(/\.vl\.json$|\.json$/, '');
    return reply.type('application/json').send(chartSpec(name));
  },
  'GET /snapshots': async (deps, request, reply) => reply.type(HTML).send(await snapshotsPage(deps, request, q(request))),
  'GET /snapshots/:id/verify': async (deps, request, reply) => reply.type(HTML).send(await verifyPage(deps, request, params(request).id!)),
  'POST /snapshots/:id/disclosure': async (deps, request, reply) => reply.redirect(await makeDisclosure(deps, request, params(request).id!, body(request)), 303),
  'GET /disclosures/:token': async (deps, request, reply) => {
    const { filename, bytes } = await downloadDisclosure(deps, request, params(request).token!);
    return reply.type('application/gzip').header('Content-Disposition', `attachment; filename="${filename}"`).send(bytes);
  },
  'GET /snapshots/diff': async (deps, request, reply) => reply.type(HTML).send(await diffPage(deps, request, q(request))),

  'GET /feedback': async (deps, request, reply) => {
    const query = q(request);
    const ctx = await deps.pageContext(request, query.snapshot ?? null);
    const body = html`<p>Tell the analytics lab about an error (a wrong match, a wrong record, a wrong figure) or a concern that
something here may be biased. Every report is tracked to closure.</p>
${query.sent ? html`<p class="notice" id="feedback-sent">Thank you — your report was recorded as number ${query.sent}.</p>` : ''}
<form method="post" action="/feedback" class="feedback">${csrfField(ctx)}
  <input type="hidden" name="page" value="${query.page ?? ''}">
  <input type="hidden" name="snapshot" value="${ctx.snapshot?.snapshot_id ?? ''}">
  <label>Kind <select name="kind"><option value="error">An error</option><option value="bias">A bias concern</option><option value="other">Something else</option></select></label>
  <label>What did you see, and where? <textarea name="message" rows="6" required maxlength="4000"></textarea></label>
  <button type="submit">Send to the analytics lab</button>
</form>`;
    return reply.type(HTML).send(page(ctx, 'Report an error or a bias concern', body));
  },

  'POST /feedback': async (deps, request, reply) => {
    const b = body(request);
    const message = String(b.message ?? '').trim();
    const kind = ['error', 'bias', 'other'].includes(String(b.kind)) ? String(b.kind) : 'other';
    if (!message) throw new HarmnetError('INPUT_INVALID', 'the report was empty; describe what you saw');
    if (message.length > 4000) throw new HarmnetError('INPUT_INVALID', 'the report is longer than 4000 characters');
    const a = request.auth!;
    const id = Number((await deps.serving.value('SELECT coalesce(max(feedback_id), 0) + 1 FROM feedback')) ?? 1);
    await deps.serving.run(
      `INSERT INTO feedback VALUES ($id, $at::TIMESTAMP, $u, $r, $k, $p, $s, $m, 'open')`,
      { id, at: deps.clock().toISOString().replace('T', ' ').replace('Z', ''), u: a.user.username, r: a.role, k: kind, p: String(b.page ?? '').slice(0, 300) || null, s: String(b.snapshot ?? '').slice(0, 128) || null, m: message },
    );
    await deps.audit(request, { action: 'feedback', subjectType: 'feedback', subjectId: String(id) });
    return reply.redirect(`/feedback${qs({ sent: id })}`, 303);
  },

  'GET /feedback/list': async (deps, request, reply) => {
    const ctx = await deps.pageContext(request);
    const rows = await deps.serving.all(
      `SELECT feedback_id, strftime(submitted_at, '%Y-%m-%d %H:%M') AS submitted_at, username, role, kind, page, snapshot_id, message, status
         FROM feedback ORDER BY feedback_id DESC LIMIT 500`,
    );
    const history = await deps.serving.all(
      `SELECT feedback_id, strftime(changed_at, '%Y-%m-%d %H:%M') AS changed_at, username, status, note FROM feedback_history ORDER BY changed_at, feedback_id`,
    );
    const body = html`<table class="data" id="feedback-table"><thead><tr><th>#</th><th>When (UTC)</th><th>From</th><th>Kind</th><th>Page</th><th>Snapshot</th><th>Report</th><th>Status and history</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td>${r.feedback_id}</td><td>${r.submitted_at}</td><td>${r.username} (${r.role})</td><td>${r.kind}</td><td>${r.page}</td><td>${r.snapshot_id}</td><td class="message">${r.message}</td>
<td><strong class="status">${r.status}</strong>${history.filter((h) => h.feedback_id === r.feedback_id).map((h) => html`<div class="small">${h.changed_at} ${h.username}: ${h.status}${h.note ? ` — ${h.note}` : ''}</div>`)}
<form method="post" action="/feedback/${r.feedback_id}/status" class="feedback-status">${csrfField(ctx)}
<select name="status">${FEEDBACK_STATUSES.map((st) => html`<option value="${st}"${st === r.status ? html` selected` : ''}>${st}</option>`)}</select>
<input name="note" maxlength="500" placeholder="note (what was done)"><button type="submit">Update</button></form></td></tr>`)}</tbody></table>
${rows.length === 0 ? html`<p>No reports yet.</p>` : ''}`;
    return reply.type(HTML).send(page(ctx, 'Feedback received', body));
  },

  'POST /feedback/:id/status': async (deps, request, reply) => {
    const id = Number(params(request).id);
    const b = body(request);
    const status = String(b.status ?? '');
    if (!FEEDBACK_STATUSES.includes(status)) throw new HarmnetError('INPUT_INVALID', `status must be one of ${FEEDBACK_STATUSES.join(', ')}, got "${status}"`);
    if (!Number.isInteger(id) || !(await deps.serving.one('SELECT 1 AS x FROM feedback WHERE feedback_id = $id', { id }))) throw new HarmnetError('NOT_FOUND', 'no such feedback report');
    const note = String(b.note ?? '').trim().slice(0, 500) || null;
    const at = deps.clock().toISOString().replace('T', ' ').replace('Z', '');
    await deps.serving.transaction(async () => {
      await deps.serving.run('UPDATE feedback SET status = $s WHERE feedback_id = $id', { s: status, id });
      await deps.serving.run('INSERT INTO feedback_history VALUES ($id, $at::TIMESTAMP, $u, $s, $n)', { id, at, u: request.auth!.user.username, s: status, n: note });
    });
    await deps.audit(request, { action: 'feedback', subjectType: 'feedback', subjectId: String(id), detail: `status ${status}` });
    return reply.redirect('/feedback/list', 303);
  },

  'GET /audit': async (deps, request, reply) => {
    const ctx = await deps.pageContext(request);
    const offset = Math.max(0, Number(q(request).offset ?? 0) || 0);
    const [rows, chain] = await Promise.all([listAudit(deps.serving, { limit: 200, offset }), verifyAuditChainDb(deps.serving)]);
    const body = html`<p id="audit-chain" class="${chain.ok ? 'ok' : 'broken'}">Hash chain: ${chain.ok ? html`<strong>intact</strong> over ${chain.rows} entries` : html`<strong>BROKEN</strong> at entry ${chain.brokenAt} of ${chain.rows} — tell the analytics lab and Professional Standards`}.</p>
<table class="data" id="audit-table"><thead><tr><th>#</th><th>When (UTC)</th><th>Who</th><th>Role</th><th>What</th><th>Subject</th><th>Snapshot</th><th>Detail</th><th>Hash</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td>${r.seq}</td><td>${r.at}</td><td>${r.username}</td><td>${r.role}</td><td>${r.action}</td><td>${r.subject_type ? `${r.subject_type} ${r.subject_id}` : ''}</td><td>${r.snapshot_id}</td><td>${r.detail}</td><td class="hash">${r.hash.slice(0, 12)}…</td></tr>`)}</tbody></table>
<p>${offset > 0 ? html`<a href="/audit${qs({ offset: Math.max(0, offset - 200) })}">Newer</a> ` : ''}${rows.length === 200 ? html`<a href="/audit${qs({ offset: offset + 200 })}">Older</a>` : ''}</p>`;
    return reply.type(HTML).send(page(ctx, 'Audit log', body));
  },

  // the partner's upload form and own request history; the lab sees every partner's (dashboards/partner/)
  'GET /partner': async (deps, request, reply) => partnerHomeHandler(deps, request, reply),

  'GET /fairness': async (deps, request, reply) => reply.type(HTML).send(await fairnessPage(deps, request, q(request))),
  'GET /transparency': async (deps, request, reply) => reply.type(HTML).send(await transparencyPage(deps, request)),
  'GET /evaluation': async (deps, request, reply) => reply.type(HTML).send(await evaluationPage(deps, request, q(request))),

  'GET /users': async (deps, request, reply) => {
    const ctx = await deps.pageContext(request);
    const users = await listUsers(deps.serving);
    const now = deps.clock().toISOString();
    const body = html`<p>Accounts are managed with <code>harmnet users add|list|disable|grant</code>.</p>
<table class="data" id="users-table"><thead><tr><th>User</th><th>Role</th><th>Status</th><th>Grant until</th></tr></thead>
<tbody>${users.map((u) => html`<tr><td>${u.username}</td><td>${ROLE_LABELS[u.role]}</td><td>${u.disabled ? 'disabled' : 'active'}</td><td>${u.grant_until ? `${u.grant_until}${u.grant_until < now ? ' (expired)' : ''}` : ''}</td></tr>`)}</tbody></table>`;
    return reply.type(HTML).send(page(ctx, 'Accounts and grants', body));
  },
};
