// The page frame every server-rendered page shares: navigation by role, the persistent caveat banner,
// demo and missing-source banners, the snapshot shown (id, as-of) with a switcher, and sign-out.

import { html, qs, type SafeHtml } from '../html.ts';
import { DEMO_BANNER, SHORT_BANNER } from '../caveats.ts';
import { ROUTES, type Role } from '../roles.ts';
import type { SnapshotInfo } from '../snapshot-store.ts';

export interface PageContext {
  username: string;
  role: Role;
  csrfToken: string;
  demo: boolean;
  /** Path of the current page without query, for the snapshot switcher. */
  path: string;
  snapshot?: SnapshotInfo;
  snapshots: SnapshotInfo[];
  caveatsAcknowledged: boolean;
}

const NAV: [string, string][] = [
  ['/overview', 'Overview'],
  ['/networks', 'Networks'],
  ['/search', 'Search'],
  ['/snapshots', 'Snapshots'],
  ['/fairness', 'Fairness'],
  ['/evaluation', 'Evaluation'],
  ['/transparency', 'Transparency'],
  ['/partner', 'Partner match'],
  ['/audit', 'Audit'],
  ['/feedback/list', 'Feedback received'],
  ['/users', 'Accounts'],
];

export function canOpen(role: Role, routePath: string, method = 'GET'): boolean {
  const r = ROUTES.find((x) => x.path === routePath && x.method === method);
  return !!r && (r.roles === null || r.roles.includes(role));
}

/** Sources whose input status in the manifest is neither loaded nor unchanged. */
export function sourcesNotLoaded(s: SnapshotInfo): { source: string; status: string }[] {
  return s.inputs.filter((i) => i.status !== 'loaded' && i.status !== 'unchanged').map((i) => ({ source: i.source, status: i.status }));
}

export function snapshotQuery(ctx: PageContext): string {
  return ctx.snapshot ? qs({ snapshot: ctx.snapshot.snapshot_id }) : '';
}

export function csrfField(ctx: { csrfToken: string }): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`;
}

/** scripts: deferred page scripts; preload: same-origin JSON the page's script fetches, requested while the page still loads. */
export function page(ctx: PageContext, title: string, body: SafeHtml | SafeHtml[], options: { scripts?: string[]; preload?: string[] } = {}): string {
  const sq = snapshotQuery(ctx);
  const nav = ctx.caveatsAcknowledged
    ? NAV.filter(([p]) => canOpen(ctx.role, p)).map(([p, label]) => html`<a href="${p}${p === '/search' || p === '/audit' || p === '/users' || p === '/feedback/list' || p === '/partner' || p === '/transparency' ? '' : sq}">${label}</a>`)
    : [];
  const missing = ctx.snapshot ? sourcesNotLoaded(ctx.snapshot) : [];
  const switcher =
    ctx.snapshot && ctx.snapshots.length > 0
      ? html`<form class="snapshot-switcher" method="get" action="${ctx.path}">
          <label>Snapshot <select name="snapshot" id="snapshot-select">${ctx.snapshots.map(
            (s) => html`<option value="${s.snapshot_id}"${s.snapshot_id === ctx.snapshot!.snapshot_id ? html` selected` : ''}>${s.snapshot_id} (as of ${s.as_of})</option>`,
          )}</select></label>
          <button type="submit">Show</button></form>`
      : '';
  return html`<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — harmnet</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/static/app.css">
${(options.preload ?? []).map((href) => html`<link rel="preload" href="${href}" as="fetch" crossorigin="anonymous">`)}<script src="/static/app.js" defer></script>${(options.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}</head>
<body>
<header class="top">
  <div class="brand"><a href="/">harmnet</a></div>
  <nav>${nav}</nav>
  <div class="who">${ctx.username} · ${ctx.role}
    <a class="feedback-link" href="/feedback${qs({ page: ctx.path, snapshot: ctx.snapshot?.snapshot_id })}">Report an error or a bias concern</a>
    <form method="post" action="/logout" class="inline">${csrfField(ctx)}<button type="submit">Sign out</button></form></div>
</header>
<div class="banner caveat-banner" role="note" id="caveat-banner">${SHORT_BANNER} <a href="/">Full caveats</a></div>
${ctx.demo ? html`<div class="banner demo-banner" role="note" id="demo-banner">${DEMO_BANNER}</div>` : ''}
${missing.length
  ? html`<div class="banner source-banner" role="alert" id="source-banner">Sources not loaded for this snapshot's week: ${missing.map((m, i) => html`${i ? ', ' : ''}<strong>${m.source}</strong> (${m.status})`)}. Figures that depend on them may be out of date.</div>`
  : ''}
${ctx.snapshot
  ? html`<div class="snapshot-bar" id="snapshot-bar">Showing snapshot <strong id="snapshot-id">${ctx.snapshot.snapshot_id}</strong>, as of <strong id="snapshot-as-of">${ctx.snapshot.as_of}</strong>${
      ctx.snapshot.snapshot_id === ctx.snapshots[0]?.snapshot_id ? ' (latest)' : html` <em>(an earlier snapshot)</em>`
    } ${switcher}</div>`
  : ''}
<main><h1>${title}</h1>${body}</main>
</body></html>`.value;
}

/** A bare page (sign-in, errors before a session exists). */
export function barePage(title: string, body: SafeHtml, demo = false): string {
  return html`<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — harmnet</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/static/app.css"></head>
<body><header class="top"><div class="brand">harmnet</div></header>
<div class="banner caveat-banner" role="note">${SHORT_BANNER}</div>
${demo ? html`<div class="banner demo-banner" role="note">${DEMO_BANNER}</div>` : ''}
<main><h1>${title}</h1>${body}</main></body></html>`.value;
}
