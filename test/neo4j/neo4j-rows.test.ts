import { afterEach, describe, expect, it } from 'vitest';
import neo4j from 'neo4j-driver';
import { freshContext, removeDir } from '../helpers/context.ts';
import { openSnapshot } from '../../pipelines/snapshot/read-snapshot.ts';
import type { Db } from '../../pipelines/core/db.ts';
import { batchRanges } from '../../graph/neo4j/batch-ranges.ts';
import { cypherRows, prepareNeo4jRows, propertyType, readRows, toNeo4jValue } from '../../graph/neo4j/neo4j-rows.ts';
import { DEFAULT_NOMINAL_PROPERTIES, parsePropertyList, resolveNeo4jOptions } from '../../graph/neo4j/neo4j-options.ts';
import { WEEK1, writeDemoSnapshot } from './demo-snapshot.ts';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0).reverse()) f();
});

async function week1(): Promise<Db> {
  const ctx = await freshContext();
  cleanup.push(() => removeDir(ctx.root), () => ctx.db.close());
  const dir = `${ctx.root}/snaps`;
  const id = await writeDemoSnapshot(ctx, dir, '2026-11-09', WEEK1);
  const { db } = await openSnapshot(dir, id);
  cleanup.push(() => db.close());
  return db;
}

describe('batchRanges', () => {
  it.each([
    [0, 3, []],
    [1, 3, [[1, 1]]],
    [3, 3, [[1, 3]]],
    [4, 3, [[1, 3], [4, 4]]],
    [7, 3, [[1, 3], [4, 6], [7, 7]]],
  ])('%i rows in batches of %i', (total, size, expected) => {
    expect(batchRanges(total, size).map((r) => [r.from, r.to])).toEqual(expected);
  });
  it('refuses a batch size of 0', () => {
    expect(() => batchRanges(5, 0)).toThrow(RangeError);
  });
});

describe('neo4j options', () => {
  it('default allow-list has no names, dates of birth, sex or PNC ids', () => {
    for (const p of ['display_name', 'date_of_birth', 'sex', 'pnc_id']) expect(DEFAULT_NOMINAL_PROPERTIES).not.toContain(p);
    expect(resolveNeo4jOptions().includeSafeguardingOnly).toBe(false);
  });
  it('always publishes nominal_id first; "+x" adds to the default', () => {
    expect(resolveNeo4jOptions({ nominalProperties: ['harm_cchi'] }).nominalProperties).toEqual(['nominal_id', 'harm_cchi']);
    expect(parsePropertyList('+display_name')).toEqual([...DEFAULT_NOMINAL_PROPERTIES, 'display_name']);
    expect(parsePropertyList('harm_cchi, harm_band')).toEqual(['harm_cchi', 'harm_band']);
  });
  it('collects every invalid field into one CONFIG_INVALID error', () => {
    expect(() => resolveNeo4jOptions({ batchSize: 0, nominalProperties: ['ok', 'x) DETACH DELETE n //'] })).toThrow(
      /batch size must be a whole number from 1 to 100000, got 0; neo4j nominal property "x\) DETACH DELETE n \/\/" is not a column name/,
    );
  });
});

describe('property types', () => {
  it('maps DuckDB column types to Neo4j property types', () => {
    expect(propertyType('VARCHAR', 'c')).toEqual({ kind: 'string', array: false });
    expect(propertyType('BIGINT', 'c')).toEqual({ kind: 'integer', array: false });
    expect(propertyType('DOUBLE', 'c')).toEqual({ kind: 'float', array: false });
    expect(propertyType('DECIMAL(18,3)', 'c')).toEqual({ kind: 'float', array: false });
    expect(propertyType('DATE', 'c')).toEqual({ kind: 'date', array: false });
    expect(propertyType('VARCHAR[]', 'c')).toEqual({ kind: 'string', array: true });
    expect(propertyType('TIMESTAMP', 'c')).toEqual({ kind: 'string', array: false });
    expect(() => propertyType('STRUCT(a INTEGER)', 'nominals.x')).toThrow(/column nominals.x: type STRUCT\(a INTEGER\) has no Neo4j property mapping/);
  });
  it('converts values to driver types: Integer, Date, lists, null', () => {
    expect(neo4j.isInt(toNeo4jValue({ kind: 'integer', array: false }, 7, 'c'))).toBe(true);
    const d = toNeo4jValue({ kind: 'date', array: false }, '2025-02-28', 'c');
    expect(neo4j.isDate(d)).toBe(true);
    expect(String(d)).toBe('2025-02-28');
    expect(toNeo4jValue({ kind: 'string', array: true }, ['A', null, 'B'], 'c')).toEqual(['A', 'B']);
    expect(toNeo4jValue({ kind: 'float', array: false }, null, 'c')).toBeNull();
    expect(() => toNeo4jValue({ kind: 'date', array: false }, '28/02/2025', 'edges.first_seen')).toThrow(/edges.first_seen: expected a date YYYY-MM-DD, got "28\/02\/2025"/);
  });
});

