// The partner match service on a real resolved snapshot: statuses and what is withheld, the audit
// log, bad inputs (refused, logged as refused, nothing matched), CSV output, review queue, limits, CLI.

import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Db } from '../../pipelines/core/db.ts';
import { HarmnetError } from '../../pipelines/core/errors.ts';
import type { StageContext } from '../../pipelines/core/context.ts';
import { openMatcher, type Matcher, type RowResult } from '../../pipelines/match/matcher.ts';
import { parsePartnerCsv } from '../../pipelines/match/partner-input.ts';
import { partnerMatch, type PartnerMatchDeps } from '../../pipelines/match/partner-match.ts';
import { admit, confirmPossibleMatch, listRequests, logCompleted, rejectPossibleMatch, requestRows, reviewQueue } from '../../pipelines/match/partner-log.ts';
import { PARTNER_LIMITS } from '../../pipelines/match/partner-policy.ts';
import { csvCell, resultCsv, RESULT_COLUMNS } from '../../pipelines/match/result-csv.ts';
import { caveatsAsText } from '../../dashboards/caveats.ts';
import { YARDSTICK } from '../../pipelines/resolve/yardstick.ts';
import { freshContext, removeDir, TEST_NOW } from '../helpers/context.ts';
import { buildMatchSnapshot, THISTLEWOOD_PNC, type MatchFixture } from './match-fixture.ts';

let ctx: StageContext & { root: string };
let fx: MatchFixture;
let matcher: Matcher;
let serving: Db;

beforeAll(async () => {
  ctx = await freshContext();
  fx = await buildMatchSnapshot(ctx, path.join(ctx.root, 'snaps'));
  matcher = await openMatcher(fx.snapshotsDir);
}, 60_000);
afterAll(() => {
  matcher?.close();
  ctx?.db.close();
  if (ctx) removeDir(ctx.root);
});
beforeEach(async () => {
  serving = await Db.open(':memory:');
});
afterEach(() => serving.close());

const META = { partner: 'ROCU North', officer: 'DS 1234 Example', purpose: 'Operation Larch nominal check', legalBasis: 'DPA2018-PART3', channel: 'api' as const };
const HEADER = 'row_ref,surname,forenames,date_of_birth,pnc_id';
const LIST = [
  HEADER,
  'r1,Thistlewood,Ambrose,1988-03-14,', // the offender: MATCH, harm 420 = 300 proven + 120 alleged, band B, in network K1
  'r2,Featherstonehaugh,Imelda,1995-07-21,', // victim only: reported NO_MATCH, nothing else
  'r3,Quarrington,Bartholomew,1979-11-02,', // harm from a record with handling code C: MATCH, harm withheld
  'r4,Pengelly,Oswin,1983-01-30,', // network only through intelligence links: MATCH, in_network no
  'r5,Nobody,Here,1970-01-01,', // not held: NO_MATCH
  'r6,Marchbanks,Perpetua,1990-06-01,', // held without a DOB: names alone never make a MATCH → POSSIBLE_MATCH
].join('\n');
const bytes = (s: string) => new TextEncoder().encode(s);
const deps = (over: Partial<PartnerMatchDeps> = {}): PartnerMatchDeps => ({ serving, matcher, config: ctx.config, clock: () => new Date(TEST_NOW), ...over });

