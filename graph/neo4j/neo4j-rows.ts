// Builds what Neo4j receives from an opened snapshot: temp tables of nominals (allow-listed columns),
// networks, memberships and links, each numbered for batching, and typed conversion to driver values.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import neo4j from 'neo4j-driver';
import type { Db } from '../../pipelines/core/db.ts';
import { ident } from '../../pipelines/core/db.ts';
import { HarmnetError } from '../../pipelines/core/errors.ts';
import type { Neo4jOptions } from './neo4j-options.ts';

const SQL = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sql');

export type Entity = 'networks' | 'nominals' | 'memberships' | 'links';
export const ENTITIES: readonly Entity[] = ['networks', 'nominals', 'memberships', 'links'];

/** The property types the model uses; arrays are lists of one scalar kind. */
export type ScalarKind = 'string' | 'integer' | 'float' | 'boolean' | 'date';
export interface PropertyType {
  kind: ScalarKind;
  array: boolean;
}
export interface Column {
  name: string;
  type: PropertyType;
}

export interface PreparedTable {
  /** The temp table in the snapshot's DuckDB. */
  table: string;
  rows: number;
  /** Columns other than batch_row, in table order. */
  columns: Column[];
}

export interface PreparedRows {
  tables: Record<Entity, PreparedTable>;
  /** What the snapshot holds that is deliberately not published. */
  excluded: { safeguarding_only_nominals: number; links: number; memberships: number };
}

const TABLE: Record<Entity, string> = {
  networks: 'neo4j_networks',
  nominals: 'neo4j_nominals',
  memberships: 'neo4j_memberships',
  links: 'neo4j_links',
};

/** DuckDB column type → property type; anything else is refused rather than guessed. */
export function propertyType(duckType: string, column: string): PropertyType {
  const t = duckType.trim().toUpperCase();
  if (t.endsWith('[]')) {
    const inner = propertyType(t.slice(0, -2), column);
    if (inner.array) throw new HarmnetError('INPUT_INVALID', `column ${column}: nested lists cannot be Neo4j properties (type ${duckType})`);
    return { kind: inner.kind, array: true };
  }
  if (t === 'VARCHAR' || t === 'TEXT' || t === 'UUID') return { kind: 'string', array: false };
  // Timestamps travel as their ISO text (DuckDB's JSON form); no snapshot column needs a zoned datetime yet.
  if (t.startsWith('TIMESTAMP')) return { kind: 'string', array: false };
  if (t === 'BOOLEAN') return { kind: 'boolean', array: false };
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|HUGEINT)$/.test(t)) return { kind: 'integer', array: false };
  if (t === 'DOUBLE' || t === 'FLOAT' || t === 'REAL' || t.startsWith('DECIMAL')) return { kind: 'float', array: false };
  if (t === 'DATE') return { kind: 'date', array: false };
  throw new HarmnetError('INPUT_INVALID', `column ${column}: type ${duckType} has no Neo4j property mapping (expected text, number, boolean, date or a list of them)`);
}

