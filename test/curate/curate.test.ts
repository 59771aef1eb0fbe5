// Integration: a hand-built drop through loadReferenceTables → ingestDrop → curate → applyRetention,
// asserting curated rows a reader can check by hand against the CCHI 2020 table and the default policy.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshContext, removeDir, tempDir } from '../helpers/context.ts';
import type { StageContext } from '../../pipelines/core/context.ts';
import { loadReferenceTables } from '../../pipelines/reference/load-reference.ts';
import { ingestDrop } from '../../pipelines/ingest/ingest-drop.ts';
import { curate } from '../../pipelines/curate/curate.ts';
import { applyRetention } from '../../pipelines/curate/retention.ts';
import { csv, rows, writeDrop, type Row } from '../ingest/drop-fixture.ts';

const AS_OF = '2026-11-16';
let ctx: StageContext;
let root: string;
let result: Awaited<ReturnType<typeof curate>>;

const crime = (ref: string, person: string, edit: Partial<Row> = {}): Row => ({ ...rows('crime', 1)[0]!, crime_ref: ref, person_ref: person, ...edit });
const intel = (ref: string, scheme: string, source: string, grade: string, handling: string): Row =>
  ({ ...rows('intel', 1)[0]!, intel_ref: ref, person_ref: `I-${ref}`, grading_scheme: scheme, source_grade: source, intel_grade: grade, handling_code: handling });

beforeAll(async () => {
  ctx = await freshContext();
  root = tempDir();
  await loadReferenceTables(ctx);
  const dir = writeDrop(root, AS_OF, {
    'crime.csv': csv([
      crime('CR1', 'P1'), // 008/01, no offence_ref: 4 CCHI values → ho_code_max 912.5
      crime('CR2', 'P2', { ho_offence_code: '999/99', role: 'VICTIM', person_outcome: 'NONE' }), // unknown code
      crime('CR3', 'P3', { ho_offence_code: '003/02', offence_ref: 'OF61003' }), // CJS code on CCHI row 3A.3.2.1
      crime('CR4', 'P4', { date_of_birth: '2010-06-01' }), // 15 on 2026-01-10 → under 18
      crime('CR5', 'P5', { recorded_date: '2026-11-20', committed_date: '2026-11-19' }), // after as-at → excluded
      crime('CR6', 'P6', { date_of_birth: '2008-01-10' }), // 18th birthday on the committed date → not under 18
      crime('CR7', 'P7', { pnc_id: 'NOT-A-PNC' }),
      crime('CR8', 'P8', { pnc_id: '03/457812k', offence_ref: '8N.8.1.2' }), // short PNC form; URN picks 19 days
    ]),
    'intel.csv': csv([
      intel('IN1', '3x5x2', '1', 'A', 'P'), // kept
      intel('IN2', '3x5x2', '2', 'A', 'P'), // excluded: source 2
      intel('IN3', '3x5x2', '1', 'D', 'C'), // excluded: intel D
      intel('IN4', '5x5x5', 'B', '2', '3'), // kept, handling 3 → C
      intel('IN5', '5x5x5', 'A', '1', '1'), // kept, handling 1 → P
      intel('IN6', '5x5x5', 'C', '1', '1'), // excluded: source C
      intel('IN7', '5x5x5', 'C', '1', '2'), // excluded: source C
    ]),
    'pins.csv': csv(rows('pins', 1, (r) => Object.assign(r, { prison_number: 'A1111AA', person_ref: '', actual_release_date: '2026-12-01' }))),
    'missing.csv': csv(rows('missing', 1, (r) => Object.assign(r, { reported_datetime: '2026-11-10 20:00:00', found_datetime: '2026-11-18 09:00:00', found_latitude: '52.5', found_longitude: '-1.9' }))),
    'custody.csv': csv(rows('custody', 2, (r, i) => Object.assign(r, { occasion_ref: 'OC1', person_ref: `C${i}` }))),
  });
  const ingest = await ingestDrop(ctx, dir);
  for (const s of Object.values(ingest.sources)) expect(s.status).toBe('loaded');
  result = await curate(ctx, { asOf: AS_OF, dropAsOf: AS_OF });
});
afterAll(() => {
  ctx.db.close();
  removeDir(root);
});

