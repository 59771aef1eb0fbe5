// Vega-Lite chart specs kept as files in dashboards/charts/ (shared with the disclosure export),
// compiled and rendered to SVG on the server so the browser needs no script eval (strict CSP).

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { HarmnetError } from '../pipelines/core/errors.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const CHARTS_DIR = path.join(here, 'charts');

export function chartNames(): string[] {
  return readdirSync(CHARTS_DIR).filter((f) => f.endsWith('.vl.json')).map((f) => f.slice(0, -'.vl.json'.length)).sort();
}

/** The spec file as stored (data: {name: "rows"}), for download and for disclosure bundles. */
export function chartSpec(name: string): Record<string, unknown> {
  if (!chartNames().includes(name)) throw new HarmnetError('NOT_FOUND', `no chart "${name}"`);
  return JSON.parse(readFileSync(path.join(CHARTS_DIR, `${name}.vl.json`), 'utf8')) as Record<string, unknown>;
}

/** Renders a stored spec with the given rows to an SVG string. */
export async function renderChartSvg(name: string, rows: Record<string, unknown>[]): Promise<string> {
  const spec = chartSpec(name);
  const filled = { ...spec, data: { values: rows } } as vl.TopLevelSpec;
  const compiled = vl.compile(filled).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return svg.replace('<svg ', `<svg role="img" aria-label="${String((spec.description as string) ?? name).replace(/[<>&"]/g, '')}" data-chart="${name}" `);
  } finally {
    view.finalize();
  }
}
