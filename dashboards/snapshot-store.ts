// Read-only access to point-in-time snapshots for the server, over pipelines/snapshot (openSnapshot):
// manifests cached per id, one in-memory DuckDB per opened snapshot, views with absent columns as NULL.

import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ident, type Db } from '../pipelines/core/db.ts';
import { PackedLookups } from './packed-lookups.ts';
import { HarmnetError } from '../pipelines/core/errors.ts';
import { openSnapshot, readManifest } from '../pipelines/snapshot/read-snapshot.ts';
import { SNAPSHOT_ID_PATTERN, type Manifest } from '../pipelines/snapshot/snapshot-manifest.ts';

/** ART indexes on the lookup keys and per-network edge/evidence tables, built once when a snapshot is materialised. */
const INDEX_SQL = path.join(path.dirname(fileURLToPath(import.meta.url)), 'queries', 'snapshot-indexes.sql');

/** Point-lookup keys of the pages (nominal, network, per-nominal rows), indexed in materialised snapshots. */
const INDEXED_COLUMNS: Record<string, string[]> = {
  nominals: ['nominal_id', 'network_id'],
  nominal_sources: ['nominal_id'],
  harm_explanations: ['nominal_id'],
  edges: ['nominal_a', 'nominal_b'],
  edge_evidence: ['nominal_a', 'nominal_b'],
  networks: ['network_id'],
  record_locations: ['nominal_id'],
};

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
    victim_only: 'BOOLEAN', safeguarding: 'BOOLEAN', safeguarding_only: 'BOOLEAN', expected_release_date: 'DATE', handling_codes: 'VARCHAR', rank_change: 'INTEGER',
    harm_rank: 'INTEGER',
  },
  nominal_sources: { nominal_id: 'VARCHAR', source: 'VARCHAR', person_ref: 'VARCHAR', match_probability: 'DOUBLE', match_explanation: 'VARCHAR' },
  edges: {
    nominal_a: 'VARCHAR', nominal_b: 'VARCHAR', link_types: 'VARCHAR', evidential_class: 'VARCHAR', weight: 'DOUBLE',
    evidence_count: 'BIGINT', first_seen: 'DATE', last_seen: 'DATE', intelligence_only: 'BOOLEAN',
  },
  edge_evidence: { nominal_a: 'VARCHAR', nominal_b: 'VARCHAR', link_type: 'VARCHAR', source: 'VARCHAR', record_ref: 'VARCHAR', record_date: 'DATE', handling_code: 'VARCHAR' },
  harm_explanations: {
    nominal_id: 'VARCHAR', record_ref: 'VARCHAR', offence_code: 'VARCHAR', record_date: 'DATE', outcome: 'VARCHAR',
    cchi_days: 'DOUBLE', ons_weight: 'DOUBLE', decay_factor: 'DOUBLE', outcome_factor: 'DOUBLE', contribution_cchi: 'DOUBLE',
    contribution_ons: 'DOUBLE', outcome_class: 'VARCHAR', handling_code: 'VARCHAR',
  },
  networks: {
    network_id: 'VARCHAR', size: 'BIGINT', types: 'VARCHAR', harm_cchi: 'DOUBLE', harm_cchi_proven: 'DOUBLE',
    harm_cchi_alleged: 'DOUBLE', harm_ons: 'DOUBLE', lineage_event: 'VARCHAR', parent_network_ids: 'VARCHAR',
    harm_change_4w: 'DOUBLE',
  },
  alerts: { alert_type: 'VARCHAR', subject_id: 'VARCHAR', detail: 'VARCHAR', evidence: 'VARCHAR' },
  data_quality: { source: 'VARCHAR', check: 'VARCHAR', value: 'DOUBLE' },
  fairness: { attribute: 'VARCHAR', group: 'VARCHAR', harm_band: 'VARCHAR', count: 'BIGINT', share: 'DOUBLE', baseline_share: 'DOUBLE' },
  // optional (pipelines/harm/record_location.sql): approximate places of scored crime records, for the network map
  record_locations: {
    nominal_id: 'VARCHAR', record_ref: 'VARCHAR', record_date: 'DATE', offence_code: 'VARCHAR', outcome_class: 'VARCHAR', latitude: 'DOUBLE', longitude: 'DOUBLE',
  },
};