const q = (source: string, check: string) => result.quality.find((x) => x.source === source && x.check === check)?.value;

describe('curate', () => {
  it('builds as at $as_of: a crime recorded after it is left out and counted', async () => {
    expect(result.counts).toMatchObject({ crime: 7, intel: 3, pins: 1, missing: 1, custody: 2, involvement: 14 });
    expect(q('crime', 'rows_in_drop')).toBe(8);
    expect(q('crime', 'rows_recorded_after_as_of')).toBe(1);
    expect(await ctx.db.value("SELECT count(*) FROM curated.crime WHERE crime_ref = 'CR5'")).toBe(0);
  });

  it('identity_id is md5(source|person_ref)', async () => {
    const row = await ctx.db.one<{ identity_id: string; expected: string }>("SELECT identity_id, md5('crime|P1') AS expected FROM curated.crime WHERE crime_ref = 'CR1'");
    expect(row!.identity_id).toBe(row!.expected);
    expect(await ctx.db.value("SELECT person_ref FROM curated.pins")).toBe('A1111AA'); // prison number stands in
  });

  it('reliability policy: rows failing it are counted per scheme and grade and excluded', async () => {
    expect(await ctx.db.all('SELECT intel_ref, handling_code, handling_code_raw FROM curated.intel ORDER BY intel_ref')).toEqual([
      { intel_ref: 'IN1', handling_code: 'P', handling_code_raw: 'P' },
      { intel_ref: 'IN4', handling_code: 'C', handling_code_raw: '3' },
      { intel_ref: 'IN5', handling_code: 'P', handling_code_raw: '1' },
    ]);
    expect(result.quality.filter((x) => x.check.startsWith('excluded_by_reliability'))).toEqual([
      { source: 'intel', check: 'excluded_by_reliability:3x5x2:source=1:intel=D', value: 1 },
      { source: 'intel', check: 'excluded_by_reliability:3x5x2:source=2:intel=A', value: 1 },
      { source: 'intel', check: 'excluded_by_reliability:5x5x5:source=C:intel=1', value: 2 },
      { source: 'intel', check: 'excluded_by_reliability_total', value: 4 },
    ]);
    expect(q('intel', 'reliability_policy_version:reliability-2026.1')).toBe(1);
    expect(await ctx.db.value("SELECT count(*) FROM curated.involvement WHERE source = 'intel'")).toBe(3);
  });

  it('offence codes: CCHI by offence_ref, by a single value, by the maximum; unknown codes reported', async () => {
    expect(await ctx.db.all('SELECT offence_code, offence_ref, cchi_days, cchi_rule, classification_code, ons_status FROM curated.offence ORDER BY offence_code, offence_ref NULLS FIRST')).toEqual([
      { offence_code: '003/02', offence_ref: 'OF61003', cchi_days: 5475, cchi_rule: 'offence_ref', classification_code: '3A', ons_status: 'found' },
      { offence_code: '008/01', offence_ref: null, cchi_days: 912.5, cchi_rule: 'ho_code_max', classification_code: '8S', ons_status: 'found' },
      { offence_code: '008/01', offence_ref: '8N.8.1.2', cchi_days: 19, cchi_rule: 'offence_ref', classification_code: '8N', ons_status: 'found' },
      { offence_code: '999/99', offence_ref: null, cchi_days: null, cchi_rule: 'unknown', classification_code: null, ons_status: 'missing' },
    ]);
    expect(q('crime', 'unknown_offence_code:999/99')).toBe(1);
    expect(q('crime', 'unknown_offence_records')).toBe(1);
    // CR1, CR4, CR6, CR7 crime rows + 2 custody + 1 pins use 008/01 without a reference.
    expect(q('crime', 'cchi_ho_code_max:008/01')).toBe(4);
    expect(q('custody', 'cchi_ho_code_max:008/01')).toBe(2);
  });

  it('under_18 is the age on the record date (an 18th birthday is not under 18)', async () => {
    expect(await ctx.db.all("SELECT crime_ref, under_18 FROM curated.crime WHERE crime_ref IN ('CR1', 'CR4', 'CR6') ORDER BY crime_ref")).toEqual([
      { crime_ref: 'CR1', under_18: false }, { crime_ref: 'CR4', under_18: true }, { crime_ref: 'CR6', under_18: false },
    ]);
    expect(q('crime', 'under_18_records')).toBe(1);
  });

  it('PNC ids: short forms normalised, malformed ones flagged and counted', async () => {
    expect(await ctx.db.all("SELECT person_ref, pnc_id, pnc_id_norm, pnc_invalid FROM curated.identity WHERE source = 'crime' AND person_ref IN ('P1', 'P7', 'P8') ORDER BY person_ref")).toEqual([
      { person_ref: 'P1', pnc_id: '2003/0457812K', pnc_id_norm: '2003/0457812K', pnc_invalid: false },
      { person_ref: 'P7', pnc_id: 'NOT-A-PNC', pnc_id_norm: null, pnc_invalid: true },
      { person_ref: 'P8', pnc_id: '03/457812k', pnc_id_norm: '2003/0457812K', pnc_invalid: false },
    ]);
    expect(q('crime', 'pnc_invalid')).toBe(1);
  });

  it('release and found dates after $as_of are blanked', async () => {
    expect(await ctx.db.value('SELECT actual_release_date FROM curated.pins')).toBeNull();
    expect(await ctx.db.one('SELECT found_datetime, found_latitude FROM curated.missing')).toEqual({ found_datetime: null, found_latitude: null });
    expect(q('pins', 'release_after_as_of_blanked')).toBe(1);
    expect(q('missing', 'found_after_as_of_blanked')).toBe(1);
  });

  it('MOPI group per record from harmnet\'s mapping', async () => {
    expect(await ctx.db.all("SELECT record_ref, mopi_group FROM curated.involvement WHERE record_ref IN ('CR1', 'CR2', 'CR3', 'IN1') ORDER BY record_ref")).toEqual([
      { record_ref: 'CR1', mopi_group: 1 }, // VIOLENCE WITH INJURY
      { record_ref: 'CR2', mopi_group: 3 }, // unknown code → default
      { record_ref: 'CR3', mopi_group: 2 }, // VIOLENCE WITHOUT INJURY
      { record_ref: 'IN1', mopi_group: 3 }, // intelligence topic DRUGS → default
    ]);
  });

  it('refuses to build from a drop that was never ingested, or a drop before the week', async () => {
    await expect(curate(ctx, { asOf: '2026-11-09', dropAsOf: '2026-11-09' })).rejects.toThrow('curate: no source of drop 2026-11-09 has been ingested; run ingest for it first');
    await expect(curate(ctx, { asOf: '2026-11-23', dropAsOf: AS_OF })).rejects.toThrow(/drop 2026-11-16 is earlier than as-at 2026-11-23/);
  });

  it('curate and retention run inside a caller\'s transaction (as harmnet run wraps them)', async () => {
    const inTx = await ctx.db.transaction(() => curate(ctx, { asOf: AS_OF, dropAsOf: AS_OF }));
    expect(inTx.counts).toEqual(result.counts);
    expect(await ctx.db.transaction(() => applyRetention(ctx, { asOf: AS_OF }))).toEqual([
      { group: 1, reason: 'subject_100th_birthday', records: 0 },
      { group: 2, reason: 'review_due_10_years', records: 0 },
      { group: 3, reason: 'clear_period_6_years', records: 0 },
    ]);
  });

  it('a week can be rebuilt as at an earlier date from a later drop', async () => {
    const earlier = await curate(ctx, { asOf: '2026-01-11', dropAsOf: AS_OF });
    // Only crimes recorded by 2026-01-11 (7 of 8: all but CR5); custody arrests are 2026-01-12 → none.
    expect(earlier.counts).toMatchObject({ crime: 7, custody: 0, intel: 0, pins: 0, missing: 0 });
    result = await curate(ctx, { asOf: AS_OF, dropAsOf: AS_OF });
  });
});

