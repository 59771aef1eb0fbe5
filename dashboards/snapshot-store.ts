// Read-only access to point-in-time snapshots: manifests from <dir>/<id>/manifest.json and one
// in-memory DuckDB per opened snapshot with a view per Parquet table (missing columns default to NULL).

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Db, ident, literal } from '../pipelines/core/db.ts';
import { HarmnetError } from '../pipelines/core/errors.ts';

export interface SnapshotInput {
  source: string;
  path: string | null;
  status: string;
  rows_loaded: number | null;
  rows_rejected: number | null;
  message: string | null;
}

export interface SnapshotInfo {
  snapshot_id: string;
  as_of: string;
  created_at: string;
  previous_snapshot_id: string | null;
  inputs: SnapshotInput[];
  tables: Record<string, { rows: number; sha256: string }>;
  config: unknown;
  dir: string;
}

/** Columns the pages read, with the type used when a snapshot's file lacks them (snapshot.md + optional extras). */
export const TABLE_COLUMNS: Record<string, Record<string, string>> = {
  nominals: {
    nominal_id: 'VARCHAR', display_name: 'VARCHAR', date_of_birth: 'DATE', sex: 'VARCHAR', under_18: 'BOOLEAN',
    in_custody: 'BOOLEAN', historic: 'BOOLEAN', harm_cchi: 'DOUBLE', harm_cchi_proven: 'DOUBLE', harm_cchi_alleged: 'DOUBLE',
    harm_ons: 'DOUBLE', harm_band: 'VARCHAR', network_id: 'VARCHAR', degree: 'DOUBLE', weighted_degree: 'DOUBLE',
    pagerank: 'DOUBLE', eigenvector: 'DOUBLE', betweenness: 'DOUBLE', key_player_impact: 'DOUBLE',
    // optional: victim/witness/missing-only (never ranked), release date, handling codes, rank change
    victim_only: 'BOOLEAN', safeguarding: 'BOOLEAN', expected_release_date: 'DATE', handling_codes: 'VARCHAR', rank_change: 'INTEGER',
  },
  nominal_sources: { nominal_id: 'VARCHAR', source: 'VARCHAR', person_ref: 'VARCHAR', match_probability: 'DOUBLE', match_explanation: 'VARCHAR' },
  edges: {
    nominal_a: 'VARCHAR', nominal_b: 'VARCHAR', link_types: 'VARCHAR', evidential_class: 'VARCHAR', weight: 'DOUBLE',
    evidence_count: 'BIGINT', first_seen: 'DATE', last_seen: 'DATE',
  },
  edge_evidence: { nominal_a: 'VARCHAR', nominal_b: 'VARCHAR', link_type: 'VARCHAR', source: 'VARCHAR', record_ref: 'VARCHAR', record_date: 'DATE', handling_code: 'VARCHAR' },
  harm_explanations: {
    nominal_id: 'VARCHAR', record_ref: 'VARCHAR', offence_code: 'VARCHAR', record_date: 'DATE', outcome: 'VARCHAR',
    cchi_days: 'DOUBLE', ons_weight: 'DOUBLE', decay_factor: 'DOUBLE', outcome_factor: 'DOUBLE', contribution_cchi: 'DOUBLE',
    contribution_ons: 'DOUBLE',
  },
  networks: {
    network_id: 'VARCHAR', size: 'BIGINT', types: 'VARCHAR', harm_cchi: 'DOUBLE', harm_cchi_proven: 'DOUBLE',
    harm_cchi_alleged: 'DOUBLE', harm_ons: 'DOUBLE', lineage_event: 'VARCHAR', parent_network_ids: 'VARCHAR',
    harm_change_4w: 'DOUBLE',
  },
  alerts: { alert_type: 'VARCHAR', subject_id: 'VARCHAR', detail: 'VARCHAR', evidence: 'VARCHAR' },
  data_quality: { source: 'VARCHAR', check: 'VARCHAR', value: 'DOUBLE' },
  fairness: { attribute: 'VARCHAR', group: 'VARCHAR', harm_band: 'VARCHAR', count: 'BIGINT', share: 'DOUBLE', baseline_share: 'DOUBLE' },
};

const SNAPSHOT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function normaliseInputs(raw: unknown): SnapshotInput[] {
  const entries: [string | undefined, Record<string, unknown>][] = Array.isArray(raw)
    ? raw.map((v) => [undefined, (v ?? {}) as Record<string, unknown>])
    : Object.entries((raw ?? {}) as Record<string, Record<string, unknown>>);
  return entries.map(([key, v]) => {
    const p = (v.path ?? v.file ?? null) as string | null;
    const source = String(v.source ?? key ?? (p ? path.basename(p).replace(/\.[^.]*$/, '') : 'unknown'));
    const num = (x: unknown) => (x === undefined || x === null ? null : Number(x));
    return {
      source, path: p, status: String(v.status ?? 'unknown'),
      rows_loaded: num(v.rows_loaded), rows_rejected: num(v.rows_rejected), message: (v.message ?? null) as string | null,
    };
  });
}