function toInfo(dir: string, m: Manifest): SnapshotInfo {
  return {
    snapshot_id: m.snapshot_id,
    as_of: m.as_of,
    created_at: m.created_at,
    previous_snapshot_id: m.previous_snapshot_id,
    inputs: m.inputs.map((i) => ({
      source: i.source, path: i.path, status: i.status, rows_loaded: i.rows_loaded, rows_rejected: i.rows_rejected, message: i.message ?? null,
    })),
    tables: Object.fromEntries(Object.entries(m.tables).map(([k, t]) => [k, { rows: t.rows, sha256: t.sha256 }])),
    config: m.config,
    dir: path.join(dir, m.snapshot_id),
  };
}

// Snapshots never change once renamed into place, so a manifest read once is kept (keyed by folder).
const manifestCache = new Map<string, SnapshotInfo>();

/**
 * Every complete, readable snapshot, newest as-of first. Folders starting with '.' are in progress;
 * a snapshot whose manifest does not parse is left out (harmnet snapshot verify reports it).
 */
export function listSnapshots(snapshotsDir: string): SnapshotInfo[] {
  if (!existsSync(snapshotsDir)) return [];
  const out: SnapshotInfo[] = [];
  for (const name of readdirSync(snapshotsDir)) {
    if (name.startsWith('.') || !SNAPSHOT_ID_PATTERN.test(name)) continue;
    const key = path.resolve(snapshotsDir, name);
    let info = manifestCache.get(key);
    if (!info) {
      try {
        info = toInfo(snapshotsDir, readManifest(snapshotsDir, name));
      } catch (e) {
        if (e instanceof HarmnetError) continue;
        throw e;
      }
      manifestCache.set(key, info);
    }
    out.push(info);
  }
  return out.sort((a, b) => b.as_of.localeCompare(a.as_of) || b.snapshot_id.localeCompare(a.snapshot_id));
}

type Row = Record<string, unknown>;

/**
 * The per-key row sets the nominal and network pages read, each as SQL with a `_key` column and an order.
 * In a snapshot small enough (STORE_DEFAULTS.jsIndexMaxRows) every set is read once at open into a Map by
 * key, so a page needs no query at all; otherwise each lookup is one query filtered on `_key`.
 */
/** Where the lookup SQL reads: plain views (Parquet or in-memory), the indexed per-network tables, or the packing pass. */
type From = 'plain' | 'indexed' | 'packed';
/** The packing pass joins a slim copy of the nominals (id, network, name) instead of re-reading the Parquet for each set. */
const slim = (from: From) => (from === 'packed' ? '_packed_nominals' : 'nominals');

