// The in-memory matcher (match-index.ts, the default) against the SQL path (resolve's own SQL files per
// request) on thousands of generator rows: every field of every answer identical, probabilities to the bit.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StageContext } from '../../pipelines/core/context.ts';
import { openMatcher, type Matcher, type RowResult } from '../../pipelines/match/matcher.ts';
import type { PartnerRow } from '../../pipelines/match/partner-input.ts';
import { freshContext, removeDir } from '../helpers/context.ts';
import type { IdentityRow } from '../resolve/fixture.ts';
import { buildMatchSnapshot, PEOPLE, type MatchFixture } from './match-fixture.ts';

let ctx: StageContext & { root: string };
let fx: MatchFixture;
let memory: Matcher;
let sql: Matcher;
let rows: PartnerRow[];
let fromMemory: RowResult[];
let fromSql: RowResult[];

/** Seeded generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Every generated source record as a partner row (the generator's own typos, nicknames, swapped and
 * missing dates), and for every other one a further variant: accents, a typo, day and month swapped,
 * an initial only, the year one off, no forenames, a double-barrelled surname, a date before 1900.
 */
function partnerRows(f: MatchFixture): PartnerRow[] {
  const r = rng(42);
  const out: PartnerRow[] = [];
  const source = [...f.population.rows, ...PEOPLE];
  const dateOf = (d: string | null) => d ?? `19${50 + Math.floor(r() * 50)}-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}`;
  source.forEach((p, i) => {
    const sex = p.sex === 'M' || p.sex === 'F' ? p.sex : null;
    const base: PartnerRow = { line: 0, row_ref: '', surname: p.surname ?? 'X', forenames: p.forenames ?? null, date_of_birth: dateOf(p.date_of_birth ?? null), pnc: p.pnc_id_norm ?? p.pnc_id ?? null, pnc_invalid: false, sex };
    out.push(base);
    if (i % 2 === 1) return;
    const sn = base.surname;
    const dob = base.date_of_birth;
    const variants: Partial<PartnerRow>[] = [
      { surname: sn.replace(/E/i, 'É').replace(/O/i, 'Ö'), pnc: null },
      { surname: sn.length > 4 ? sn.slice(0, 2) + sn[3] + sn[2] + sn.slice(4) : sn + 'E', pnc: null },
      { date_of_birth: `${dob.slice(0, 4)}-${dob.slice(8, 10)}-${dob.slice(5, 7)}`.replace(/-(1[3-9]|2\d|3\d)-/, '-12-'), pnc: null },
      { forenames: (base.forenames ?? 'Q').slice(0, 1), pnc: null },
      { date_of_birth: `${Number(dob.slice(0, 4)) + 1}${dob.slice(4)}`, pnc: null },
      { forenames: null, sex: null },
      { surname: `${sn}-Smith`, pnc: null },
      { date_of_birth: '1890-01-01' },
      // someone else's PNC id with this person's name: the PNC decides (probability 1), as in resolve
      { pnc: source[(i * 7 + 3) % source.length]!.pnc_id_norm ?? null },
    ];
    out.push({ ...base, ...variants[Math.floor(r() * variants.length)]! });
  });
  out.push({ ...out[0]!, surname: 'Multitude', forenames: 'Paul', date_of_birth: '1980-01-01', pnc: null, sex: null },
    { ...out[0]!, surname: 'Crowder', forenames: 'Peter', date_of_birth: '1980-01-01', pnc: null, sex: null });
  return out.map((x, k) => ({ ...x, line: k + 2, row_ref: `R${k + 1}` }));
}

/**
 * Two crowds held without a date of birth: 59 MULTITUDE Paul and 60 CROWDER Peter. With the partner's row a
 * name block holds 60 and 61 identities: the first is compared, the second is over resolve's name-block cap (60).
 */
const CROWDS: IdentityRow[] = [...Array.from({ length: 59 }, (_, i) => ({ source: 'intel', person_ref: `MU${i}`, surname: 'Multitude', forenames: 'Paul', date_of_birth: null, sex: 'M' })),
  ...Array.from({ length: 60 }, (_, i) => ({ source: 'intel', person_ref: `CR${i}`, surname: 'Crowder', forenames: 'Peter', date_of_birth: null, sex: 'M' }))];

beforeAll(async () => {
  ctx = await freshContext();
  fx = await buildMatchSnapshot(ctx, path.join(ctx.root, 'snaps'), 1500, { withPopulationPnc: true, extra: CROWDS });
  memory = await openMatcher(fx.snapshotsDir, undefined, { batchWindowMs: 0 });
  sql = await openMatcher(fx.snapshotsDir, undefined, { batchWindowMs: 0, engine: 'sql' });
  rows = partnerRows(fx);
  fromMemory = await memory.match(rows, ctx.config.resolution);
  fromSql = await sql.match(rows, ctx.config.resolution);
}, 120_000);
afterAll(() => {
  memory?.close();
  sql?.close();
  ctx?.db.close();
  if (ctx) removeDir(ctx.root);
});

describe('in-memory matcher = SQL matcher', () => {
  it('gives every row the same status, decision, probability (to the bit), nominal, network, harm and withholding', () => {
    expect(rows.length).toBeGreaterThan(4000);
    process.stderr.write(`memory = sql on ${rows.length} rows: ${['MATCH', 'POSSIBLE_MATCH', 'NO_MATCH'].map((s) => `${s} ${fromSql.filter((x) => x.decided === s).length}`).join(', ')}\n`);
    const differing = fromMemory.map((m, k) => ({ row: rows[k], memory: m, sql: fromSql[k] })).filter((x) => JSON.stringify(x.memory) !== JSON.stringify(x.sql));
    expect(differing.slice(0, 5)).toEqual([]);
    expect(fromMemory).toEqual(fromSql);
    expect(fromMemory.map((x) => x.probability)).toStrictEqual(fromSql.map((x) => x.probability));
  });

  it('the rows compared cover every outcome: MATCH, POSSIBLE_MATCH, NO_MATCH, PNC-decided, withheld victims and harm', () => {
    const count = (f: (x: RowResult) => boolean) => fromSql.filter(f).length;
    expect(count((x) => x.decided === 'MATCH')).toBeGreaterThan(1000);
    expect(count((x) => x.decided === 'POSSIBLE_MATCH')).toBeGreaterThan(50);
    expect(count((x) => x.decided === 'NO_MATCH')).toBeGreaterThan(50);
    expect(count((x) => x.probability === 1)).toBeGreaterThan(300);
    expect(count((x) => x.withheld === 'safeguarding_only')).toBeGreaterThan(0);
    expect(count((x) => x.withheld === 'handling_conditions')).toBeGreaterThan(0);
    expect(count((x) => x.harm_cchi === 420)).toBeGreaterThan(0);
    // the crowds: a block at resolve's cap is compared, one over it is not
    expect(fromSql.slice(-2).map((x) => x.decided)).toEqual(['POSSIBLE_MATCH', 'NO_MATCH']);
    // probabilities strictly between the thresholds, where a last-bit difference could flip a status
    expect(count((x) => x.probability !== null && x.probability > 0.5 && x.probability < 0.999)).toBeGreaterThan(50);
  });

  it('a row alone gets the answer it gets in a list (rows are scored independently)', async () => {
    for (const k of [0, 1, 2, 3, 7, 100, 1001]) expect(await memory.match([rows[k]!], ctx.config.resolution)).toEqual([fromMemory[k]]);
  });
});
