// Runs the analyst notebooks headless through notebooks/run-notebooks.ts (nbconvert on the Deno kernel)
// against the demo back-fill's snapshots, and checks the HTML, the caveats, the charts and the failure report.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExecuted, missingTooling, notebookNames } from '../../notebooks/run-notebooks.ts';
import { demoBackfill } from '../helpers/demo.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const runner = path.join(root, 'notebooks', 'run-notebooks.ts');
const missing = missingTooling();
if (missing) console.warn(`SKIPPING notebook tests: ${missing} (.ci/run installs Jupyter and the Deno kernel)`);

/** Per notebook: markdown headings (rendered as <h1>/<h2>) and markup only an executed output carries. */
const EXPECTED: Record<string, { headings: string[]; outputs: string[] }> = {
  '01-harm-by-network-type.ipynb': {
    headings: ["This week's harm picture by network type", 'Harm by network type, proven and alleged apart', 'Over the weeks'],
    outputs: ['<caption>Recorded harm by network type (CCHI days)</caption>', 'data-chart="harm-trend-by-network-type"'],
  },
  '02-network-evolution.ipynb': {
    headings: ['One network over twelve weeks, with its lineage', 'Week by week'],
    // the demo back-fill (fixed seed) has a network formed by a merge; the lineage walk must reach its parents
    outputs: ['<caption>Lineage and recorded harm per week</caption>', '<td>MERGED</td>', 'data-chart="network-harm-trend"'],
  },
  '03-audit-a-score.ipynb': {
    headings: ["Auditing one nominal's harm score back to its source records", 'Back to the source extract'],
    outputs: ['<strong>MATCHES</strong>', 'sha256 matches the manifest', '<caption>The source rows behind the score (names, date of birth and ethnicity left out)</caption>'],
  },
  '04-compare-snapshots.ipynb': {
    headings: ['Comparing two snapshots', 'Largest movements in recorded harm'],
    outputs: ['<caption>Networks with the largest harm change</caption>', 'aria-label="Change in recorded network harm between two snapshots.'],
  },
};

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function run(args: string[]) {
  return spawnSync(tsx, [runner, ...args], { cwd: root, encoding: 'utf8', timeout: 280_000 });
}

describe.skipIf(missing !== null)('analyst notebooks', () => {
  let out: string;
  let result: ReturnType<typeof run>;
  beforeAll(async () => {
    const demo = await demoBackfill();
    out = mkdtempSync(path.join(os.tmpdir(), 'harmnet-notebooks-'));
    result = run(['--snapshots', demo.snapshots, '--out', out]);
  }, 300_000);
  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('executes every notebook and writes HTML with the caveats, inline SVG charts and the expected headings', () => {
    expect(result.stderr, result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(notebookNames()).toEqual(Object.keys(EXPECTED));
    for (const [name, expected] of Object.entries(EXPECTED)) {
      const html = path.join(out, name.replace(/\.ipynb$/, '.html'));
      expect(existsSync(html), html).toBe(true);
      const text = readFileSync(html, 'utf8').replace(/&#39;|&apos;/g, "'");
      expect(text, name).toMatch(/<svg[^>]*role="img"/);
      expect(text, name).toContain('<h3>Caveats</h3>');
      expect(text, name).toContain('never a prediction of future offending');
      for (const h of expected.headings) expect(text, `${name}: heading "${h}"`).toMatch(new RegExp(`<h[12][^>]*>${escapeRe(h)}`));
      for (const o of expected.outputs) expect(text, `${name}: output "${o}"`).toContain(o);
      expect(result.stdout).toContain(`ok ${name}`);
    }
  });

  it('the committed notebooks carry no outputs', () => {
    for (const name of notebookNames()) {
      const nb = JSON.parse(readFileSync(path.join(root, 'notebooks', name), 'utf8')) as { cells: { cell_type: string; outputs?: unknown[] }[] };
      for (const c of nb.cells) if (c.cell_type === 'code') expect(c.outputs, name).toEqual([]);
    }
  });

  it('fails non-zero naming the notebook and the cell when a cell throws', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'harmnet-no-snapshots-'));
    try {
      const r = run(['--snapshots', empty, '--out', path.join(empty, 'out'), '--only', '01-harm-by-network-type.ipynb']);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/01-harm-by-network-type\.ipynb cell 4 \(code cell 2: "const all = snapshots\(\);"\) failed: .*no snapshots in/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('checkExecuted', () => {
  it('names a code cell that produced no output (a lost kernel message) and passes a complete one', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'harmnet-nbcheck-'));
    try {
      const file = path.join(dir, '09-x.ipynb');
      const cells = [
        { cell_type: 'markdown', source: '# t' },
        { cell_type: 'code', source: ['a()\n', 'b'], outputs: [{ output_type: 'display_data' }] },
        { cell_type: 'code', source: 'table(rows)', outputs: [] },
      ];
      writeFileSync(file, JSON.stringify({ cells }));
      expect(() => checkExecuted(file)).toThrow('09-x.ipynb cell 3 (code cell 2: "table(rows)") produced no output');
      cells[2]!.outputs = [{ output_type: 'error', ename: 'TypeError', evalue: 'boom' } as never];
      writeFileSync(file, JSON.stringify({ cells }));
      expect(() => checkExecuted(file)).toThrow('09-x.ipynb cell 3 (code cell 2: "table(rows)") failed: TypeError: boom');
      cells[2]!.outputs = [{ output_type: 'display_data' }];
      writeFileSync(file, JSON.stringify({ cells }));
      expect(() => checkExecuted(file)).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