const LOOKUPS = {
  // the columns the nominal page and the history tables show (not the whole row: kept small for the page tables)
  nominal: {
    sql: () => `SELECT nominal_id AS _key, nominal_id, display_name, strftime(date_of_birth, '%Y-%m-%d') AS dob, sex, under_18, in_custody, historic,
                       victim_only, safeguarding, safeguarding_only, not_ranked, harm_cchi, harm_cchi_proven, harm_cchi_alleged, harm_ons, harm_band,
                       harm_rank, network_id, degree, pagerank, betweenness, handling_codes, strftime(expected_release_date, '%Y-%m-%d') AS release
                  FROM nominals`,
    order: '_key',
  },
  sources: {
    sql: () => 'SELECT nominal_id AS _key, source, person_ref, match_probability, match_explanation FROM nominal_sources',
    order: 'source, person_ref',
  },
  explanations: {
    sql: () => `SELECT nominal_id AS _key, record_ref, strftime(record_date, '%Y-%m-%d') AS record_date, offence_code, outcome, cchi_days, ons_weight, decay_factor,
                       outcome_factor, contribution_cchi, contribution_ons, outcome_class, handling_code FROM harm_explanations`,
    order: 'record_date DESC, record_ref',
  },
  // a nominal's links, from either end (a self-link once)
  links: {
    sql: (from: From) => `SELECT e._key, e.other, o.display_name AS other_name, e.nominal_a, e.nominal_b, e.link_types, e.evidential_class, e.intelligence_only,
                       e.weight, e.evidence_count, strftime(e.first_seen, '%Y-%m-%d') AS first_seen, strftime(e.last_seen, '%Y-%m-%d') AS last_seen
                  FROM (SELECT nominal_a AS _key, nominal_b AS other, * FROM edges
                        UNION ALL SELECT nominal_b AS _key, nominal_a AS other, * FROM edges WHERE nominal_a <> nominal_b) e
                  JOIN ${slim(from)} o ON o.nominal_id = e.other`,
    order: 'weight DESC, other',
  },
  evidence: {
    sql: () => `SELECT _key, other, link_type, source, record_ref, strftime(record_date, '%Y-%m-%d') AS record_date, handling_code
                  FROM (SELECT nominal_a AS _key, nominal_b AS other, * FROM edge_evidence
                        UNION ALL SELECT nominal_b AS _key, nominal_a AS other, * FROM edge_evidence WHERE nominal_a <> nominal_b)`,
    order: 'record_date DESC, record_ref',
  },
  network: { sql: () => 'SELECT network_id AS _key, * FROM networks', order: '_key' },
  members: {
    sql: () => `SELECT network_id AS _key, nominal_id, display_name, under_18, in_custody, historic, not_ranked, harm_cchi, harm_cchi_proven,
                       harm_cchi_alleged, harm_ons, harm_band, degree, weighted_degree, pagerank, eigenvector, betweenness, key_player_impact
                  FROM nominals WHERE network_id IS NOT NULL`,
    order: 'harm_cchi DESC NULLS LAST, nominal_id',
  },
  // links and source records with both ends in the network (network_edges/network_evidence when materialised)
  networkEdges: {
    sql: (from: From) => `SELECT ${from === 'indexed' ? 'network_id' : 'a.network_id'} AS _key, nominal_a, nominal_b, link_types, evidential_class, intelligence_only, weight, evidence_count,
                       strftime(first_seen, '%Y-%m-%d') AS first_seen, strftime(last_seen, '%Y-%m-%d') AS last_seen
                  FROM ${from === 'indexed' ? 'network_edges' : `edges e JOIN ${slim(from)} a ON a.nominal_id = e.nominal_a JOIN ${slim(from)} b ON b.nominal_id = e.nominal_b AND b.network_id = a.network_id`}`,
    order: 'nominal_a, nominal_b',
  },
  networkEvidence: {
    sql: (from: From) => `SELECT ${from === 'indexed' ? 'network_id' : 'a.network_id'} AS _key, nominal_a, nominal_b, link_type, source, record_ref,
                       strftime(record_date, '%Y-%m-%d') AS record_date, handling_code
                  FROM ${from === 'indexed' ? 'network_evidence' : `edge_evidence v JOIN ${slim(from)} a ON a.nominal_id = v.nominal_a JOIN ${slim(from)} b ON b.nominal_id = v.nominal_b AND b.network_id = a.network_id`}`,
    order: 'record_date DESC, record_ref',
  },
  // places of members' scored records for the map: each record once, never an under-18 member's (snapshot rules in record_location.sql)
  networkLocations: {
    sql: () => `SELECT n.network_id AS _key, l.record_ref, strftime(min(l.record_date), '%Y-%m-%d') AS record_date, min(l.offence_code) AS offence_code,
                       max(l.outcome_class) AS outcome_class, min(l.latitude) AS latitude, min(l.longitude) AS longitude
                  FROM record_locations l JOIN nominals n ON n.nominal_id = l.nominal_id
                 WHERE n.network_id IS NOT NULL AND NOT coalesce(n.under_18, false)
                 GROUP BY n.network_id, l.record_ref`,
    order: 'record_ref',
  },
} satisfies Record<string, { sql: (from: From) => string; order: string }>;

export type LookupName = keyof typeof LOOKUPS;
export const LOOKUP_NAMES = Object.keys(LOOKUPS) as LookupName[];

/**
 * The key dictionary of each group of lookup sets (keyed by nominal or by network): in a snapshot too large
 * to copy into memory, the sets are packed by key (packed-lookups.ts) and a page reads its rows with no query.
 */
const PACKED_GROUPS: Record<string, { keysSql: string; names: LookupName[] }> = {
  nominal: { keysSql: 'SELECT nominal_id FROM _packed_nominals', names: ['nominal', 'sources', 'explanations', 'links', 'evidence'] },
  network: {
    keysSql: 'SELECT network_id FROM networks UNION SELECT network_id FROM _packed_nominals',
    names: ['network', 'members', 'networkEdges', 'networkEvidence', 'networkLocations'],
  },
};
const PACKED_SETUP = 'CREATE TEMP TABLE _packed_nominals AS SELECT nominal_id, network_id, display_name FROM nominals';
const PACKED_TEARDOWN = 'DROP TABLE IF EXISTS _packed_nominals';

/** How the lookups of an opened snapshot are answered (see openSnapshotDb). */
export type LookupMode = 'maps' | 'indexed' | 'packed' | 'parquet';

