// What changed between two snapshots: per table rows and hash, config and input changes, and for
// nominals and networks the entities added, removed and changed with harm and rank deltas.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Db, ident, literal } from '../core/db.ts';
import { readManifest, snapshotFolder } from './read-snapshot.ts';
import type { Manifest } from './snapshot-manifest.ts';

const SQL_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sql');

export interface EntityChange {
  id: string;
  harm_before: number | null;
  harm_after: number | null;
  /** after − before. */
  harm_delta: number | null;
  /** Competition rank by harm_cchi descending (1 = highest) among ranked rows; null when unranked. */
  rank_before: number | null;
  rank_after: number | null;
  /** after − before: negative means the entity moved up towards rank 1. */
  rank_delta: number | null;
  /** Columns whose value differs (changed rows only). */
  changed_fields: string[];
}

export interface EntityDiff {
  table: string;
  key: string;
  /** 'absent': the table is missing from one or both snapshots (see absent_in); nothing compared. */
  status: 'compared' | 'absent';
  absent_in: string[];
  columns_added: string[];
  columns_removed: string[];
  /**
   * `changed`: rows present in both whose values differ (any shared column). `rank_moved`: rows in
   * both whose rank differs, including unchanged rows pushed along by others (counted, not listed).
   */
  counts: { before: number; after: number; added: number; removed: number; changed: number; unchanged: number; rank_moved: number };
  added: EntityChange[];
  removed: EntityChange[];
  changed: EntityChange[];
  /** True when a list was cut at the limit (the counts are always complete). */
  truncated: boolean;
}

export interface TableChange {
  name: string;
  status: 'added' | 'removed' | 'same' | 'changed';
  rows_before: number | null;
  rows_after: number | null;
}

export interface SnapshotDiff {
  before: { snapshot_id: string; as_of: string; code_version: string };
  after: { snapshot_id: string; as_of: string; code_version: string };
  tables: TableChange[];
  /** Dotted paths of configuration values that differ (e.g. `harm.bands.A`). */
  config_changed: string[];
  /** Sources whose input file hash, status or row counts differ. */
  inputs_changed: string[];
  /** Reference tables whose version or hash differ, or that appear in only one snapshot. */
  reference_tables_changed: string[];
  nominals: EntityDiff;
  networks: EntityDiff;
}

interface EntitySpec {
  table: string;
  key: string;
  harm: string;
  /** SQL over the table's columns deciding who is ranked; null: everyone with a harm value. */
  rankable: (columns: Set<string>) => string;
}

const NOMINALS: EntitySpec = {
  table: 'nominals',
  key: 'nominal_id',
  harm: 'harm_cchi',
  rankable: (cols) => (cols.has('harm_band') ? `${ident('harm_band')} IS NOT NULL` : `${ident('harm_cchi')} IS NOT NULL`),
};
const NETWORKS: EntitySpec = {
  table: 'networks',
  key: 'network_id',
  harm: 'harm_cchi',
  rankable: () => `${ident('harm_cchi')} IS NOT NULL`,
};

export async function diffSnapshots(dir: string, a: string, b: string, options: { limit?: number } = {}): Promise<SnapshotDiff> {
  const limit = options.limit ?? 1000;
  const ma = readManifest(dir, a);
  const mb = readManifest(dir, b);
  const db = await Db.open(':memory:');
  try {
    for (const [schema, m] of [['snap_a', ma], ['snap_b', mb]] as const) {
      await db.run(`CREATE SCHEMA ${schema}`);
      const folder = snapshotFolder(dir, m.snapshot_id);
      for (const [name, t] of Object.entries(m.tables)) {
        await db.run(`CREATE VIEW ${schema}.${ident(name)} AS SELECT * FROM read_parquet(${literal(path.resolve(folder, t.file))})`);
      }
    }
    return {
      before: { snapshot_id: ma.snapshot_id, as_of: ma.as_of, code_version: ma.code_version },
      after: { snapshot_id: mb.snapshot_id, as_of: mb.as_of, code_version: mb.code_version },
      tables: tableChanges(ma, mb),
      config_changed: changedPaths(ma.config, mb.config),
      inputs_changed: inputChanges(ma, mb),
      reference_tables_changed: referenceChanges(ma, mb),
      nominals: await entityDiff(db, NOMINALS, ma, mb, limit),
      networks: await entityDiff(db, NETWORKS, ma, mb, limit),
    };
  } finally {
    db.close();
  }
}

