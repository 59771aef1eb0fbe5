import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freshContext, removeDir } from '../helpers/context.ts';
import { Db, literal } from '../../pipelines/core/db.ts';
import { exportNeo4jImport } from '../../graph/neo4j/export-neo4j-import.ts';
import { exportNeo4jImportCommand } from '../../pipelines/cli/commands/export-neo4j-import.ts';
import { SCHEMA_STATEMENTS } from '../../graph/neo4j/neo4j-cypher.ts';
import { WEEK1, writeDemoSnapshot } from './demo-snapshot.ts';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0).reverse()) f();
});

async function setup() {
  const ctx = await freshContext();
  cleanup.push(() => removeDir(ctx.root), () => ctx.db.close());
  const dir = path.join(ctx.root, 'snaps');
  const id = await writeDemoSnapshot(ctx, dir, '2026-11-09', WEEK1);
  return { ctx, dir, id, out: path.join(ctx.root, 'import') };
}

const lines = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n');

/** Reads a CSV back with DuckDB as neo4j-admin would see fields (all text). */
async function readCsv(db: Db, file: string) {
  return db.all(`SELECT * FROM read_csv(${literal(file)}, header = true, all_varchar = true, quote = '"', escape = '"')`);
}

describe('exportNeo4jImport', () => {
  it('writes the neo4j-admin header conventions and one row per published entity', async () => {
    const { ctx, dir, id, out } = await setup();
    const result = await exportNeo4jImport(dir, id, out);
    expect(result.files).toEqual({ 'nominals.csv': 5, 'networks.csv': 2, 'member_of.csv': 5, 'associated_with.csv': 3, 'snapshot.csv': 1 });
    expect(result.excluded).toEqual({ safeguarding_only_nominals: 1, links: 1, memberships: 1 });
    for (const [file, rows] of Object.entries(result.files)) expect(lines(path.join(out, file))).toHaveLength(rows + 1);

    expect(lines(path.join(out, 'nominals.csv'))[0]).toBe(
      'nominal_id:ID(Nominal),under_18:boolean,in_custody:boolean,historic:boolean,safeguarding_only:boolean,' +
        'harm_cchi:double,harm_cchi_proven:double,harm_cchi_alleged:double,harm_ons:double,harm_band:string,harm_rank:long,' +
        'network_id:string,degree:long,weighted_degree:double,pagerank:double,eigenvector:double,betweenness:double,closeness:double,' +
        'key_player_impact:double,published_by,:LABEL',
    );
    expect(lines(path.join(out, 'associated_with.csv'))[0]).toBe(
      ':START_ID(Nominal),:END_ID(Nominal),weight:double,link_types:string[],evidential_class:string,intelligence_only:boolean,' +
        'evidence_count:long,first_seen:date,last_seen:date,published_by,:TYPE',
    );
    expect(lines(path.join(out, 'member_of.csv'))[0]).toBe(':START_ID(Nominal),:END_ID(Network),published_by,:TYPE');
    expect(lines(path.join(out, 'networks.csv'))[0]).toMatch(/^network_id:ID\(Network\),size:long,types:string\[\],harm_cchi:double,/);

    const nominals = await readCsv(ctx.db, path.join(out, 'nominals.csv'));
    expect(nominals.map((r) => r['nominal_id:ID(Nominal)'])).toEqual(['N1', 'N2', 'N3', 'N5', 'N6']);
    expect(nominals[0]).toMatchObject({ 'harm_cchi:double': '400.5', 'harm_band:string': 'A', 'harm_rank:long': '1', published_by: id, ':LABEL': 'Nominal' });
    const links = await readCsv(ctx.db, path.join(out, 'associated_with.csv'));
    expect(links[0]).toMatchObject({
      ':START_ID(Nominal)': 'N1', ':END_ID(Nominal)': 'N2', 'link_types:string[]': 'CO_OFFENDING;INTEL_ASSOCIATION',
      'evidential_class:string': 'recorded crime; intelligence — not evidence', 'first_seen:date': '2024-01-10', ':TYPE': 'ASSOCIATED_WITH',
    });
    expect(links.map((r) => `${r[':START_ID(Nominal)']}-${r[':END_ID(Nominal)']}`)).toEqual(['N1-N2', 'N2-N3', 'N5-N6']);
    const networks = await readCsv(ctx.db, path.join(out, 'networks.csv'));
    expect(networks.map((r) => r['types:string[]'])).toEqual(['CSE;SOC', null]);

    const text = ['nominals.csv', 'associated_with.csv', 'member_of.csv'].map((f) => readFileSync(path.join(out, f), 'utf8')).join('\n');
    expect(text).not.toContain('N4'); // the safeguarding-only victim
    expect(text).not.toContain('Brien');
    expect(text).not.toContain('1990-01-01');

    expect(readFileSync(path.join(out, 'schema.cypher'), 'utf8')).toBe(SCHEMA_STATEMENTS.map((s) => s + ';').join('\n') + '\n');
    expect(result.command).toBe(
      'neo4j-admin database import full --nodes=nominals.csv --nodes=networks.csv --nodes=snapshot.csv ' +
        '--relationships=member_of.csv --relationships=associated_with.csv --array-delimiter=";" --id-type=string neo4j',
    );
    expect(lines(path.join(out, 'snapshot.csv'))[1]).toBe(`${id},2026-11-09,true,5,2,3,5,test,Snapshot`);
  });

  it('quotes awkward names correctly when a force allow-lists them', async () => {
    const { ctx, dir, id, out } = await setup();
    await exportNeo4jImport(dir, id, out, { nominalProperties: ['display_name'], includeSafeguardingOnly: true });
    const rows = await readCsv(ctx.db, path.join(out, 'nominals.csv'));
    expect(rows).toHaveLength(6);
    expect(rows[0]).toEqual({ 'nominal_id:ID(Nominal)': 'N1', 'display_name:string': `Dan 'Danny' "The Quote" O'Brien`, published_by: id, ':LABEL': 'Nominal' });
    expect(lines(path.join(out, 'associated_with.csv'))).toHaveLength(5);
  });

  it('the command checks its flags and prints a JSON summary', async () => {
    await expect(exportNeo4jImportCommand(['neo4j-import', '--out', '/tmp/x'])).rejects.toThrow(/--snapshot is required/);
    const { dir, out } = await setup();
    const chunks: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((s: string) => (chunks.push(s), true)) as typeof process.stdout.write;
    try {
      expect(await exportNeo4jImportCommand(['neo4j-import', '--snapshot', 'latest', '--snapshots', dir, '--out', out, '--json'])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(JSON.parse(chunks.join('')).files['nominals.csv']).toBe(5);
  });
});
