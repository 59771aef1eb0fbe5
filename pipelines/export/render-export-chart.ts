// Charts for export bundles as SVG, rendered server-side (vega-lite compile → vega View, renderer
// 'none' → toSVG; no browser) from the dashboard's own specs, or from dashboards/charts/exports/.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { CHARTS_DIR, chartNames, chartSpec, renderChartSvg } from '../../dashboards/chart-render.ts';
import { HarmnetError } from '../core/errors.ts';

export const EXPORT_CHARTS_DIR = path.join(CHARTS_DIR, 'exports');

/** The spec text of a dashboard chart or an export-only chart, as stored. */
export function exportChartSpec(name: string): Record<string, unknown> {
  if (chartNames().includes(name)) return chartSpec(name);
  const file = path.join(EXPORT_CHARTS_DIR, `${name}.vl.json`);
  if (!/^[a-z0-9-]+$/.test(name) || !existsSync(file)) throw new HarmnetError('NOT_FOUND', `no chart "${name}" in ${CHARTS_DIR} or ${EXPORT_CHARTS_DIR}`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** SVG of a chart filled with `rows`: the dashboard's renderer for its charts, the same pipeline for export-only ones. */
export async function renderExportChartSvg(name: string, rows: Record<string, unknown>[]): Promise<string> {
  if (chartNames().includes(name)) return renderChartSvg(name, rows);
  const spec = exportChartSpec(name);
  const compiled = vl.compile({ ...spec, data: { values: rows } } as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return svg.replace('<svg ', `<svg role="img" aria-label="${String((spec.description as string) ?? name).replace(/[<>&"]/g, '')}" data-chart="${name}" `);
  } finally {
    view.finalize();
  }
}