async function entityDiff(db: Db, spec: EntitySpec, ma: Manifest, mb: Manifest, limit: number): Promise<EntityDiff> {
  const absent = [ma, mb].filter((m) => !(spec.table in m.tables)).map((m) => m.snapshot_id);
  const empty: EntityDiff = {
    table: spec.table, key: spec.key, status: 'absent', absent_in: absent, columns_added: [], columns_removed: [],
    counts: { before: 0, after: 0, added: 0, removed: 0, changed: 0, unchanged: 0, rank_moved: 0 }, added: [], removed: [], changed: [], truncated: false,
  };
  if (absent.length > 0) return empty;
  const colsA = await columns(db, 'snap_a', spec.table);
  const colsB = await columns(db, 'snap_b', spec.table);
  for (const [cols, m] of [[colsA, ma], [colsB, mb]] as const) {
    if (!cols.includes(spec.key)) return { ...empty, absent_in: [m.snapshot_id] };
  }
  const typesA = await columnTypes(db, 'snap_a', spec.table);
  const typesB = await columnTypes(db, 'snap_b', spec.table);
  const common = colsA.filter((c) => colsB.includes(c) && c !== spec.key);
  // Shared columns as one struct per row; a column whose type changed between snapshots compares as text.
  const field = (c: string) => (typesA.get(c) === typesB.get(c) ? ident(c) : `${ident(c)}::VARCHAR`);
  for (const [side, schema, cols] of [['side_a', 'snap_a', colsA], ['side_b', 'snap_b', colsB]] as const) {
    const set = new Set(cols);
    const harm = set.has(spec.harm) ? `${ident(spec.harm)}::DOUBLE` : 'NULL::DOUBLE';
    const rankable = set.has(spec.harm) ? spec.rankable(set) : 'false';
    const fields = common.length > 0 ? `struct_pack(${common.map((c) => `${ident(c)} := ${field(c)}`).join(', ')})` : 'NULL::INTEGER';
    await db.run(
      `CREATE OR REPLACE TEMP VIEW ${side} AS SELECT ${ident(spec.key)}::VARCHAR AS k, ${harm} AS harm, coalesce(${rankable}, false) AS rankable, ${fields} AS fields FROM ${schema}.${ident(spec.table)}`,
    );
  }
  const perField = common.map((c) => `CASE WHEN x.${ident(c)} IS DISTINCT FROM y.${ident(c)} THEN ${literal(c)} END`).join(', ');
  await db.run(`CREATE OR REPLACE TEMP MACRO changed_fields(x, y) AS list_filter([${perField}]::VARCHAR[], lambda f: f IS NOT NULL)`);
  await db.runFile(path.join(SQL_DIR, 'diff-entities.sql'));
  const counts = await db.one<Record<string, number>>(
    `SELECT count(*) FILTER (WHERE change <> 'added') AS before, count(*) FILTER (WHERE change <> 'removed') AS after,
            count(*) FILTER (WHERE change = 'added') AS added, count(*) FILTER (WHERE change = 'removed') AS removed,
            count(*) FILTER (WHERE change = 'changed') AS changed, count(*) FILTER (WHERE change = 'unchanged') AS unchanged,
            count(*) FILTER (WHERE change IN ('changed', 'unchanged') AND rank_before IS DISTINCT FROM rank_after) AS rank_moved
     FROM entity_diff`,
  );
  const page = readFileSync(path.join(SQL_DIR, 'diff-entities-page.sql'), 'utf8');
  const list = async (change: string) =>
    (await db.all<EntityChange & Record<string, unknown>>(page, { change, limit })).map((r) => ({ ...r, changed_fields: r.changed_fields ?? [] }));
  const c = {
    before: Number(counts!.before), after: Number(counts!.after), added: Number(counts!.added), removed: Number(counts!.removed),
    changed: Number(counts!.changed), unchanged: Number(counts!.unchanged), rank_moved: Number(counts!.rank_moved),
  };
  return {
    table: spec.table,
    key: spec.key,
    status: 'compared',
    absent_in: [],
    columns_added: colsB.filter((x) => !colsA.includes(x)),
    columns_removed: colsA.filter((x) => !colsB.includes(x)),
    counts: c,
    added: await list('added'),
    removed: await list('removed'),
    changed: await list('changed'),
    truncated: c.added > limit || c.removed > limit || c.changed > limit,
  };
}

async function columnTypes(db: Db, schema: string, table: string): Promise<Map<string, string>> {
  const rows = await db.all<{ column_name: string; column_type: string }>(`DESCRIBE ${schema}.${ident(table)}`);
  return new Map(rows.map((r) => [r.column_name, r.column_type]));
}

async function columns(db: Db, schema: string, table: string): Promise<string[]> {
  const rows = await db.all<{ column_name: string }>(`DESCRIBE ${schema}.${ident(table)}`);
  return rows.map((r) => r.column_name);
}

function tableChanges(ma: Manifest, mb: Manifest): TableChange[] {
  const names = [...new Set([...Object.keys(ma.tables), ...Object.keys(mb.tables)])].sort();
  return names.map((name) => {
    const ta = ma.tables[name];
    const tb = mb.tables[name];
    const status = !ta ? 'added' : !tb ? 'removed' : ta.sha256 === tb.sha256 ? 'same' : 'changed';
    return { name, status, rows_before: ta?.rows ?? null, rows_after: tb?.rows ?? null };
  });
}

/** Dotted paths of leaves that differ between two JSON values. */
export function changedPaths(a: unknown, b: unknown, prefix = ''): string[] {
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => changedPaths(a[k], b[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix || '(root)'];
}

function inputChanges(ma: Manifest, mb: Manifest): string[] {
  const key = (i: Manifest['inputs'][number]) => JSON.stringify([i.sha256, i.status, i.rows_read, i.rows_loaded, i.rows_rejected]);
  const sa = new Map(ma.inputs.map((i) => [i.source, key(i)]));
  const sb = new Map(mb.inputs.map((i) => [i.source, key(i)]));
  return [...new Set([...sa.keys(), ...sb.keys()])].sort().filter((s) => sa.get(s) !== sb.get(s));
}

function referenceChanges(ma: Manifest, mb: Manifest): string[] {
  const key = (r: Manifest['reference_tables'][number]) => `${r.version}|${r.sha256}`;
  const ra = new Map(ma.reference_tables.map((r) => [r.name, key(r)]));
  const rb = new Map(mb.reference_tables.map((r) => [r.name, key(r)]));
  return [...new Set([...ra.keys(), ...rb.keys()])].sort().filter((n) => ra.get(n) !== rb.get(n));
}
