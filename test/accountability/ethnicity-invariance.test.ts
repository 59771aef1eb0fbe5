// Safeguard 3, proved: the real weekly job run twice on the same generated drops, once with every
// ethnicity value replaced by a different valid code, gives byte-identical snapshot tables except fairness.

import { createHash } from 'node:crypto';
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluationReport } from '../../pipelines/accountability/evaluation-report.ts';
import { renderEvaluationHtml } from '../../pipelines/accountability/render-html.ts';
import { evaluateReportCommand } from '../../pipelines/accountability/evaluate-report-command.ts';
import { exportTransparencyCommand } from '../../pipelines/accountability/transparency-command.ts';
import { existsSync } from 'node:fs';
import { deploymentFigures } from '../../pipelines/accountability/deployment-figures.ts';
import { generate } from '../../data-fixtures/generator/generate.ts';
import { Db } from '../../pipelines/core/db.ts';
import { resolveConfig } from '../../pipelines/core/config.ts';
import { silentLog } from '../../pipelines/core/log.ts';
import { listDrops } from '../../pipelines/run/drops.ts';
import { runWeeks } from '../../pipelines/run/run-weeks.ts';
import { readManifest } from '../../pipelines/snapshot/read-snapshot.ts';
import { fairnessReport } from '../../pipelines/accountability/fairness-report.ts';
import { removeDir, tempDir, TEST_NOW } from '../helpers/context.ts';

/** The 18+1 self-defined codes; each maps to the next one (a derangement: no value keeps its code). */
const CODES = ['A1', 'A2', 'A3', 'A4', 'A9', 'B1', 'B2', 'B9', 'M1', 'M2', 'M3', 'M9', 'NS', 'O1', 'O9', 'W1', 'W2', 'W3', 'W9'];
const replacement = (code: string) => (code === '' ? 'O9' : CODES[(CODES.indexOf(code) + 1) % CODES.length] ?? 'NS');

/** Spans [start, end) of each field of each record, honouring RFC 4180 quotes (so other fields stay byte for byte). */
function csvFieldSpans(text: string): [number, number][][] {
  const records: [number, number][][] = [];
  let fields: [number, number][] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') i++;
      else if (ch === '"') quoted = false;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === ',') (fields.push([start, i]), (start = i + 1));
    else if (ch === '\n' || ch === undefined) {
      const end = text[i - 1] === '\r' ? i - 1 : i;
      if (end > start || fields.length) (fields.push([start, end]), records.push(fields));
      fields = [];
      start = i + 1;
    }
  }
  return records;
}