/** One value as the driver should send it: integers as Neo4j Integer, dates as Neo4j Date. */
export function toNeo4jValue(type: PropertyType, value: unknown, column: string): unknown {
  if (value === null || value === undefined) return null;
  if (type.array) {
    if (!Array.isArray(value)) throw new HarmnetError('INPUT_INVALID', `column ${column}: expected a list, got ${JSON.stringify(value)}`);
    return value.filter((v) => v !== null && v !== undefined).map((v) => toNeo4jValue({ kind: type.kind, array: false }, v, column));
  }
  switch (type.kind) {
    case 'string':
      return String(value);
    case 'boolean':
      return Boolean(value);
    case 'float':
      return Number(value);
    case 'integer': {
      const n = typeof value === 'bigint' ? value : Number(value);
      if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new HarmnetError('INPUT_INVALID', `column ${column}: expected a whole number, got ${String(value)}`);
      return neo4j.int(n);
    }
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value));
      if (!m) throw new HarmnetError('INPUT_INVALID', `column ${column}: expected a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
      return new neo4j.types.Date(Number(m[1]), Number(m[2]), Number(m[3]));
    }
  }
}

async function describe(db: Db, table: string): Promise<Array<{ column_name: string; column_type: string }>> {
  return db.all<{ column_name: string; column_type: string }>(`DESCRIBE ${ident(table)}`);
}

async function columnsOf(db: Db, table: string): Promise<Column[]> {
  return (await describe(db, table))
    .filter((c) => c.column_name !== 'batch_row')
    .map((c) => ({ name: c.column_name, type: propertyType(c.column_type, `${table}.${c.column_name}`) }));
}

async function count(db: Db, table: string): Promise<number> {
  return Number(await db.value(`SELECT count(*) FROM ${ident(table)}`));
}

/**
 * Creates the four temp tables in the snapshot's DuckDB (views `nominals`, `edges`, `networks` must
 * exist). Allow-listed names missing from the snapshot are an error naming them; default names that
 * an older snapshot lacks are skipped.
 */
export async function prepareNeo4jRows(db: Db, options: Pick<Neo4jOptions, 'nominalProperties' | 'includeSafeguardingOnly'>, allowListIsDefault = false): Promise<PreparedRows> {
  const available = new Set((await describe(db, 'nominals')).map((c) => c.column_name));
  const missing = options.nominalProperties.filter((p) => !available.has(p));
  if (!available.has('safeguarding_only')) missing.push('safeguarding_only');
  if (missing.length > 0 && !(allowListIsDefault && available.has('nominal_id') && available.has('safeguarding_only'))) {
    throw new HarmnetError('CONFIG_INVALID', `neo4j nominal properties not in the snapshot's nominals table: ${missing.join(', ')}`);
  }
  const props = options.nominalProperties.filter((p) => available.has(p));
  await db.runFile(path.join(SQL, 'neo4j_published.sql'), { include_safeguarding_only: options.includeSafeguardingOnly });
  await db.run(
    `CREATE OR REPLACE TEMP TABLE neo4j_nominals AS
     SELECT row_number() OVER (ORDER BY n.nominal_id) AS batch_row, ${props.map((p) => `n.${ident(p)}`).join(', ')}
     FROM nominals n JOIN neo4j_published p ON p.nominal_id = n.nominal_id`,
  );
  await db.runFile(path.join(SQL, 'neo4j_networks.sql'));
  await db.runFile(path.join(SQL, 'neo4j_memberships.sql'));
  await db.runFile(path.join(SQL, 'neo4j_links.sql'));
  const tables = {} as Record<Entity, PreparedTable>;
  for (const e of ENTITIES) tables[e] = { table: TABLE[e], rows: await count(db, TABLE[e]), columns: await columnsOf(db, TABLE[e]) };
  const nominalsTotal = await count(db, 'nominals');
  const edgesTotal = await count(db, 'edges');
  const membershipsTotal = Number(await db.value(`SELECT count(*) FROM nominals n JOIN networks w ON w.network_id = n.network_id`));
  return {
    tables,
    excluded: {
      safeguarding_only_nominals: nominalsTotal - tables.nominals.rows,
      links: edgesTotal - tables.links.rows,
      memberships: membershipsTotal - tables.memberships.rows,
    },
  };
}

/** Rows `from`..`to` (1-based, inclusive) of one prepared table, as plain DuckDB values. */
export async function readRows(db: Db, t: PreparedTable, from: number, to: number): Promise<Record<string, unknown>[]> {
  return db.all(
    `SELECT ${t.columns.map((c) => ident(c.name)).join(', ')} FROM ${ident(t.table)} WHERE batch_row BETWEEN $from AND $to ORDER BY batch_row`,
    { from, to },
  );
}

function convert(t: PreparedTable, row: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of t.columns) if (names.includes(c.name)) out[c.name] = toNeo4jValue(c.type, row[c.name], `${t.table}.${c.name}`);
  return out;
}

/**
 * The `$rows` parameter for one entity: nodes are flat property maps (key included), memberships
 * {nominal_id, network_id}, links {nominal_a, nominal_b, props}.
 */
export function cypherRows(entity: Entity, t: PreparedTable, rows: Record<string, unknown>[]): Record<string, unknown>[] {
  const all = t.columns.map((c) => c.name);
  if (entity === 'links') {
    const propNames = all.filter((n) => n !== 'nominal_a' && n !== 'nominal_b');
    return rows.map((r) => ({ nominal_a: String(r.nominal_a), nominal_b: String(r.nominal_b), props: convert(t, r, propNames) }));
  }
  return rows.map((r) => convert(t, r, all));
}
