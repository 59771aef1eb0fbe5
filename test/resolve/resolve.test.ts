import { describe, expect, it, vi } from 'vitest';
import { Db } from '../../pipelines/core/db.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolve } from '../../pipelines/resolve/resolve.ts';
import { evaluateResolution } from '../../pipelines/resolve/evaluate-resolution.ts';
import { explainPair, recordDecision } from '../../pipelines/resolve/explain-pair.ts';
import { main as evaluateMain } from '../../pipelines/cli/commands/evaluate.ts';
import { freshContext, tempDir } from '../helpers/context.ts';
import { createIdentityTable, insertIdentities, syntheticPopulation, type IdentityRow } from './fixture.ts';

const AS_OF = '2026-11-16';
const id = (source: string, ref: string) => `md5('${source}|${ref}')`;

async function withRows(rows: IdentityRow[]) {
  const ctx = await freshContext();
  await createIdentityTable(ctx.db);
  await insertIdentities(ctx.db, rows);
  return ctx;
}

async function nominalOf(ctx: Awaited<ReturnType<typeof freshContext>>, source: string, ref: string): Promise<string> {
  return ctx.db.value<string>('SELECT nominal_id FROM person.nominal_sources WHERE source = $s AND person_ref = $r', { s: source, r: ref });
}

function writeTruth(truth: { source: string; person_ref: string; person_id: string }[]): string {
  const dir = tempDir();
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'identities.csv'), 'source,person_ref,person_id\n' + truth.map((t) => `${t.source},${t.person_ref},${t.person_id}`).join('\n') + '\n');
  return dir;
}

describe('resolve on a synthetic population with known truth', () => {
  it('reaches precision ≥ 0.99 and recall ≥ 0.9, and ethnicity changes nothing', async () => {
    const pop = syntheticPopulation(1000, 7);
    const ctx = await withRows(pop.rows);
    const r = await resolve(ctx, { asOf: AS_OF });
    expect(r.identities).toBe(new Set(pop.rows.map((x) => `${x.source}|${x.person_ref}`)).size);
    expect(r.pairsCompared).toBeGreaterThan(0);
    const ev = await evaluateResolution(ctx, writeTruth(pop.truth));
    expect(ev.precision).toBeGreaterThanOrEqual(0.99);
    expect(ev.recall).toBeGreaterThanOrEqual(0.9);
    expect(ev.identitiesWithoutTruth).toBe(0);
    const before = await ctx.db.all('SELECT nominal_id, source, person_ref, match_probability FROM person.nominal_sources ORDER BY ALL');

    // Safeguard 3: scramble every ethnicity, re-run on a fresh warehouse → identical output.
    const scrambled = pop.rows.map((x, i) => ({ ...x, ethnicity: ['W1', 'B2', 'A3', 'O9', null][i % 5] ?? null }));
    const ctx2 = await withRows(scrambled);
    await resolve(ctx2, { asOf: AS_OF });
    const after = await ctx2.db.all('SELECT nominal_id, source, person_ref, match_probability FROM person.nominal_sources ORDER BY ALL');
    expect(after).toEqual(before);
    ctx.db.close();
    ctx2.db.close();
  });
});