export interface OpenSnapshot {
  info: SnapshotInfo;
  /** A connection to the snapshot's instance: each read hands out the next of the pool, so concurrent pages query in parallel. */
  readonly db: Db;
  /** True when the tables were copied into memory with ART indexes and the per-network tables below. */
  indexed: boolean;
  /** maps: JS maps read at open; indexed: in-memory tables; packed: per-key packed rows (packed-lookups.ts); parquet: queries on the files. */
  mode: LookupMode;
  /** The rows of one lookup set for one key (a nominal or network id), in the set's order; [] when none. */
  lookup(name: LookupName, key: string): Promise<Row[]>;
  /** Builds now whatever lookups would otherwise be built on first use (packed mode). */
  prepare(): Promise<void>;
  close(): void;
}

/** Round-robin over several connections to one DuckDB instance (DuckDB runs queries on different connections in parallel). */
class PooledSnapshot implements OpenSnapshot {
  private next = 0;
  constructor(
    readonly info: SnapshotInfo,
    private readonly conns: Db[],
    readonly mode: LookupMode,
    private readonly maps?: Map<LookupName, Map<string, Row[]>>,
    private readonly packed?: PackedLookups,
  ) {}
  get indexed(): boolean {
    return this.mode === 'maps' || this.mode === 'indexed';
  }
  async lookup(name: LookupName, key: string): Promise<Row[]> {
    if (this.maps) return this.maps.get(name)!.get(key) ?? [];
    if (this.packed) return this.packed.lookup(name, key);
    const l = LOOKUPS[name];
    return this.db.all(`SELECT * EXCLUDE (_key) FROM (${l.sql(this.indexed ? 'indexed' : 'plain')}) WHERE _key = $key ORDER BY ${l.order}`, { key });
  }
  async prepare(): Promise<void> {
    await this.packed?.prepareAll();
  }
  get db(): Db {
    const c = this.conns[this.next]!;
    this.next = (this.next + 1) % this.conns.length;
    return c;
  }
  close(): void {
    for (const c of this.conns.slice(1)) c.closeConnection();
    this.conns[0]!.close();
  }
}

/**
 * Snapshots are immutable, so each is opened once per store and kept (DuckDB views over its Parquet).
 * Row counts are of the tables the pages read (TABLE_COLUMNS): up to jsIndexMaxRows read into JS maps, up
 * to materialiseMaxRows copied into memory with indexes, up to packedMaxRows packed by key (packed-lookups.ts), else Parquet.
 */
export const STORE_DEFAULTS = { materialiseMaxRows: 2_000_000, connections: 4, jsIndexMaxRows: 750_000, packedMaxRows: 40_000_000 } as const;

export class SnapshotStore {
  private readonly cache = new Map<string, Promise<OpenSnapshot>>();
  constructor(
    readonly snapshotsDir: string,
    readonly materialiseMaxRows: number = STORE_DEFAULTS.materialiseMaxRows,
    readonly jsIndexMaxRows: number = STORE_DEFAULTS.jsIndexMaxRows,
    readonly packedMaxRows: number = STORE_DEFAULTS.packedMaxRows,
  ) {}

  private listed?: { at: number; infos: SnapshotInfo[] };

  /** The snapshot list, re-read from disk at most once a second (snapshots appear weekly). */
  list(): SnapshotInfo[] {
    const now = performance.now();
    if (!this.listed || now - this.listed.at > 1000) this.listed = { at: now, infos: listSnapshots(this.snapshotsDir) };
    return this.listed.infos;
  }

  /** The named snapshot, or the latest when id is empty. */
  async open(id?: string | null): Promise<OpenSnapshot> {
    const all = this.list();
    if (all.length === 0) throw new HarmnetError('SNAPSHOT_NOT_FOUND', `no snapshots in ${this.snapshotsDir}`);
    if (id && !SNAPSHOT_ID_PATTERN.test(id)) throw new HarmnetError('SNAPSHOT_NOT_FOUND', `not a snapshot id: "${id}"`);
    const info = id ? all.find((s) => s.snapshot_id === id) : all[0];
    if (!info) throw new HarmnetError('SNAPSHOT_NOT_FOUND', `no snapshot "${id}"`);
    let p = this.cache.get(info.snapshot_id);
    if (!p) {
      p = openSnapshotDb(this.snapshotsDir, info, this.materialiseMaxRows, this.jsIndexMaxRows, this.packedMaxRows);
      this.cache.set(info.snapshot_id, p);
      p.catch(() => this.cache.delete(info.snapshot_id));
    }
    return p;
  }

