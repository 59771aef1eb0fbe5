// Shared pieces of export bundles: CSV (formula-safe), the caveats file, the methodology pages copied in,
// and the escaped, script-free HTML page shell. Caveat wording comes from dashboards/caveats.ts only.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CAVEATS, CAVEATS_VERSION, SHORT_BANNER } from '../../dashboards/caveats.ts';
import { html, trusted, type SafeHtml } from '../../dashboards/html.ts';
import type { BundleWriter } from './bundle.ts';
import { csvCell } from '../core/csv-cell.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DOCS_DIR = path.join(here, '..', '..', 'docs');

/** Method pages copied into every bundle (as they stand in this code version). */
export const METHOD_PAGES = ['harm-scoring.md', 'networks-and-influence.md', 'entity-resolution.md', 'snapshots.md', 'disclosure.md'] as const;

/** Bundle-specific handling statement (the product caveats themselves are CAVEATS). */
export const BUNDLE_STATUS =
  'Status of this bundle: Sensitive Unused Material under the Criminal Procedure and Investigations Act 1996 — list it on the MG6D schedule, not the MG6C; it may attract public interest immunity (PII). Consult Force Intelligence before disclosing any of it. It records what the dashboard showed at the snapshot named; it is not a prediction and not evidence in itself.';

type Row = Record<string, unknown>;


/** CSV with a header row; values are never interpreted as formulas by a spreadsheet. */
export function toCsv(columns: string[], rows: Row[]): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
}

export function caveatsText(subjectLine: string): string {
  return [
    subjectLine,
    '',
    BUNDLE_STATUS,
    '',
    `${SHORT_BANNER}`,
    '',
    `Caveats (${CAVEATS_VERSION}):`,
    ...CAVEATS.map((c) => `- ${c.title}: ${c.text}`),
    '',
  ].join('\n');
}

export function addMethodPages(bundle: BundleWriter): void {
  for (const page of METHOD_PAGES) {
    bundle.add(`methodology/${page}`, readFileSync(path.join(DOCS_DIR, page)), `method page docs/${page} as in this code version`);
  }
}

export function caveatsHtml(): SafeHtml {
  return html`<section class="caveats" id="caveats"><h2>Status and caveats</h2><p><strong>${BUNDLE_STATUS}</strong></p><p>${SHORT_BANNER}</p>
<ul>${CAVEATS.map((c) => html`<li><strong>${c.title}.</strong> ${c.text}</li>`)}</ul><p class="small">Caveats version ${CAVEATS_VERSION}.</p></section>`;
}

const STYLE = 'body{font-family:sans-serif;margin:2em;max-width:75em}table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #bbb;padding:.2em .5em;font-size:90%;text-align:left}td.num{text-align:right}.intel{color:#a04000;font-weight:bold}.caveats{border:2px solid #a00;padding:0 1em;margin:1em 0}.small{font-size:85%;color:#444}.flag{border:1px solid #666;padding:0 .3em;margin-right:.3em}';

/** A complete, script-free HTML page; every value is escaped by the html`` template. */
export function htmlPage(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' file:; style-src 'unsafe-inline'">
<title>${title}</title><style>${trusted(STYLE)}</style></head>
<body><h1>${title}</h1>
${caveatsHtml()}
${body}
<p class="small">Integrity: <code>harmnet export verify DIR</code>, or <code>sha256sum --check --strict SHA256SUMS</code> in this folder.</p>
</body></html>
`.value;
}

/** A data table: columns as [key, heading]; a `format` may turn a cell into SafeHtml. */
export function htmlTable(id: string, columns: [string, string][], rows: Row[], format: (key: string, row: Row) => unknown = (k, r) => r[k]): SafeHtml {
  if (rows.length === 0) return html`<p id="${id}">None.</p>`;
  return html`<table id="${id}"><thead><tr>${columns.map(([, h]) => html`<th>${h}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${columns.map(([k]) => html`<td>${format(k, r)}</td>`)}</tr>\n`)}</tbody></table>`;
}
