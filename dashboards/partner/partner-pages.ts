// The partner match pages as HTML fragments (the frame is pages/layout.ts): upload form and history,
// one request's result, and the lab's review queue. Escaping by the html`` tag.

import { caveatsAsText } from '../caveats.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, type PageContext } from '../pages/layout.ts';
import type { PartnerRowView, RequestSummary, ReviewItem } from '../../pipelines/match/partner-log.ts';
import { LEGAL_BASES } from '../../pipelines/match/partner-policy.ts';
import { RESPONSE_NOTES } from '../../pipelines/match/partner-match.ts';

function historyTable(requests: RequestSummary[], showPartner: boolean): SafeHtml {
  if (requests.length === 0) return html`<p id="partner-history-empty">No requests yet.</p>`;
  return html`<table class="data" id="partner-history"><thead><tr><th>Request</th><th>When</th>${showPartner ? html`<th>Partner</th>` : ''}<th>Officer</th><th>Purpose</th>
<th>Legal basis</th><th>Rows</th><th>Status</th><th>Match / possible / no match</th><th>Snapshot</th></tr></thead>
<tbody>${requests.map((r) => html`<tr><td>${r.status === 'COMPLETED' ? html`<a href="/partner/requests/${encodeURIComponent(r.request_id)}">${r.request_id}</a>` : r.request_id}</td>
<td>${r.requested_at}</td>${showPartner ? html`<td>${r.partner}</td>` : ''}<td>${r.officer}</td><td>${r.purpose}</td><td>${r.legal_basis}</td><td>${r.row_count}</td>
<td>${r.status}${r.refusal ? html`<br><span class="small">${r.refusal}</span>` : ''}</td><td>${r.status === 'COMPLETED' ? `${r.matches} / ${r.possible_matches} / ${r.no_matches}` : ''}</td>
<td>${r.snapshot_id ?? ''}</td></tr>`)}</tbody></table>`;
}

export function partnerHomeBody(ctx: PageContext, requests: RequestSummary[], maxRows: number): SafeHtml {
  const isPartner = ctx.role === 'partner';
  return html`${isPartner ? html`<section id="partner-upload"><h2>Match a list</h2>
<p>Upload a UTF-8 CSV of at most ${maxRows.toLocaleString('en-GB')} rows with the columns <code>row_ref,surname,forenames,date_of_birth</code> and
optionally <code>pnc_id</code> and <code>sex</code>. Each row is answered MATCH, POSSIBLE_MATCH or NO_MATCH; for a match, whether the person is in a
network and their recorded-harm score and band. Nothing about associates or records is ever returned. Every request is logged.</p>
<form method="post" action="/partner/upload" enctype="multipart/form-data" id="partner-upload-form">
${csrfField(ctx)}
<label>Requesting officer <input name="officer" required maxlength="100"></label>
<label>Purpose <input name="purpose" required minlength="10" maxlength="500"></label>
<label>Legal basis <select name="legal_basis" required><option value="">— choose —</option>
${Object.entries(LEGAL_BASES).map(([code, text]) => html`<option value="${code}">${code} — ${text}</option>`)}</select></label>
<label>List (CSV) <input type="file" name="file" accept=".csv,text/csv" required></label>
<button type="submit">Match</button>
</form></section>` : html`<p><a href="/partner/review" id="partner-review-link">Possible-match review queue</a></p>`}
<section><h2>${isPartner ? 'Your requests' : 'All partner requests'}</h2>${historyTable(requests, !isPartner)}</section>`;
}

export function requestBody(r: { request: RequestSummary; rows: PartnerRowView[] }): SafeHtml {
  const q = r.request;
  const yesNo = (v: boolean | null) => (v === null ? '' : v ? 'yes' : 'no');
  const num = (v: number | null) => (v === null ? '' : v.toFixed(1));
  return html`<p id="partner-request-meta">${q.partner} · officer ${q.officer} · ${q.legal_basis} · ${q.row_count} rows · snapshot ${q.snapshot_id ?? ''} (as of ${q.as_of ?? ''}) · ${q.requested_at}</p>
${q.status === 'COMPLETED' ? html`<p><a href="/partner/requests/${encodeURIComponent(q.request_id)}/result.csv" id="partner-result-csv" download>Download the result (CSV)</a></p>` : html`<p class="error-message">Refused: ${q.refusal ?? ''}</p>`}
<ul class="small">${RESPONSE_NOTES.map((n) => html`<li>${n}</li>`)}</ul>
<table class="data" id="partner-result"><thead><tr><th>Your ref</th><th>Status</th><th>Confidence</th><th>In a network</th><th>Harm (CCHI days)</th>
<th>Proven</th><th>Alleged</th><th>Band</th><th>Review</th></tr></thead>
<tbody>${r.rows.map((x) => html`<tr><td>${x.row_ref}</td><td>${x.status}</td><td>${x.confidence}</td><td>${yesNo(x.in_network)}</td><td>${num(x.harm_cchi)}</td>
<td>${num(x.harm_cchi_proven)}</td><td>${num(x.harm_cchi_alleged)}</td><td>${x.harm_band ?? ''}</td><td>${x.review_status ?? ''}</td></tr>`)}</tbody></table>
<section class="caveats small"><h2>Caveats</h2><ul>${caveatsAsText().map((c) => html`<li>${c}</li>`)}</ul></section>`;
}

export function reviewBody(ctx: PageContext, queue: ReviewItem[], requests: RequestSummary[]): SafeHtml {
  return html`<section><h2>Possible matches awaiting review</h2>
${queue.length === 0 ? html`<p id="partner-queue-empty">Nothing to review.</p>` : html`<table class="data" id="partner-queue"><thead><tr><th>Request</th><th>Partner</th>
<th>Submitted</th><th>Nominal</th><th>Confidence</th><th>Decision</th></tr></thead>
<tbody>${queue.map((q) => html`<tr><td>${q.request_id} row ${q.line} (${q.row_ref})</td><td>${q.partner}</td>
<td>${q.submitted_surname ?? ''}, ${q.submitted_forenames ?? ''} · ${q.submitted_date_of_birth ?? ''}</td>
<td><a href="/nominals/${encodeURIComponent(q.nominal_id)}">${q.nominal_id}</a></td><td>${q.confidence}</td>
<td><form method="post" action="/partner/review">${csrfField(ctx)}<input type="hidden" name="request_id" value="${q.request_id}">
<input type="hidden" name="line" value="${q.line}"><input name="reason" required placeholder="reason" maxlength="500">
<button name="decision" value="CONFIRMED">Confirm</button> <button name="decision" value="REJECTED">Reject</button></form></td></tr>`)}</tbody></table>`}
</section><section><h2>All partner requests</h2>${historyTable(requests, true)}</section>`;
}