describe('resolve: deterministic links, outputs and bad input', () => {
  const base: IdentityRow[] = [
    { source: 'crime', person_ref: 'C1', surname: "O'Neill", forenames: 'Séan Patrick', date_of_birth: '1990-03-04', sex: 'M', pnc_id: '2003/0457812R' },
    { source: 'custody', person_ref: 'K1', surname: 'ONEILL', forenames: 'SEAN', date_of_birth: '1990-04-03', sex: 'M' },
    { source: 'intel', person_ref: 'I1', surname: 'O NEILL', forenames: 'sean', date_of_birth: '1990-03-04', sex: 'M' },
    { source: 'pins', person_ref: 'P1', surname: 'Smith', forenames: 'Zoë', date_of_birth: '1985-07-12', sex: 'F', pnc_id: '2001/0000001A' },
    { source: 'missing', person_ref: 'M1', surname: 'Completely', forenames: 'Different', date_of_birth: '1971-01-01', sex: 'F', pnc_id: '2001/0000001A' },
  ];

  it('links same PNC deterministically, normalises names, and fills nominal / nominal_sources', async () => {
    const ctx = await withRows(base);
    await resolve(ctx, { asOf: AS_OF });
    // Same valid PNC → one nominal, whatever the names say.
    expect(await nominalOf(ctx, 'pins', 'P1')).toBe(await nominalOf(ctx, 'missing', 'M1'));
    // O'Neill = ONEILL = O NEILL, Séan = SEAN, transposed day/month.
    const sean = await nominalOf(ctx, 'crime', 'C1');
    expect(await nominalOf(ctx, 'custody', 'K1')).toBe(sean);
    expect(await nominalOf(ctx, 'intel', 'I1')).toBe(sean);
    expect(await nominalOf(ctx, 'pins', 'P1')).not.toBe(sean);
    const nominal = await ctx.db.one('SELECT display_name, CAST(date_of_birth AS VARCHAR) AS dob, sex, pnc_id FROM person.nominal WHERE nominal_id = $n', { n: sean });
    expect(nominal).toMatchObject({ dob: '1990-03-04', sex: 'M', pnc_id: '2003/0457812R' });
    const p = await ctx.db.value<number>('SELECT match_probability FROM person.nominal_sources WHERE person_ref = $r', { r: 'C1' });
    expect(p).toBeGreaterThanOrEqual(ctx.config.resolution.matchThreshold);
    ctx.db.close();
  });

  it('normalises or flags bad input and never crashes', async () => {
    const ctx = await withRows([
      { source: 'crime', person_ref: 'B1', surname: 'Smith-Jones', forenames: '', date_of_birth: '2031-01-01', sex: 'x' },
      { source: 'crime', person_ref: 'B2', surname: 'X', forenames: null, date_of_birth: '1850-05-05', sex: null },
      { source: 'crime', person_ref: 'B3', surname: '', forenames: '  ', date_of_birth: null, sex: 'U', pnc_id: 'garbage', pnc_invalid: true },
      { source: 'crime', person_ref: 'B4', surname: "D'ARCY-ÉVANS", forenames: 'A', date_of_birth: '2000-02-02', sex: 'F' },
    ]);
    const r = await resolve(ctx, { asOf: AS_OF });
    expect(r.identities).toBe(4);
    const flags = await ctx.db.all<{ person_ref: string; flag: string }>(
      'SELECT i.person_ref, f.flag FROM person.identity_flag f JOIN person.identity i USING (identity_id) ORDER BY 1, 2',
    );
    expect(flags).toEqual([
      { person_ref: 'B1', flag: 'dob_out_of_range' }, { person_ref: 'B1', flag: 'forenames_missing' },
      { person_ref: 'B2', flag: 'dob_out_of_range' }, { person_ref: 'B2', flag: 'forenames_missing' }, { person_ref: 'B2', flag: 'surname_one_letter' },
      { person_ref: 'B3', flag: 'forenames_missing' }, { person_ref: 'B3', flag: 'pnc_invalid' }, { person_ref: 'B3', flag: 'surname_missing' },
    ]);
    const f = await ctx.db.all('SELECT sn_full, sn_words, sn_multi, dob, sex, pnc FROM person.identity_feature ORDER BY iid');
    expect(f.map((x) => x.sn_full).sort()).toEqual(['DARCYEVANS', 'SMITHJONES', 'X', null].sort());
    expect(f.find((x) => x.sn_full === 'SMITHJONES')).toMatchObject({ sn_words: '|SMITH|JONES|', sn_multi: true, dob: null, sex: null });
    expect(f.find((x) => x.sn_full === 'DARCYEVANS')).toMatchObject({ sn_words: '|DARCY|EVANS|', sn_multi: true });
    expect(f.find((x) => x.sn_full === 'X')).toMatchObject({ sn_words: '|X|', sn_multi: false });
    expect(await ctx.db.value('SELECT count(*) FROM person.nominal')).toBe(4);
    ctx.db.close();
  });

  it('compares double-barrelled surnames by parts, nicknames, initials and middle names (pair-level.sql)', async () => {
    const ctx = await withRows([
      { source: 'crime', person_ref: 'D1', surname: 'Smith-Jones', forenames: 'William John', date_of_birth: '1980-01-02' },
      { source: 'crime', person_ref: 'D2', surname: 'Jones', forenames: 'Bill', date_of_birth: '1980-01-02' },
      { source: 'crime', person_ref: 'D3', surname: 'SMITH JONES', forenames: 'W', date_of_birth: '1980-02-01' },
      { source: 'crime', person_ref: 'D4', surname: 'smith-jones', forenames: 'William John', date_of_birth: '1980-01-03' },
      { source: 'crime', person_ref: 'D5', surname: 'Smith-Jones', forenames: 'John', date_of_birth: null },
    ]);
    await resolve(ctx, { asOf: AS_OF });
    await ctx.db.run(`CREATE OR REPLACE TEMP TABLE hn_pair_in AS
      SELECT a.cr_id AS cr_a, b.cr_id AS cr_b FROM person.identity_feature a, person.identity_feature b WHERE a.iid < b.iid`);
    await ctx.db.runFile('pipelines/resolve/sql/pair-level.sql');
    const levels = await ctx.db.all<{ b: string; surname: string; forename: string; dob: string }>(`
      SELECT CASE WHEN ia.person_ref = 'D1' THEN ib.person_ref ELSE ia.person_ref END AS b, l.surname, l.forename, l.dob
      FROM hn_pair_level l JOIN person.identity ia ON ia.iid = l.iid_a JOIN person.identity ib ON ib.iid = l.iid_b
      WHERE 'D1' IN (ia.person_ref, ib.person_ref) ORDER BY b`);
    expect(levels.map((l) => [l.b, l.surname, l.forename, l.dob])).toEqual([
      ['D2', 'part', 'nickname', 'exact'],
      ['D3', 'exact', 'initial', 'transposed'],
      ['D4', 'exact', 'exact_all', 'one_part'],
      ['D5', 'exact', 'other_name', 'null'],
    ]);
    expect(await ctx.db.value(`SELECT hn_letters('  o''Néill ')`)).toBe('ONEILL');
    ctx.db.close();
  });
});