export function readManifest(dir: string): SnapshotInfo {
  const file = path.join(dir, 'manifest.json');
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new HarmnetError('SNAPSHOT_MANIFEST_INVALID', `cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
  for (const f of ['snapshot_id', 'as_of']) {
    if (typeof m[f] !== 'string') throw new HarmnetError('SNAPSHOT_MANIFEST_INVALID', `${file}: field "${f}" must be a string`);
  }
  return {
    snapshot_id: m.snapshot_id as string,
    as_of: m.as_of as string,
    created_at: String(m.created_at ?? ''),
    previous_snapshot_id: (m.previous_snapshot_id ?? null) as string | null,
    inputs: normaliseInputs(m.inputs),
    tables: (m.tables ?? {}) as SnapshotInfo['tables'],
    config: m.config ?? null,
    dir,
  };
}

/** Every complete snapshot (directories starting with '.' are in progress), newest as-of first. */
export function listSnapshots(snapshotsDir: string): SnapshotInfo[] {
  if (!existsSync(snapshotsDir)) return [];
  const out: SnapshotInfo[] = [];
  for (const name of readdirSync(snapshotsDir)) {
    if (name.startsWith('.')) continue;
    const dir = path.join(snapshotsDir, name);
    if (!statSync(dir).isDirectory() || !existsSync(path.join(dir, 'manifest.json'))) continue;
    out.push(readManifest(dir));
  }
  return out.sort((a, b) => b.as_of.localeCompare(a.as_of) || b.snapshot_id.localeCompare(a.snapshot_id));
}

export interface OpenSnapshot {
  info: SnapshotInfo;
  db: Db;
}

/** Snapshots are immutable, so each is opened once per store and kept (DuckDB views over its Parquet). */
export class SnapshotStore {
  private readonly cache = new Map<string, Promise<OpenSnapshot>>();
  constructor(readonly snapshotsDir: string) {}

  list(): SnapshotInfo[] {
    return listSnapshots(this.snapshotsDir);
  }

  /** The named snapshot, or the latest when id is empty. */
  async open(id?: string | null): Promise<OpenSnapshot> {
    const all = this.list();
    if (all.length === 0) throw new HarmnetError('SNAPSHOT_NOT_FOUND', `no snapshots in ${this.snapshotsDir}`);
    if (id && !SNAPSHOT_ID.test(id)) throw new HarmnetError('SNAPSHOT_NOT_FOUND', `not a snapshot id: "${id}"`);
    const info = id ? all.find((s) => s.snapshot_id === id) : all[0];
    if (!info) throw new HarmnetError('SNAPSHOT_NOT_FOUND', `no snapshot "${id}"`);
    let p = this.cache.get(info.snapshot_id);
    if (!p) {
      p = openSnapshotDb(info);
      this.cache.set(info.snapshot_id, p);
      p.catch(() => this.cache.delete(info.snapshot_id));
    }
    return p;
  }

  async close(): Promise<void> {
    for (const p of this.cache.values()) {
      try {
        (await p).db.close();
      } catch {
        // a snapshot that failed to open has nothing to close
      }
    }
    this.cache.clear();
  }
}

async function openSnapshotDb(info: SnapshotInfo): Promise<OpenSnapshot> {
  const db = await Db.open(':memory:', { threads: '1' });
  for (const [table, columns] of Object.entries(TABLE_COLUMNS)) {
    const file = path.join(info.dir, `${table}.parquet`);
    const raw = ident(`_raw_${table}`);
    if (existsSync(file)) {
      await db.run(`CREATE VIEW ${raw} AS SELECT * FROM read_parquet(${literal(file)})`);
    } else {
      const cols = Object.entries(columns).map(([c, t]) => `NULL::${t} AS ${ident(c)}`).join(', ');
      await db.run(`CREATE VIEW ${raw} AS SELECT ${cols} WHERE false`);
    }
    const described = await db.all<{ column_name: string; column_type: string }>(`DESCRIBE ${raw}`);
    const present = new Set(described.map((r) => r.column_name));
    const extra = Object.entries(columns)
      .filter(([c]) => !present.has(c))
      .map(([c, t]) => `, NULL::${t} AS ${ident(c)}`)
      .join('');
    // list-typed tag columns (types, link_types, parent_network_ids) are shown as comma-joined text
    const lists = described.filter((r) => columns[r.column_name] === 'VARCHAR' && r.column_type.endsWith('[]'));
    const replace = lists.length
      ? ` REPLACE (${lists.map((r) => `array_to_string(${ident(r.column_name)}, ',') AS ${ident(r.column_name)}`).join(', ')})`
      : '';
    await db.run(`CREATE VIEW ${ident(table)} AS SELECT *${replace}${extra} FROM ${raw}`);
  }
  return { info, db };
}