describe('partner match', () => {
  it('answers each row with status, Yardstick confidence, network and harm — withholding what a partner must not learn', async () => {
    const r = await partnerMatch(deps(), META, { csv: bytes(LIST) });
    expect(r.snapshot_id).toBe(fx.snapshotId);
    expect(r.as_of).toBe('2026-11-16');
    expect(r.caveats).toEqual(caveatsAsText());
    expect(r.legal_basis.code).toBe('DPA2018-PART3');
    const pick = (ref: string) => r.rows.find((x) => x.row_ref === ref)!;
    expect(pick('r1')).toMatchObject({ status: 'MATCH', confidence: 'Almost Certain', in_network: true, harm_cchi: 420, harm_cchi_proven: 300, harm_cchi_alleged: 120, harm_band: 'B' });
    const victim = pick('r2');
    expect(victim).toMatchObject({ status: 'NO_MATCH', confidence: '', in_network: null, harm_cchi: null, harm_band: null, review_status: null });
    expect(victim).toEqual({ ...pick('r5'), line: victim.line, row_ref: 'r2' }); // indistinguishable from someone not held
    expect(pick('r3')).toMatchObject({ status: 'MATCH', in_network: false, harm_cchi: null, harm_band: null });
    expect(pick('r4')).toMatchObject({ status: 'MATCH', in_network: false, harm_cchi: 10, harm_band: 'C' });
    expect(pick('r6')).toMatchObject({ status: 'POSSIBLE_MATCH', in_network: null, harm_cchi: null, review_status: 'PENDING' });
    expect(YARDSTICK.map((y) => y.term)).toContain(pick('r6').confidence);
    // Nothing about associates, records or identities is in the response at all.
    expect(JSON.stringify(r)).not.toMatch(/nominal_id|N0000|network_id|K1|probability|Featherstone/);
  });

  it('concurrent requests share one scoring run and each gets exactly the answer it gets alone', async () => {
    const lines = LIST.split('\n').slice(1);
    const one = (k: number) => parsePartnerCsv(bytes(`${HEADER}\n${lines[k]}`), 'upload').map((r) => ({ ...r, row_ref: `c${k}` }));
    const alone: RowResult[][] = [];
    for (let k = 0; k < lines.length; k++) alone.push(await matcher.match(one(k), ctx.config.resolution));
    const before = matcher.runs();
    const together = await Promise.all(lines.map((_, k) => matcher.match(one(k), ctx.config.resolution)));
    expect(matcher.runs() - before).toBe(1); // six requests within the batching window: one run
    expect(together).toEqual(alone);
    expect(together.map((r) => `${r[0]!.row_ref} ${r[0]!.status}`)).toEqual(['c0 MATCH', 'c1 NO_MATCH', 'c2 MATCH', 'c3 MATCH', 'c4 NO_MATCH', 'c5 POSSIBLE_MATCH']);
    // without the window the first request runs alone and the rest together: two runs, same answers
    const plain = await openMatcher(fx.snapshotsDir, fx.snapshotId, { batchWindowMs: 0 });
    try {
      const at = plain.runs();
      expect(await Promise.all(lines.map((_, k) => plain.match(one(k), ctx.config.resolution)))).toEqual(alone);
      expect(plain.runs() - at).toBe(2);
    } finally {
      plain.close();
    }
  });

  it('a valid PNC id held for the nominal is decisive, as in entity resolution (probability 1)', async () => {
    const r = await partnerMatch(deps(), META, { json: [{ row_ref: 'p1', surname: 'Thistlewood', forenames: 'A', date_of_birth: '1988-03-15', pnc_id: THISTLEWOOD_PNC.replace('/', '') }] });
    expect(r.rows[0]).toMatchObject({ status: 'MATCH', confidence: 'Almost Certain', harm_cchi: 420 });
    expect(await serving.value('SELECT probability FROM partner_match_row')).toBe(1);
  });

  it('logs the request and every row outcome (the nominal found is kept for subject access, also when withheld)', async () => {
    const r = await partnerMatch(deps(), META, { csv: bytes(LIST) });
    const req = await serving.all(`SELECT request_id, partner, officer, purpose, legal_basis, channel, row_count, snapshot_id, strftime(as_of, '%Y-%m-%d') AS as_of,
      status, matches, possible_matches, no_matches FROM partner_request`);
    expect(req).toEqual([{ request_id: 'PM-20261116-000001', partner: 'ROCU North', officer: 'DS 1234 Example', purpose: META.purpose, legal_basis: 'DPA2018-PART3',
      channel: 'api', row_count: 6, snapshot_id: fx.snapshotId, as_of: '2026-11-16', status: 'COMPLETED', matches: 3, possible_matches: 1, no_matches: 2 }]);
    expect(r.request_id).toBe('PM-20261116-000001');
    const rows = await serving.all('SELECT row_ref, status, nominal_id, withheld, review_status, submitted_surname FROM partner_match_row ORDER BY line');
    expect(rows).toEqual([
      { row_ref: 'r1', status: 'MATCH', nominal_id: fx.nominal.thistlewood, withheld: null, review_status: null, submitted_surname: null },
      { row_ref: 'r2', status: 'NO_MATCH', nominal_id: fx.nominal.featherstonehaugh, withheld: 'safeguarding_only', review_status: null, submitted_surname: null },
      { row_ref: 'r3', status: 'MATCH', nominal_id: fx.nominal.quarrington, withheld: 'handling_conditions', review_status: null, submitted_surname: null },
      { row_ref: 'r4', status: 'MATCH', nominal_id: fx.nominal.pengelly, withheld: null, review_status: null, submitted_surname: null },
      { row_ref: 'r5', status: 'NO_MATCH', nominal_id: null, withheld: null, review_status: null, submitted_surname: null },
      { row_ref: 'r6', status: 'POSSIBLE_MATCH', nominal_id: fx.nominal.marchbanks, withheld: null, review_status: 'PENDING', submitted_surname: 'Marchbanks' },
    ]);
  });

  const refused = async (input: Uint8Array | unknown, meta: Partial<typeof META> = META) => {
    const e = await partnerMatch(deps(), meta, input instanceof Uint8Array ? { csv: input, name: 'list.csv' } : { json: input }).then(
      () => { throw new Error('expected a refusal'); },
      (x: unknown) => x as HarmnetError,
    );
    expect(e).toBeInstanceOf(HarmnetError);
    expect(await serving.value('SELECT count(*) FROM partner_match_row')).toBe(0);
    expect(await serving.all('SELECT status FROM partner_request')).toEqual([{ status: 'REFUSED' }]);
    expect(await serving.value('SELECT refusal FROM partner_request')).toBe(e.message);
    return e;
  };

  it.each([
    ['wrong columns', bytes('ref,name,dob\nr1,Smith,1990-01-01'), /list.csv line 1 column 1: unknown column "ref".*required column "row_ref" is missing/],
    ['an empty file', bytes(''), /list.csv: the file is empty/],
    ['a header and no rows', bytes(HEADER + '\n'), /list.csv: no rows after the header line/],
    ['5,001 rows', bytes([HEADER, ...Array.from({ length: 5001 }, (_, i) => `r${i},Smith,John,1990-01-01,`)].join('\n')), /list.csv: 5001 rows, more than the limit of 5000/],
    ['non-UTF-8 (Latin-1 é)', new Uint8Array([...bytes(HEADER + '\nr1,Ren'), 0xe9, ...bytes(',Jo,1990-01-01,')]), /list.csv line 2: not valid UTF-8 \(byte 0xe9/],
    ['a formula in a name', bytes(HEADER + '\nr1,=cmd|\' /C calc\'!A0,Jo,1990-01-01,'), /list.csv line 2 field surname: not a name/],
    ['duplicated rows', bytes(HEADER + '\nr1,Smith,John,1990-01-01,\nr2,SMITH,john,1990-01-01,'), /list.csv line 3: duplicates line 2/],
    ['a duplicated row_ref', bytes(HEADER + '\nr1,Smith,John,1990-01-01,\nr1,Jones,Ann,1991-01-01,'), /list.csv line 3 field row_ref: "r1" duplicates line 2/],
    ['a bad date', bytes(HEADER + '\nr1,Smith,John,1990-02-30,'), /list.csv line 2 field date_of_birth: expected a date YYYY-MM-DD, got "1990-02-30"/],
    ['a bad PNC id', bytes(HEADER + '\nr1,Smith,John,1990-01-01,2003/0457812Q'), /list.csv line 2 field pnc_id: not a valid PNC id/],
    ['a short line', bytes(HEADER + '\nr1,Smith'), /list.csv line 2: 2 fields, the header has 5/],
    ['JSON that is not a list', { rows: 1 }, /request field rows: expected an array/],
    ['a JSON row with an unknown field', [{ row_ref: 'a', surname: 'Smith', date_of_birth: '1990-01-01', ethnicity: 'W1' }], /request row 1: unknown field "ethnicity"/],
  ])('refuses %s with the line and field, logs the refusal, matches nothing', async (_what, input, message) => {
    const e = await refused(input);
    expect(e.code).toBe('INPUT_INVALID');
    expect(e.message).toMatch(message);
  });

  it('refuses a request without a legal basis, or with one not configured, or without officer and purpose', async () => {
    const e = await refused(bytes(LIST), { ...META, legalBasis: '' });
    expect(e.message).toMatch(/field legal_basis: required \(one of DPA2018-PART3, CDA1998-S115/);
    await serving.run('DELETE FROM partner_request');
    const f = await refused(bytes(LIST), { ...META, legalBasis: 'BECAUSE' });
    expect(f.message).toMatch(/field legal_basis: "BECAUSE" is not a configured legal basis/);
    await serving.run('DELETE FROM partner_request');
    const g = await refused(bytes(LIST), { partner: 'ROCU North', legalBasis: 'CDA1998-S115' });
    expect(g.message).toBe('partner match request: field officer: required; field purpose: required');
  });

  it('applies per-partner rate limits, counted from the log, and logs the refusal', async () => {
    const limits = { ...PARTNER_LIMITS, maxRequestsPerHour: 1 };
    await partnerMatch(deps({ limits }), META, { csv: bytes(LIST) });
    const e = await partnerMatch(deps({ limits }), META, { csv: bytes(LIST) }).catch((x: HarmnetError) => x);
    expect((e as HarmnetError).code).toBe('RATE_LIMITED');
    expect(await serving.all('SELECT status FROM partner_request ORDER BY request_id')).toEqual([{ status: 'COMPLETED' }, { status: 'REFUSED' }]);
    // Another partner is not affected.
    await partnerMatch(deps({ limits }), { ...META, partner: 'CMPG' }, { csv: bytes(LIST) });
    const rows = { ...PARTNER_LIMITS, maxRowsPerDay: 10 };
    const f = await partnerMatch(deps({ limits: rows }), META, { csv: bytes(LIST) }).catch((x: HarmnetError) => x);
    expect((f as HarmnetError).message).toMatch(/ROCU North has submitted 6 rows in the last 24 hours; 6 more would pass the daily limit of 10/);
  });

  it('counts a request against the limits as soon as it is admitted: six at once with a limit of three → three answered, three refused', async () => {
    const limits = { ...PARTNER_LIMITS, maxRequestsPerHour: 3 };
    const one = (k: number) => ({ json: [{ row_ref: `c${k}`, surname: 'Nobody', forenames: 'Here', date_of_birth: `1970-01-0${k + 1}` }] });
    const settled = await Promise.allSettled(Array.from({ length: 6 }, (_, k) => partnerMatch(deps({ limits }), META, one(k))));
    expect(settled.filter((x) => x.status === 'fulfilled')).toHaveLength(3);
    const refusedOnes = settled.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
    expect(refusedOnes.map((x) => (x.reason as HarmnetError).code)).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(await serving.all(`SELECT status, count(*) AS n FROM partner_request GROUP BY status ORDER BY status`)).toEqual([
      { status: 'COMPLETED', n: 3 }, { status: 'REFUSED', n: 3 },
    ]);
  });

  it('a request admitted and then not completed is released from the count', async () => {
    const limits = { ...PARTNER_LIMITS, maxRequestsPerHour: 1 };
    const at = new Date(TEST_NOW);
    const first = await admit(serving, 'ROCU North', 1, at, limits);
    await expect(admit(serving, 'ROCU North', 1, at, limits)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    first.release();
    (await admit(serving, 'ROCU North', 1, at, limits)).release();
  });

  it('concurrent requests (their log writes batched) are each logged exactly as answered, with unique ids', async () => {
    const names = ['Thistlewood,Ambrose,1988-03-14', 'Nobody,Here,1970-01-01', 'Pengelly,Oswin,1983-01-30', 'Marchbanks,Perpetua,1990-06-01',
      'Quarrington,Bartholomew,1979-11-02', 'Featherstonehaugh,Imelda,1995-07-21', 'Smith,John,1990-01-01', 'Jones,Ann,1991-01-01'];
    const answers = await Promise.all(names.map((n, k) => {
      const [surname, forenames, date_of_birth] = n.split(',');
      return partnerMatch(deps(), META, { json: [{ row_ref: `k${k}`, surname, forenames, date_of_birth }] });
    }));
    expect(answers.map((a) => a.request_id).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `PM-20261116-00000${i + 1}`));
    for (const a of answers) {
      const logged = await requestRows(serving, a.request_id, 'ROCU North');
      expect(logged.request).toMatchObject({ status: 'COMPLETED', row_count: 1, matches: a.rows.filter((r) => r.status === 'MATCH').length });
      expect(logged.rows.map((r) => [r.row_ref, r.status, r.harm_cchi])).toEqual(a.rows.map((r) => [r.row_ref, r.status, r.harm_cchi]));
    }
    expect(answers.map((a) => a.rows[0]!.status)).toEqual(['MATCH', 'NO_MATCH', 'MATCH', 'POSSIBLE_MATCH', 'MATCH', 'NO_MATCH', 'NO_MATCH', 'NO_MATCH']);
  });

  it('a log write that fails keeps nothing of its batch, and the next write goes through', async () => {
    const rows = parsePartnerCsv(bytes(LIST), 'list.csv');
    const results = await matcher.match(rows, ctx.config.resolution);
    const snapshot = { id: fx.snapshotId, asOf: '2026-11-16' };
    const meta = { ...META, username: null };
    // two results on the same line break partner_match_row's primary key (request_id, line)
    const broken = [...results, { ...results[0]! }];
    await expect(logCompleted(serving, meta, rows, broken, snapshot, new Date(TEST_NOW))).rejects.toThrow(/PRIMARY KEY|primary key|Duplicate key|Failed to append/i);
    expect(await serving.value('SELECT count(*) FROM partner_request')).toBe(0);
    expect(await serving.value('SELECT count(*) FROM partner_match_row')).toBe(0);
    expect(await logCompleted(serving, meta, rows, results, snapshot, new Date(TEST_NOW))).toBe('PM-20261116-000001');
    expect(await serving.value('SELECT count(*) FROM partner_match_row')).toBe(6);
  });

  it('shows a partner only its own requests', async () => {
    const a = await partnerMatch(deps(), META, { csv: bytes(LIST) });
    await partnerMatch(deps(), { ...META, partner: 'CMPG' }, { json: [{ row_ref: 'x', surname: 'Nobody', forenames: 'Here', date_of_birth: '1970-01-01' }] });
    expect((await listRequests(serving, { partner: 'ROCU North' })).map((r) => r.partner)).toEqual(['ROCU North']);
    expect((await listRequests(serving)).length).toBe(2);
    await expect(requestRows(serving, a.request_id, 'CMPG')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await requestRows(serving, a.request_id, 'ROCU North')).rows).toHaveLength(6);
  });

  it('puts possible matches in the lab review queue; the partner then sees the outcome', async () => {
    const r = await partnerMatch(deps(), META, { csv: bytes(LIST + '\nr7,Marchbanks,Perpetua,1971-02-03,') });
    const queue = await reviewQueue(serving);
    expect(queue.map((q) => [q.row_ref, q.nominal_id, q.submitted_date_of_birth])).toEqual([
      ['r6', fx.nominal.marchbanks, '1990-06-01'], ['r7', fx.nominal.marchbanks, '1971-02-03'],
    ]);
    await confirmPossibleMatch(serving, r.request_id, queue[0]!.line, 'lab.analyst', 'same person: DOB confirmed with the custody record', new Date(TEST_NOW));
    await rejectPossibleMatch(serving, r.request_id, queue[1]!.line, 'lab.analyst', 'different person', new Date(TEST_NOW));
    await expect(rejectPossibleMatch(serving, r.request_id, queue[1]!.line, 'x', 'y', new Date(TEST_NOW))).rejects.toThrow(/not awaiting review \(REJECTED\)/);
    expect(await reviewQueue(serving)).toEqual([]);
    const seen = (await requestRows(serving, r.request_id, 'ROCU North')).rows;
    expect(seen.find((x) => x.row_ref === 'r6')).toMatchObject({ status: 'MATCH', harm_cchi: 75, harm_cchi_proven: 60, harm_cchi_alleged: 15, harm_band: 'C', in_network: true, review_status: 'CONFIRMED' });
    expect(seen.find((x) => x.row_ref === 'r7')).toMatchObject({ status: 'NO_MATCH', harm_cchi: null, confidence: '', review_status: 'REJECTED' });
  });

  it('writes the result CSV with the cli.md columns, caveats as # lines, formula cells neutralised', async () => {
    const r = await partnerMatch(deps(), META, { json: [
      { row_ref: '=cmd|\' /C calc\'!A0', surname: 'Thistlewood', forenames: 'Ambrose', date_of_birth: '1988-03-14' },
      { row_ref: '@SUM(1+1)', surname: 'Nobody', forenames: 'Here', date_of_birth: '1970-01-01' },
    ] });
    const lines = resultCsv(r.rows, r.snapshot_id).split('\r\n');
    const data = lines.filter((l) => !l.startsWith('#'));
    expect(lines.filter((l) => l.startsWith('#'))).toHaveLength(caveatsAsText().length);
    expect(data[0]).toBe(RESULT_COLUMNS.join(','));
    expect(data[0]).toBe('row_ref,status,confidence,in_network,harm_cchi,harm_band,snapshot_id');
    expect(data[1]).toBe(`'=cmd|' /C calc'!A0,MATCH,Almost Certain,yes,420.0,B,${fx.snapshotId}`);
    expect(data[2]).toBe(`'@SUM(1+1),NO_MATCH,,,,,${fx.snapshotId}`);
    expect([csvCell('+1'), csvCell('-1'), csvCell('\tx'), csvCell('\rx'), csvCell('a,b'), csvCell('say "hi"'), csvCell(null)]).toEqual(
      ["'+1", "'-1", "'\tx", "\"'\rx\"", '"a,b"', '"say ""hi"""', ''],
    );
  });

  it('harmnet match end to end: CSV in, result CSV out, the same audit log', async () => {
    const { main } = await import('../../pipelines/cli/commands/match.ts');
    const input = path.join(ctx.root, 'list.csv');
    const out = path.join(ctx.root, 'result.csv');
    const servingFile = path.join(ctx.root, 'serving.duckdb');
    writeFileSync(input, LIST);
    const write = process.stdout.write;
    let printed = '';
    process.stdout.write = ((s: string) => { printed += s; return true; }) as typeof process.stdout.write;
    try {
      const code = await main(['--input', input, '--partner', 'CMPG', '--officer', 'PC 99', '--purpose', 'Motorway tasking check', '--legal-basis', 'CDA1998-S115',
        '--snapshots', fx.snapshotsDir, '--serving', servingFile, '--out', out]);
      expect(code).toBe(0);
      await expect(main(['--input', input, '--partner', 'CMPG', '--officer', 'PC 99', '--purpose', 'Motorway tasking check',
        '--snapshots', fx.snapshotsDir, '--serving', servingFile])).rejects.toMatchObject({ code: 'INPUT_INVALID', exitCode: 3 });
    } finally {
      process.stdout.write = write;
    }
    expect(printed).toMatch(/3 MATCH, 1 POSSIBLE_MATCH .* 2 NO_MATCH/);
    const data = readFileSync(out, 'utf8').split('\r\n').filter((l) => l && !l.startsWith('#'));
    expect(data).toEqual([
      'row_ref,status,confidence,in_network,harm_cchi,harm_band,snapshot_id',
      `r1,MATCH,Almost Certain,yes,420.0,B,${fx.snapshotId}`,
      `r2,NO_MATCH,,,,,${fx.snapshotId}`,
      `r3,MATCH,Almost Certain,no,,,${fx.snapshotId}`,
      `r4,MATCH,Almost Certain,no,10.0,C,${fx.snapshotId}`,
      `r5,NO_MATCH,,,,,${fx.snapshotId}`,
      expect.stringMatching(new RegExp(`^r6,POSSIBLE_MATCH,[A-Za-z ]+,,,,${fx.snapshotId}$`)),
    ]);
    const log = await Db.open(servingFile);
    try {
      expect(await log.all('SELECT partner, channel, legal_basis, status, row_count FROM partner_request ORDER BY request_id')).toEqual([
        { partner: 'CMPG', channel: 'cli', legal_basis: 'CDA1998-S115', status: 'COMPLETED', row_count: 6 },
        { partner: 'CMPG', channel: 'cli', legal_basis: '', status: 'REFUSED', row_count: 0 },
      ]);
    } finally {
      log.close();
    }
  });
});