describe('stable nominal ids, decisions and explanations', () => {
  const week1: IdentityRow[] = [
    { source: 'crime', person_ref: 'A1', surname: 'Fenwick', forenames: 'Robert', date_of_birth: '1988-06-15', sex: 'M' },
    { source: 'custody', person_ref: 'A2', surname: 'Fenwick', forenames: 'Bob', date_of_birth: '1988-06-15', sex: 'M' },
    { source: 'crime', person_ref: 'B1', surname: 'Hargreaves', forenames: 'Amy', date_of_birth: '1995-01-20', sex: 'F' },
  ];

  it('keeps a nominal id when a new record joins it and records merges', async () => {
    const ctx = await withRows(week1);
    await resolve(ctx, { asOf: '2026-11-09' });
    const a = await nominalOf(ctx, 'crime', 'A1');
    const b = await nominalOf(ctx, 'crime', 'B1');
    expect(await nominalOf(ctx, 'custody', 'A2')).toBe(a);
    await insertIdentities(ctx.db, [{ source: 'intel', person_ref: 'A3', surname: 'FENWICK', forenames: 'ROBERT', date_of_birth: '1988-06-15', sex: 'M' }]);
    await resolve(ctx, { asOf: '2026-11-16' });
    expect(await nominalOf(ctx, 'intel', 'A3')).toBe(a);
    expect(await nominalOf(ctx, 'crime', 'A1')).toBe(a);
    expect(await nominalOf(ctx, 'crime', 'B1')).toBe(b);
    // An analyst says B1 is the same person as A1: B's id merges into A's and is recorded.
    await recordDecision(ctx, { identityA: await ctx.db.value<string>(`SELECT ${id('crime', 'A1')}`), identityB: await ctx.db.value<string>(`SELECT ${id('crime', 'B1')}`), decision: 'SAME', by: 'analyst1', reason: 'custody photo' });
    await resolve(ctx, { asOf: '2026-11-23' });
    expect(await nominalOf(ctx, 'crime', 'B1')).toBe(a);
    const changes = await ctx.db.all('SELECT CAST(as_of AS VARCHAR) AS as_of, change, nominal_id, into_nominal_id FROM person.nominal_change WHERE change <> $n ORDER BY ALL', { n: 'NEW' });
    expect(changes).toEqual([{ as_of: '2026-11-23', change: 'MERGE', nominal_id: b, into_nominal_id: a }]);
    ctx.db.close();
  });

  it('a NOT_SAME decision splits a model link in every later run, is audited, and explained', async () => {
    const ctx = await withRows(week1);
    await resolve(ctx, { asOf: '2026-11-09' });
    const ia = await ctx.db.value<string>(`SELECT ${id('crime', 'A1')}`);
    const ib = await ctx.db.value<string>(`SELECT ${id('custody', 'A2')}`);
    // Three identities: too few to train, so default parameters and no term-frequency term.
    expect(await ctx.db.value('SELECT mode FROM person.model_summary')).toBe('defaults');
    const ex = await explainPair(ctx, ia, ib);
    expect(ex.comparisons.map((c) => `${c.field}:${c.level}`)).toEqual(['surname:exact', 'forename:nickname', 'dob:exact', 'sex:exact', 'pnc:null']);
    const stored = await ctx.db.one<{ match_weight: number; match_probability: number }>('SELECT match_weight, match_probability FROM person.pair_score WHERE identity_a = least($a, $b) AND identity_b = greatest($a, $b)', { a: ia, b: ib });
    expect(ex.matchWeight).toBeCloseTo(stored!.match_weight, 9);
    expect(ex.priorWeight + ex.comparisons.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(ex.matchWeight, 9);
    expect(ex.probability).toBeCloseTo(stored!.match_probability, 9);
    expect(ex.term).toBe('Almost Certain');

    await recordDecision(ctx, { identityA: ib, identityB: ia, decision: 'NOT_SAME', by: 'analyst2', reason: 'twins, different PNC on paper file' });
    const linkedBefore = await nominalOf(ctx, 'custody', 'A2');
    await resolve(ctx, { asOf: '2026-11-16' });
    expect(await nominalOf(ctx, 'crime', 'A1')).not.toBe(await nominalOf(ctx, 'custody', 'A2'));
    await resolve(ctx, { asOf: '2026-11-23' });
    expect(await nominalOf(ctx, 'crime', 'A1')).not.toBe(await nominalOf(ctx, 'custody', 'A2'));
    expect([await nominalOf(ctx, 'crime', 'A1'), await nominalOf(ctx, 'custody', 'A2')]).toContain(linkedBefore);
    expect(await ctx.db.all('SELECT change FROM person.nominal_change WHERE change = $s', { s: 'SPLIT' })).toHaveLength(1);
    const log = await ctx.db.all<{ action: string; actor: string }>('SELECT action, actor FROM person.decision_log ORDER BY rowid');
    expect(log.map((l) => `${l.action}:${l.actor}`)).toEqual(['RECORDED:analyst2', 'APPLIED:resolve', 'APPLIED:resolve']);
    expect((await explainPair(ctx, ia, ib)).decision).toMatchObject({ decision: 'NOT_SAME', by: 'analyst2' });
    await expect(recordDecision(ctx, { identityA: ia, identityB: ib, decision: 'SAME', by: ' ', reason: 'x' })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(recordDecision(ctx, { identityA: ia, identityB: 'nope', decision: 'SAME', by: 'a', reason: 'x' })).rejects.toThrow(/unknown identity_id "nope"/);
    ctx.db.close();
  });

  it('splits a chain that would join two different PNC ids and reports it', async () => {
    const ctx = await withRows([
      { source: 'pins', person_ref: 'X1', surname: 'Pemberton', forenames: 'Kyle', date_of_birth: '1999-09-09', sex: 'M', pnc_id: '2015/0000001A' },
      { source: 'crime', person_ref: 'X2', surname: 'Pemberton', forenames: 'Kyle', date_of_birth: '1999-09-09', sex: 'M' },
      { source: 'pins', person_ref: 'X3', surname: 'Pemberton', forenames: 'Kyle', date_of_birth: '1999-09-09', sex: 'M', pnc_id: '2016/0000002B' },
    ]);
    const r = await resolve(ctx, { asOf: AS_OF });
    expect(r.chainsSplit).toBe(1);
    expect(await nominalOf(ctx, 'pins', 'X1')).not.toBe(await nominalOf(ctx, 'pins', 'X3'));
    ctx.db.close();
  });
});

describe('harmnet evaluate', () => {
  it('networks needs snapshots; a bad subject is a usage error', async () => {
    const empty = tempDir();
    await expect(evaluateMain(['networks', '--snapshots', empty, '--truth', empty])).rejects.toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
    await expect(evaluateMain(['bogus'])).rejects.toMatchObject({ code: 'USAGE' });
  });
  it('resolution prints pairwise and cluster measures as JSON for a warehouse file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'warehouse.duckdb');
    const db = await Db.open(file);
    const ctx = await freshContext({ db });
    await createIdentityTable(db);
    // Two people: A1/A2 the same (nickname), B1 another; truth agrees.
    await insertIdentities(db, [
      { source: 'crime', person_ref: 'A1', surname: 'Fenwick', forenames: 'Robert', date_of_birth: '1988-06-15', sex: 'M' },
      { source: 'custody', person_ref: 'A2', surname: 'Fenwick', forenames: 'Bob', date_of_birth: '1988-06-15', sex: 'M' },
      { source: 'crime', person_ref: 'B1', surname: 'Hargreaves', forenames: 'Amy', date_of_birth: '1995-01-20', sex: 'F' },
    ]);
    await resolve(ctx, { asOf: AS_OF });
    db.close();
    const truth = writeTruth([
      { source: 'crime', person_ref: 'A1', person_id: 'P1' },
      { source: 'custody', person_ref: 'A2', person_id: 'P1' },
      { source: 'crime', person_ref: 'B1', person_id: 'P2' },
    ]);
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
    try {
      expect(await evaluateMain(['resolution', '--warehouse', file, '--truth', truth, '--json'])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const r = JSON.parse(out.join(''));
    expect(r).toMatchObject({ precision: 1, recall: 1, f1: 1, pairsTrue: 1, pairsPredicted: 1, nominals: 2, persons: 2, clusterPrecision: 1, clusterRecall: 1 });
  });

  it('a missing truth folder is TRUTH_NOT_FOUND', async () => {
    const ctx = await withRows([]);
    await resolve(ctx, { asOf: AS_OF });
    await expect(evaluateResolution(ctx, '/nonexistent/truth')).rejects.toMatchObject({ code: 'TRUTH_NOT_FOUND' });
    ctx.db.close();
  });
});