describe('prepareNeo4jRows on a demo snapshot', () => {
  it('by default leaves out the safeguarding-only victim, her link and membership, and personal columns', async () => {
    const db = await week1();
    const p = await prepareNeo4jRows(db, resolveNeo4jOptions(), true);
    expect(Object.fromEntries(Object.entries(p.tables).map(([k, t]) => [k, t.rows]))).toEqual({ networks: 2, nominals: 5, memberships: 5, links: 3 });
    expect(p.excluded).toEqual({ safeguarding_only_nominals: 1, links: 1, memberships: 1 });
    // The fixture has no harm_ons_proven/harm_ons_alleged: default names a snapshot lacks are skipped.
    expect(p.tables.nominals.columns.map((c) => c.name)).toEqual(DEFAULT_NOMINAL_PROPERTIES.filter((c) => !['harm_ons_proven', 'harm_ons_alleged'].includes(c)));
    const ids = (await readRows(db, p.tables.nominals, 1, 99)).map((r) => r.nominal_id);
    expect(ids).toEqual(['N1', 'N2', 'N3', 'N5', 'N6']);
    const links = (await readRows(db, p.tables.links, 1, 99)).map((r) => `${r.nominal_a}-${r.nominal_b}`);
    expect(links).toEqual(['N1-N2', 'N2-N3', 'N5-N6']);
  });

  it('publishes safeguarding-only nominals when configured', async () => {
    const db = await week1();
    const p = await prepareNeo4jRows(db, resolveNeo4jOptions({ includeSafeguardingOnly: true }), true);
    expect([p.tables.nominals.rows, p.tables.links.rows, p.tables.memberships.rows]).toEqual([6, 4, 6]);
    expect(p.excluded).toEqual({ safeguarding_only_nominals: 0, links: 0, memberships: 0 });
  });

  it('a configured allow-list adds exactly the named columns; an unknown name is an error naming it', async () => {
    const db = await week1();
    const p = await prepareNeo4jRows(db, resolveNeo4jOptions({ nominalProperties: ['display_name', 'harm_cchi'] }));
    expect(p.tables.nominals.columns.map((c) => c.name)).toEqual(['nominal_id', 'display_name', 'harm_cchi']);
    const rows = cypherRows('nominals', p.tables.nominals, await readRows(db, p.tables.nominals, 1, 1));
    // The awkward name reaches Neo4j only as a parameter value, unchanged.
    expect(rows).toEqual([{ nominal_id: 'N1', display_name: `Dan 'Danny' "The Quote" O'Brien`, harm_cchi: 400.5 }]);
    await expect(prepareNeo4jRows(db, resolveNeo4jOptions({ nominalProperties: ['harm_cchi', 'shoe_size'] }))).rejects.toThrow(
      /neo4j nominal properties not in the snapshot's nominals table: shoe_size/,
    );
  });

  it('builds $rows of the documented shapes and types', async () => {
    const db = await week1();
    const p = await prepareNeo4jRows(db, resolveNeo4jOptions(), true);
    const [n1] = cypherRows('nominals', p.tables.nominals, await readRows(db, p.tables.nominals, 1, 1));
    expect(n1!.nominal_id).toBe('N1');
    expect(n1!.harm_cchi).toBe(400.5);
    expect(n1!.harm_band).toBe('A');
    expect(neo4j.isInt(n1!.harm_rank) && (n1!.harm_rank as { toNumber(): number }).toNumber()).toBe(1);
    expect(n1!.pagerank).toBe(0.4);
    expect(n1).not.toHaveProperty('display_name');
    expect(n1).not.toHaveProperty('date_of_birth');
    const [link] = cypherRows('links', p.tables.links, await readRows(db, p.tables.links, 1, 1));
    expect(Object.keys(link!)).toEqual(['nominal_a', 'nominal_b', 'props']);
    const props = link!.props as Record<string, unknown>;
    expect(props.link_types).toEqual(['CO_OFFENDING', 'INTEL_ASSOCIATION']);
    expect(props.evidential_class).toBe('recorded crime; intelligence — not evidence');
    expect(props.weight).toBe(1.5);
    expect(String(props.first_seen)).toBe('2024-01-10');
    expect(String(props.last_seen)).toBe('2026-10-01');
    expect(props.intelligence_only).toBe(false);
    const members = cypherRows('memberships', p.tables.memberships, await readRows(db, p.tables.memberships, 1, 99));
    expect(members).toEqual([
      { nominal_id: 'N1', network_id: 'W1' }, { nominal_id: 'N2', network_id: 'W1' }, { nominal_id: 'N3', network_id: 'W1' },
      { nominal_id: 'N5', network_id: 'W2' }, { nominal_id: 'N6', network_id: 'W2' },
    ]);
    const [w1, w2] = cypherRows('networks', p.tables.networks, await readRows(db, p.tables.networks, 1, 2));
    expect(w1!.types).toEqual(['CSE', 'SOC']);
    expect(w2!.types).toEqual([]);
    expect(w2!.lineage_event).toBeNull();
  });
});
