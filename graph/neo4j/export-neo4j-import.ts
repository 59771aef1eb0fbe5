// Bulk path for a first load of a large graph: writes the CSV files and headers `neo4j-admin database
// import full` expects (ID spaces, :LABEL/:TYPE, typed properties, arrays joined with ;) from one snapshot.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ident, literal, type Db } from '../../pipelines/core/db.ts';
import { HarmnetError } from '../../pipelines/core/errors.ts';
import { openSnapshot } from '../../pipelines/snapshot/read-snapshot.ts';
import { SCHEMA_STATEMENTS } from './neo4j-cypher.ts';
import { DEFAULT_NOMINAL_PROPERTIES, resolveNeo4jOptions, type Neo4jOptions } from './neo4j-options.ts';
import { prepareNeo4jRows, type Column, type Entity, type PreparedTable, type PropertyType } from './neo4j-rows.ts';

/** The array delimiter passed to neo4j-admin (--array-delimiter). */
export const ARRAY_DELIMITER = ';';

export const IMPORT_FILES: Record<Entity | 'snapshot', string> = {
  nominals: 'nominals.csv',
  networks: 'networks.csv',
  memberships: 'member_of.csv',
  links: 'associated_with.csv',
  snapshot: 'snapshot.csv',
};

export interface ExportNeo4jImportResult {
  snapshot_id: string;
  out_dir: string;
  /** Data rows (header excluded) per file. */
  files: Record<string, number>;
  excluded: { safeguarding_only_nominals: number; links: number; memberships: number };
  /** The neo4j-admin command line, also written to import-command.txt. */
  command: string;
}

/** neo4j-admin header type of a property: long, double, boolean, date, string, with [] for lists. */
export function importType(t: PropertyType): string {
  const base = { string: 'string', integer: 'long', float: 'double', boolean: 'boolean', date: 'date' }[t.kind];
  return t.array ? `${base}[]` : base;
}

/** One header field and the SQL expression that fills it. */
function field(c: Column): { header: string; sql: string } {
  const header = `${c.name}:${importType(c.type)}`;
  const sql = c.type.array ? `array_to_string(${ident(c.name)}, ${literal(ARRAY_DELIMITER)})` : ident(c.name);
  return { header, sql };
}

async function copyCsv(db: Db, file: string, fields: Array<{ header: string; sql: string }>, from: string, orderBy: string, publishedBy: string): Promise<void> {
  const select = fields.map((f) => `${f.sql} AS ${ident(f.header)}`).join(', ');
  await db.run(`COPY (SELECT ${select} FROM ${from} ORDER BY ${orderBy}) TO ${literal(file)} (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '"', ESCAPE '"')`, { published_by: publishedBy });
}

/** Writes nominals.csv, networks.csv, member_of.csv, associated_with.csv, snapshot.csv, schema.cypher, import-command.txt. */
export async function exportNeo4jImport(snapshotsDir: string, id: string | undefined, outDir: string, partial: Partial<Neo4jOptions> = {}): Promise<ExportNeo4jImportResult> {
  const options = resolveNeo4jOptions(partial);
  const { db, manifest } = await openSnapshot(snapshotsDir, id);
  try {
    try {
      mkdirSync(outDir, { recursive: true });
    } catch (e) {
      throw new HarmnetError('INPUT_INVALID', `cannot create the output folder ${outDir}: ${(e as Error).message}`, { cause: e });
    }
    const isDefault = partial.nominalProperties === undefined || sameList(partial.nominalProperties, DEFAULT_NOMINAL_PROPERTIES);
    const prepared = await prepareNeo4jRows(db, options, isDefault);
    const t = prepared.tables;
    const mark = { header: 'published_by', sql: '$published_by' };
    const out = (name: string) => path.resolve(outDir, name);
    const props = (table: PreparedTable, skip: string[]) => table.columns.filter((c) => !skip.includes(c.name)).map(field);

    await copyCsv(db, out(IMPORT_FILES.nominals), [
      { header: 'nominal_id:ID(Nominal)', sql: ident('nominal_id') },
      ...props(t.nominals, ['nominal_id']),
      mark,
      { header: ':LABEL', sql: `'Nominal'` },
    ], ident(t.nominals.table), 'batch_row', manifest.snapshot_id);
    await copyCsv(db, out(IMPORT_FILES.networks), [
      { header: 'network_id:ID(Network)', sql: ident('network_id') },
      ...props(t.networks, ['network_id']),
      mark,
      { header: ':LABEL', sql: `'Network'` },
    ], ident(t.networks.table), 'batch_row', manifest.snapshot_id);
    await copyCsv(db, out(IMPORT_FILES.memberships), [
      { header: ':START_ID(Nominal)', sql: ident('nominal_id') },
      { header: ':END_ID(Network)', sql: ident('network_id') },
      mark,
      { header: ':TYPE', sql: `'MEMBER_OF'` },
    ], ident(t.memberships.table), 'batch_row', manifest.snapshot_id);
    await copyCsv(db, out(IMPORT_FILES.links), [
      { header: ':START_ID(Nominal)', sql: ident('nominal_a') },
      { header: ':END_ID(Nominal)', sql: ident('nominal_b') },
      ...props(t.links, ['nominal_a', 'nominal_b']),
      mark,
      { header: ':TYPE', sql: `'ASSOCIATED_WITH'` },
    ], ident(t.links.table), 'batch_row', manifest.snapshot_id);
    // The Snapshot node a completed bulk load stands for (a later publish of the same id converges).
    writeFileSync(
      out(IMPORT_FILES.snapshot),
      [
        'snapshot_id:ID(Snapshot),as_of:date,current:boolean,nominals:long,networks:long,links:long,memberships:long,code_version,:LABEL',
        [manifest.snapshot_id, manifest.as_of, 'true', t.nominals.rows, t.networks.rows, t.links.rows, t.memberships.rows, csvField(manifest.code_version ?? ''), 'Snapshot'].join(','),
        '',
      ].join('\n'),
    );
    writeFileSync(out('schema.cypher'), SCHEMA_STATEMENTS.map((s) => s + ';').join('\n') + '\n');
    const command = [
      'neo4j-admin database import full',
      `--nodes=${IMPORT_FILES.nominals}`,
      `--nodes=${IMPORT_FILES.networks}`,
      `--nodes=${IMPORT_FILES.snapshot}`,
      `--relationships=${IMPORT_FILES.memberships}`,
      `--relationships=${IMPORT_FILES.links}`,
      `--array-delimiter="${ARRAY_DELIMITER}"`,
      '--id-type=string',
      'neo4j',
    ].join(' ');
    writeFileSync(
      out('import-command.txt'),
      `# Snapshot ${manifest.snapshot_id} (as of ${manifest.as_of}). Run in this folder with the database stopped, then\n` +
        `# create constraints and indexes with: cypher-shell -f schema.cypher (or run harmnet publish neo4j --snapshot ${manifest.snapshot_id}).\n` +
        command + '\n',
    );
    return {
      snapshot_id: manifest.snapshot_id,
      out_dir: path.resolve(outDir),
      files: {
        [IMPORT_FILES.nominals]: t.nominals.rows,
        [IMPORT_FILES.networks]: t.networks.rows,
        [IMPORT_FILES.memberships]: t.memberships.rows,
        [IMPORT_FILES.links]: t.links.rows,
        [IMPORT_FILES.snapshot]: 1,
      },
      excluded: prepared.excluded,
      command,
    };
  } finally {
    db.close();
  }
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
