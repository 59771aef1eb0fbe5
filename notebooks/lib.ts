// Small helpers the analyst notebooks share: where the snapshots are, opening one, and rich displays
// (HTML tables, Vega-Lite charts rendered to inline SVG) via the Jupyter display protocol, so no Deno globals.

import path from 'node:path';
import process from 'node:process';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { CAVEATS } from '../dashboards/caveats.ts';
import { HarmnetError } from '../pipelines/core/errors.ts';
import { listSnapshots, openSnapshot, type SnapshotSummary } from '../pipelines/snapshot/read-snapshot.ts';

/** The Jupyter display protocol the Deno kernel honours: a cell's last value with this method is shown as rich output. */
const DISPLAY = Symbol.for('Jupyter.display');

export interface Displayable {
  [DISPLAY](): Record<string, string>;
}

export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * Sends a rich output now and waits until the kernel has sent it. The Deno kernel can report a cell idle
 * before a cell's *returned* value is published, so headless runs (nbconvert) sometimes lost it; awaiting an
 * explicit display (and a short pause) keeps the outputs; notebooks/run-notebooks.ts checks none was lost. Outside Jupyter (plain deno/tsx) it prints the text form.
 */
export async function show(d: Displayable): Promise<void> {
  const jupyter = (globalThis as { Deno?: { jupyter?: { display(bundle: Record<string, string>, options: { raw: boolean }): Promise<void> } } }).Deno?.jupyter;
  const bundle = d[DISPLAY]();
  if (jupyter) {
    await jupyter.display(bundle, { raw: true });
    // give the kernel's IOPub sender a moment to flush before the cell reports idle
    await new Promise((r) => setTimeout(r, 50));
  } else console.log(bundle['text/plain']);
}

/** Raw HTML as a cell output. */
export function html(markup: string): Displayable {
  return { [DISPLAY]: () => ({ 'text/html': markup, 'text/plain': markup.replace(/<[^>]+>/g, '') }) };
}

/** The snapshots folder: $HARMNET_SNAPSHOTS (set by notebooks/run-notebooks.ts), else var/snapshots. */
export function snapshotsDir(): string {
  return process.env.HARMNET_SNAPSHOTS ?? path.resolve(process.cwd(), '..', 'var', 'snapshots');
}

/** Every snapshot in the folder, oldest first; refuses an empty folder with a clear message. */
export function snapshots(): SnapshotSummary[] {
  const list = listSnapshots(snapshotsDir()).filter((s) => !s.problem);
  if (list.length === 0) throw new HarmnetError('SNAPSHOT_NOT_FOUND', `no snapshots in ${snapshotsDir()} (set HARMNET_SNAPSHOTS or run harmnet run first)`);
  return list;
}

export { openSnapshot };

/** The caveats every notebook opens with (safeguards.md 11), plus what the figures are and are not. */
export function caveats(): Displayable {
  const items = CAVEATS.map((c) => `<li><strong>${escapeHtml(c.title)}.</strong> ${escapeHtml(c.text)}</li>`).join('');
  return html(
    `<div class="harmnet-caveats"><h3>Caveats</h3><p>Every figure here is <strong>recorded harm</strong> and recorded links as at a snapshot date — never a prediction of future offending. ` +
      `Proven and alleged harm are shown apart. Victims, witnesses and missing people are never scored or ranked. All data in the demo snapshots is synthetic.</p><ul>${items}</ul></div>`,
  );
}

function fmt(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(1);
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}

/** Rows as an HTML table (columns from the first row, or as given). */
export function table(rows: Record<string, unknown>[], columns?: string[], caption?: string): Displayable {
  const cols = columns ?? (rows.length ? Object.keys(rows[0] as object) : []);
  const head = cols.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = rows.map((r) => `<tr>${cols.map((c) => `<td>${escapeHtml(fmt(r[c]))}</td>`).join('')}</tr>`).join('');
  const cap = caption ? `<caption>${escapeHtml(caption)}</caption>` : '';
  return html(`<table class="harmnet-table">${cap}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${rows.length === 0 ? '<p><em>No rows.</em></p>' : ''}`);
}

/** Renders a Vega-Lite spec with inline rows to an SVG string (server-side, no browser). */
export async function vegaLiteSvg(spec: Record<string, unknown>, rows: Record<string, unknown>[]): Promise<string> {
  const filled = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', ...spec, data: { values: rows } } as vl.TopLevelSpec;
  const view = new vega.View(vega.parse(vl.compile(filled).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const label = escapeHtml(String(spec.description ?? 'chart'));
    return svg.replace('<svg ', `<svg role="img" aria-label="${label}" `);
  } finally {
    view.finalize();
  }
}

/** A Vega-Lite chart as an inline-SVG cell output (survives static HTML export). */
export async function chart(spec: Record<string, unknown>, rows: Record<string, unknown>[]): Promise<Displayable> {
  return html(`<div class="harmnet-chart">${await vegaLiteSvg(spec, rows)}</div>`);
}

/** An SVG string already rendered (e.g. dashboards/chart-render.ts renderChartSvg) as a cell output. */
export function svg(markup: string): Displayable {
  return html(`<div class="harmnet-chart">${markup}</div>`);
}

/** DuckDB values made JSON/Vega friendly: bigint → number, Date-like objects → ISO date strings. */
export function plain(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
}