/** Rewrites every ethnicity value in a drop folder and re-issues the drop manifest's hashes. */
function replaceEthnicity(dropDir: string): number {
  let changed = 0;
  const manifestFile = path.join(dropDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { files: Record<string, { sha256: string }> };
  for (const name of readdirSync(dropDir).filter((f) => f.endsWith('.csv'))) {
    const file = path.join(dropDir, name);
    const text = readFileSync(file, 'utf8');
    const records = csvFieldSpans(text);
    const header = records[0]!.map(([s, e]) => text.slice(s, e));
    const col = header.indexOf('ethnicity');
    expect(col, `${name} has an ethnicity column`).toBeGreaterThanOrEqual(0);
    let out = '';
    let pos = 0;
    for (const rec of records.slice(1)) {
      const [s, e] = rec[col]!;
      out += text.slice(pos, s) + replacement(text.slice(s, e));
      pos = e;
      changed++;
    }
    out += text.slice(pos);
    writeFileSync(file, out);
    manifest.files[name.replace(/\.csv$/, '')]!.sha256 = createHash('sha256').update(out).digest('hex');
  }
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  return changed;
}

async function runAll(root: string, extracts: string): Promise<{ snapshots: string; warehouse: string }> {
  const config = resolveConfig({ root, warehouse: path.join(root, 'warehouse.duckdb'), snapshots: path.join(root, 'snapshots') });
  const db = await Db.open(config.paths.warehouse);
  try {
    const ctx = { db, log: silentLog, clock: () => new Date(TEST_NOW), config };
    const results = await runWeeks(ctx, { extractsDir: extracts, weeks: listDrops(extracts), codeVersion: 'test' });
    // the fairness stage on top: the only reader of ethnicity
    await fairnessReport(ctx, { asOf: results.at(-1)!.as_of });
  } finally {
    db.close();
  }
  return { snapshots: config.paths.snapshots, warehouse: config.paths.warehouse };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

let root: string;
let original: string;
let altered: string;
let weeks: string[];
let a: { snapshots: string; warehouse: string };
let b: { snapshots: string; warehouse: string };

beforeAll(async () => {
  root = tempDir('harmnet-invariance-');
  dirs.push(root);
  original = path.join(root, 'original');
  await generate({ out: original, weeks: 2, log: silentLog });
  altered = path.join(root, 'altered');
  cpSync(original, altered, { recursive: true });
  weeks = listDrops(original);
  let changed = 0;
  for (const w of weeks) changed += replaceEthnicity(path.join(altered, w));
  expect(changed).toBeGreaterThan(10_000);
  [a, b] = await Promise.all([runAll(path.join(root, 'a'), original), runAll(path.join(root, 'b'), altered)]);
}, 240_000);

describe('ethnicity invariance (safeguard 3)', () => {
  it('changing every ethnicity leaves every snapshot table except fairness byte-identical', async () => {
    expect(weeks).toHaveLength(2);
    const firstCrime = (dir: string) => readFileSync(path.join(dir, weeks[1]!, 'crime.csv'), 'utf8').split('\n')[1]!;
    expect(firstCrime(altered)).not.toBe(firstCrime(original));
    expect(firstCrime(altered).replace(/,[^,]*$/, '')).toBe(firstCrime(original).replace(/,[^,]*$/, ''));
    for (const w of weeks) {
      const find = (dir: string) => readdirSync(dir).find((d) => d.startsWith(w))!;
      const ma = readManifest(a.snapshots, find(a.snapshots));
      const mb = readManifest(b.snapshots, find(b.snapshots));
      const names = Object.keys(ma.tables).sort();
      expect(Object.keys(mb.tables).sort()).toEqual(names);
      expect(names).toEqual(expect.arrayContaining(['nominals', 'edges', 'edge_evidence', 'harm_explanations', 'networks', 'nominal_sources']));
      // fairness reads ethnicity by design; deployments is run provenance (run id, config hash of this
      // installation's paths) whose evaluation figures include the fairness counts
      expect(names).toContain('deployments');
      for (const t of names.filter((n) => !n.startsWith('fairness') && n !== 'deployments')) {
        expect({ week: w, table: t, sha256: mb.tables[t]!.sha256 }).toEqual({ week: w, table: t, sha256: ma.tables[t]!.sha256 });
      }
      // the inputs did change (so the identity of the runs is not trivially the same)
      expect(mb.inputs.find((i) => i.source === 'crime')!.sha256).not.toBe(ma.inputs.find((i) => i.source === 'crime')!.sha256);
    }

    // positive control: ethnicity did reach the warehouse, and the fairness report (its only reader) sees it
    const fairness = async (file: string) => {
      const db = await Db.open(file, { access_mode: 'READ_ONLY' });
      try {
        return await db.all(`SELECT attribute, "group", harm_band, count FROM analysis.fairness WHERE attribute = 'ethnicity' AND harm_band = 'all' ORDER BY "group"`);
      } finally {
        db.close();
      }
    };
    const fa = await fairness(a.warehouse);
    const fb = await fairness(b.warehouse);
    expect(fb).not.toEqual(fa);
    const count = (rows: Record<string, unknown>[], g: string) => Number(rows.find((r) => r.group === g)?.count ?? 0);
    expect(count(fa, 'W1')).toBeGreaterThan(0);
  });
});

describe('evaluation report on the real run', () => {
  it('measures against the generator truth and renders the figures in HTML', async () => {
    const db = await Db.open(':memory:');
    try {
      const config = resolveConfig({ root: path.join(root, 'a'), snapshots: a.snapshots });
      const id = readdirSync(a.snapshots).filter((d) => /^\d{4}-/.test(d)).sort().at(-1)!;
      const r = await evaluationReport({ db, log: silentLog, clock: () => new Date(TEST_NOW), config }, { snapshotsDir: a.snapshots, snapshotId: id, truthDir: path.join(original, 'truth') });
      expect(r.resolution!.precision).toBeGreaterThan(0.9);
      expect(r.resolution!.recall).toBeGreaterThan(0.5);
      expect(r.networks!.weeks).toBe(2);
      expect(r.stability).toHaveLength(1);
      expect(r.stability[0]!.same_id_share).toBeGreaterThan(0.5);
      expect(r.nominals.previous).not.toBeNull();
      expect(r.data_quality.length).toBeGreaterThan(10);
      const html = renderEvaluationHtml(r, [], ['caveat text']);
      for (const f of r.figures.filter((x) => x.value !== null)) {
        expect(html, f.name).toContain(`<td>${f.name}</td>`);
      }
      expect(html).toContain(r.resolution!.precision === 1 ? '<td>1</td>' : r.resolution!.precision.toFixed(4));
      expect(html).toContain(String(r.nominals.held));
    } finally {
      db.close();
    }
  });

  it('the two commands write JSON and HTML from a real installation', async () => {
    const out = path.join(root, 'reports');
    const args = ['--snapshots', a.snapshots, '--warehouse', a.warehouse, '--serving', path.join(root, 'none.duckdb'), '--out', out, '--json'];
    // no truth here (measured in the test above); the default <extracts>/truth does not exist in this installation
    expect(await evaluateReportCommand(args)).toBe(0);
    expect(await exportTransparencyCommand(args)).toBe(0);
    const id = readdirSync(a.snapshots).filter((d) => /^\d{4}-/.test(d)).sort().at(-1)!;
    const report = JSON.parse(readFileSync(path.join(out, `evaluation-${id}.json`), 'utf8'));
    expect(report.snapshot_id).toBe(id);
    expect(report.truth).toBeNull();
    expect(report.nominals.held).toBeGreaterThan(1000);
    // what the deployment log records after a code-version change is the same figures list
    const config = resolveConfig({ root: path.join(root, 'a'), snapshots: a.snapshots, warehouse: a.warehouse });
    const scratch = await Db.open(':memory:');
    try {
      expect(await deploymentFigures({ db: scratch, log: silentLog, clock: () => new Date(TEST_NOW), config }, { snapshotId: id })).toEqual(report.figures);
    } finally {
      scratch.close();
    }
    expect(existsSync(path.join(out, `evaluation-${id}.html`))).toBe(true);
    const register = JSON.parse(readFileSync(path.join(out, 'transparency-register.json'), 'utf8'));
    expect(register.metadata.snapshot_id).toBe(id);
    // reference tables with their versions and hashes come from the snapshot manifest
    const manifest = readManifest(a.snapshots, id);
    expect(register.tier_2.data_specification.reference_tables).toEqual(manifest.reference_tables.map((r) => ({ name: r.name, version: r.version, sha256: r.sha256 })));
    expect(readFileSync(path.join(out, 'transparency-register.html'), 'utf8')).toContain(manifest.reference_tables[0]!.sha256);
  });
});
