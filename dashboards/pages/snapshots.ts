// Snapshots: every complete weekly snapshot with its as-of date, inputs' status and table row counts;
// each links to the overview as it stood then. (Verify, diff and disclosure download come with the snapshot module.)

import type { FastifyRequest } from 'fastify';
import { fmtNumber, html, qs } from '../html.ts';
import type { Deps } from '../server.ts';
import { canOpen, page, sourcesNotLoaded } from './layout.ts';

export async function snapshotsPage(deps: Deps, request: FastifyRequest, query: Record<string, string | undefined>): Promise<string> {
  const ctx = await deps.pageContext(request, query.snapshot ?? null);
  const showLinks = canOpen(ctx.role, '/overview');
  const body = html`<p>Each snapshot is the frozen output of one weekly run and is never modified: any past view can be reproduced from it.</p>
<table class="data" id="snapshots-table"><thead><tr><th>Snapshot</th><th>As of</th><th>Created</th><th>Previous</th><th>Sources not loaded</th><th>Nominals</th><th>Networks</th></tr></thead>
<tbody>${ctx.snapshots.map((s) => {
    const missing = sourcesNotLoaded(s);
    return html`<tr><td>${showLinks ? html`<a href="/overview${qs({ snapshot: s.snapshot_id })}">${s.snapshot_id}</a>` : s.snapshot_id}</td><td>${s.as_of}</td><td>${s.created_at}</td><td>${s.previous_snapshot_id ?? '—'}</td>
<td>${missing.length ? missing.map((m) => `${m.source} (${m.status})`).join(', ') : 'none'}</td><td class="num">${fmtNumber(s.tables.nominals?.rows, 0)}</td><td class="num">${fmtNumber(s.tables.networks?.rows, 0)}</td></tr>`;
  })}</tbody></table>
${ctx.snapshots.length === 0 ? html`<p>No snapshots yet: run the weekly job (<code>harmnet run</code>).</p>` : ''}`;
  return page(ctx, 'Snapshots', body);
}