  async close(): Promise<void> {
    for (const p of this.cache.values()) {
      try {
        (await p).close();
      } catch {
        // a snapshot that failed to open has nothing to close
      }
    }
    this.cache.clear();
  }
}

/**
 * Opens through the snapshot module's openSnapshot (which checks every file against the manifest), then
 * puts a view over each table that supplies NULL for any column the pages read but this snapshot lacks.
 * A snapshot of at most `materialiseMaxRows` rows in all is copied into memory (point lookups 3-5x
 * faster than scanning Parquet); larger ones are queried from their Parquet files.
 */
async function openSnapshotDb(snapshotsDir: string, info: SnapshotInfo, materialiseMaxRows: number, jsIndexMaxRows: number, packedMaxRows: number): Promise<OpenSnapshot> {
  const { db, manifest } = await openSnapshot(snapshotsDir, info.snapshot_id);
  const totalRows = Object.keys(TABLE_COLUMNS).reduce((sum, t) => sum + (manifest.tables[t]?.rows ?? 0), 0);
  const materialise = totalRows <= materialiseMaxRows;
  const packedLookups = !materialise && totalRows <= packedMaxRows;
  const conns: Db[] = [db];
  try {
    for (const [table, columns] of Object.entries(TABLE_COLUMNS)) {
      const raw = ident(`_raw_${table}`);
      if (manifest.tables[table] && materialise) {
        await db.run(`CREATE TABLE ${raw} AS SELECT * FROM ${ident(table)}`);
        await db.run(`DROP VIEW ${ident(table)}`);
      } else if (manifest.tables[table]) {
        await db.run(`ALTER VIEW ${ident(table)} RENAME TO ${raw}`);
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
      const select = `SELECT *${replace}${extra} FROM ${raw}`;
      // not_ranked: victims, witnesses and missing persons only (any of the ways a snapshot marks them) —
      // never scored, ranked or banded anywhere (safeguards.md 6)
      await db.run(table === 'nominals'
        ? `CREATE VIEW nominals AS SELECT *, (coalesce(victim_only, false) OR coalesce(safeguarding, false) OR coalesce(safeguarding_only, false)
             OR harm_cchi IS NULL) AS not_ranked FROM (${select})`
        : `CREATE VIEW ${ident(table)} AS ${select}`);
    }
    if (materialise) {
      for (const [table, columns] of Object.entries(INDEXED_COLUMNS)) {
        if (!manifest.tables[table]) continue;
        for (const c of columns) await db.run(`CREATE INDEX ${ident(`_idx_${table}_${c}`)} ON ${ident(`_raw_${table}`)} (${ident(c)})`);
      }
      await db.runFile(INDEX_SQL);
    }
    for (let i = 1; i < STORE_DEFAULTS.connections; i++) conns.push(await db.connectAgain());
    let maps: Map<LookupName, Map<string, Row[]>> | undefined;
    if (materialise && totalRows <= jsIndexMaxRows) {
      maps = new Map();
      const names = Object.keys(LOOKUPS) as LookupName[];
      const sets = await Promise.all(names.map((name, i) => conns[i % conns.length]!.all(`SELECT * FROM (${LOOKUPS[name].sql('indexed')}) ORDER BY _key, ${LOOKUPS[name].order}`)));
      names.forEach((name, i) => {
        const byKey = new Map<string, Row[]>();
        for (const r of sets[i]!) {
          const key = String(r._key);
          delete r._key;
          let list = byKey.get(key);
          if (!list) byKey.set(key, (list = []));
          list.push(r);
        }
        maps!.set(name, byKey);
      });
    }
    const packed = packedLookups
      ? new PackedLookups(conns[conns.length - 1]!, Object.fromEntries(Object.entries(PACKED_GROUPS).flatMap(([group, g]) =>
        g.names.map((n) => [n, { sql: LOOKUPS[n].sql('packed'), order: LOOKUPS[n].order, keysSql: g.keysSql, group }]))), PACKED_SETUP, PACKED_TEARDOWN)
      : undefined;
    return new PooledSnapshot(info, conns, maps ? 'maps' : materialise ? 'indexed' : packed ? 'packed' : 'parquet', maps, packed);
  } catch (e) {
    for (const c of conns.slice(1)) c.closeConnection();
    db.close();
    throw e;
  }
}