describe('applyRetention', () => {
  it('removes records past their MOPI period from curated, purges the deletions from raw, and counts them by group', async () => {
    const c2 = await freshContext();
    const r2 = tempDir();
    try {
      await loadReferenceTables(c2);
      const dir = writeDrop(r2, AS_OF, {
        'crime.csv': csv([
          crime('G1-OLD', 'P10', { date_of_birth: '1925-01-01' }), // group 1, 100th birthday 2025-01-01 → removed
          crime('G1-KEEP', 'P11', { date_of_birth: '1930-01-01' }), // group 1, 100 in 2030 → kept
          crime('G2-OLD', 'P12', { ho_offence_code: '105/01', committed_date: '2015-06-01', recorded_date: '2015-06-02' }), // 11 y → review due
          crime('G2-KEEP', 'P13', { ho_offence_code: '105/01', committed_date: '2020-06-01', recorded_date: '2020-06-02' }),
          crime('G2-OLD2', 'P13', { ho_offence_code: '105/01', committed_date: '2014-06-01', recorded_date: '2014-06-02' }), // P13 keeps one of two
          crime('G3-CLEAR', 'P14', { ho_offence_code: '058/00', committed_date: '2019-01-01', recorded_date: '2019-01-02' }), // clear since 2019 → removed
          crime('G3-OLD', 'P15', { ho_offence_code: '058/00', committed_date: '2019-01-01', recorded_date: '2019-01-02' }), // old, but P15 has a newer record
          crime('G3-NEW', 'P15', { ho_offence_code: '058/00', committed_date: '2025-06-01', recorded_date: '2025-06-02' }),
        ]),
      });
      await ingestDrop(c2, dir);
      await curate(c2, { asOf: AS_OF, dropAsOf: AS_OF });
      const deleted = await applyRetention(c2, { asOf: AS_OF });
      expect(deleted).toEqual([
        { group: 1, reason: 'subject_100th_birthday', records: 1 },
        { group: 2, reason: 'review_due_10_years', records: 2 },
        { group: 3, reason: 'clear_period_6_years', records: 1 },
      ]);
      expect(await c2.db.all('SELECT crime_ref FROM curated.crime ORDER BY crime_ref')).toEqual(
        ['G1-KEEP', 'G2-KEEP', 'G3-NEW', 'G3-OLD'].map((crime_ref) => ({ crime_ref })));
      expect(await c2.db.value('SELECT count(*) FROM curated.involvement')).toBe(4);
      // groups 1 and 3 are deletions: gone from raw too; group 2 (review due) stays in raw for the review
      expect(await c2.db.all('SELECT crime_ref FROM raw.crime ORDER BY crime_ref')).toEqual(
        ['G1-KEEP', 'G2-KEEP', 'G2-OLD', 'G2-OLD2', 'G3-NEW', 'G3-OLD'].map((crime_ref) => ({ crime_ref })));
      expect(await c2.db.value("SELECT count(*) FROM curated.identity WHERE person_ref IN ('P10', 'P12', 'P14')")).toBe(0);
      expect(await c2.db.all('SELECT * FROM curated.retention_deleted ORDER BY "group"')).toEqual(
        deleted.map((d) => ({ group: d.group, reason: d.reason, records: d.records })));
      // a re-run of the same week (raw already purged) reports the same deletions
      await curate(c2, { asOf: AS_OF, dropAsOf: AS_OF });
      expect(await applyRetention(c2, { asOf: AS_OF })).toEqual(deleted);
      expect(await c2.db.value('SELECT count(*) FROM curated.involvement')).toBe(4);
      // retention leaves curated.identity equal to a full rebuild (identity-refresh.sql ≡ identity.sql)
      const after = await c2.db.all('SELECT * FROM curated.identity ORDER BY identity_id, variant_id');
      await c2.db.runFile(path.resolve(import.meta.dirname, '../../pipelines/curate/sql/identity.sql'));
      expect(await c2.db.all('SELECT * FROM curated.identity ORDER BY identity_id, variant_id')).toEqual(after);
      expect(after.map((r) => r.person_ref)).toEqual(expect.arrayContaining(['P11', 'P13', 'P15']));
      expect(after.find((r) => r.person_ref === 'P15')).toMatchObject({ n_records: 2, first_seen: '2019-01-01', last_seen: '2025-06-01' });
      expect(after.find((r) => r.person_ref === 'P13')).toMatchObject({ n_records: 1, first_seen: '2020-06-01', last_seen: '2020-06-01' });
    } finally {
      c2.db.close();
      removeDir(r2);
    }
  });
});
