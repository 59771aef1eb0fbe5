// A correction to a source record (the source re-issues the week's extract) flows into the next
// snapshot, and `snapshot diff` shows the nominal whose harm changed because of it.

import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { generate } from '../../data-fixtures/generator/generate.ts';
import { Db } from '../../pipelines/core/db.ts';
import { resolveConfig } from '../../pipelines/core/config.ts';
import { silentLog } from '../../pipelines/core/log.ts';
import type { StageContext } from '../../pipelines/core/context.ts';
import { runWeeks } from '../../pipelines/run/run-weeks.ts';
import { diffSnapshots } from '../../pipelines/snapshot/diff-snapshots.ts';
import { TEST_NOW, tempDir } from '../helpers/context.ts';

const WEEK = '2026-11-16';
let ctx: StageContext;
let extracts: string;

beforeAll(async () => {
  const root = tempDir();
  extracts = path.join(root, 'extracts');
  await generate({ out: extracts, weeks: 1, log: silentLog });
  const config = resolveConfig({ root });
  ctx = { db: await Db.open(config.paths.warehouse), log: silentLog, clock: () => new Date(TEST_NOW), config };
});

/** Re-issues crime.csv with one CHARGED suspect's outcome corrected to NFA; returns that crime_ref. */
function reissueWithCorrection(): string {
  const file = path.join(extracts, WEEK, 'crime.csv');
  const lines = readFileSync(file, 'utf8').split('\n');
  const header = lines[0]!.split(',');
  const outcome = header.indexOf('person_outcome');
  const ref = header.indexOf('crime_ref');
  const committed = header.indexOf('committed_date');
  // a recent CHARGED record on a line without quoted fields, so a plain split is exact
  const i = lines.findIndex((l, n) => n > 0 && !l.includes('"') && l.split(',')[outcome] === 'CHARGED' && l.split(',')[committed]! >= '2026-01-01');
  const cells = lines[i]!.split(',');
  cells[outcome] = 'NFA';
  lines[i] = cells.join(',');
  writeFileSync(file, lines.join('\n'));
  unlinkSync(path.join(extracts, WEEK, 'manifest.json')); // the re-issued drop comes without the old manifest
  return cells[ref]!;
}

describe('corrections to source records', () => {
  it('is refused under the same as-of date unless replaced, then flows into a new snapshot that diff explains', async () => {
    const [before] = await runWeeks(ctx, { extractsDir: extracts, weeks: [WEEK], codeVersion: 'test' });
    const crimeRef = reissueWithCorrection();

    // Without --replace the changed file is refused and nothing of it is loaded.
    const [refused] = await runWeeks(ctx, { extractsDir: extracts, weeks: [WEEK], codeVersion: 'test', until: 'ingest' });
    expect(refused!.sources.crime!.status).toBe('refused');
    expect(refused!.sources.crime!.message).toMatch(/crime\.csv/);

    const [after] = await runWeeks(ctx, { extractsDir: extracts, weeks: [WEEK], codeVersion: 'test', replace: true });
    expect(after!.sources.crime!.status).toBe('loaded');
    expect(after!.snapshot_id).not.toBe(before!.snapshot_id);

    const nominal = await ctx.db.value<string>(
      `SELECT e.nominal_id FROM person.nominal_sources AS e JOIN curated.involvement AS i USING (identity_id)
       WHERE i.source = 'crime' AND i.record_ref = $ref AND i.outcome = 'NFA' LIMIT 1`,
      { ref: crimeRef },
    );
    expect(nominal).toBeTruthy();
    const diff = await diffSnapshots(ctx.config.paths.snapshots, before!.snapshot_id!, after!.snapshot_id!, { limit: 100_000 });
    expect(diff.inputs_changed).toContain('crime');
    const changed = diff.nominals.changed.find((c) => c.id === nominal);
    expect(changed, `nominal ${nominal} listed as changed`).toBeTruthy();
    expect(changed!.changed_fields).toContain('harm_cchi');
    expect(changed!.harm_delta!).toBeLessThan(0); // a charge corrected to NFA counts zero
  });
});
