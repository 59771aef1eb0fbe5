// The manifest.json of a snapshot (design/snapshot.md): its type, a field-by-field parser, and the
// content hash that makes the id self-certifying (`<as_of>-<12 hex>` over everything but timestamps).

import { createHash } from 'node:crypto';
import { HarmnetError, ProblemList } from '../core/errors.ts';

export const MANIFEST_FILE = 'manifest.json';
/** `sha256sum -c SHA256SUMS` in a snapshot folder checks it with standard tools, without harmnet. */
export const SUMS_FILE = 'SHA256SUMS';
export const MANIFEST_FORMAT = 'harmnet-snapshot/1';
/** `2026-11-16-3f9a1c2b7d10`: the as-of date, then 12 hex of the content hash. */
export const SNAPSHOT_ID_PATTERN = /^(\d{4}-\d{2}-\d{2})-([0-9a-f]{12})$/;
/** Table names become file names and view names: lower snake case only. */
export const TABLE_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;

export interface ManifestInput {
  source: string;
  path: string | null;
  sha256: string | null;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  status: string;
  message?: string;
}

export interface ManifestReferenceTable {
  name: string;
  version: string;
  sha256: string;
  rows: number;
}

export interface ManifestTable {
  file: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: string;
  snapshot_id: string;
  as_of: string;
  created_at: string;
  code_version: string;
  config: Record<string, unknown>;
  reference_tables: ManifestReferenceTable[];
  inputs: ManifestInput[];
  /** Keyed by table name (`nominals` → `nominals.parquet`), in name order. */
  tables: Record<string, ManifestTable>;
  previous_snapshot_id: string | null;
}

/** JSON with object keys sorted at every level (undefined dropped, as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

/**
 * sha256 over what the snapshot holds: as_of, code version, config, reference tables, inputs and
 * every table's hash. Not created_at (a re-run of identical content gets the identical id) and not
 * previous_snapshot_id (a back-filled earlier week must not change a later week's identity).
 */
export function manifestContentHash(m: Pick<Manifest, 'format' | 'as_of' | 'code_version' | 'config' | 'reference_tables' | 'inputs' | 'tables'>): string {
  const content = {
    format: m.format,
    as_of: m.as_of,
    code_version: m.code_version,
    config: m.config,
    reference_tables: m.reference_tables,
    inputs: m.inputs,
    tables: m.tables,
  };
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** The SHA256SUMS text (coreutils format) for a manifest and the sha256 of its manifest.json bytes. */
export function sha256Sums(m: Pick<Manifest, 'tables'>, manifestSha256: string): string {
  const lines = Object.values(m.tables).map((t) => `${t.sha256}  ${t.file}`);
  lines.push(`${manifestSha256}  ${MANIFEST_FILE}`);
  return lines.sort((a, b) => (a.slice(66) < b.slice(66) ? -1 : 1)).join('\n') + '\n';
}

export function snapshotIdFor(asOf: string, contentHash: string): string {
  return `${asOf}-${contentHash.slice(0, 12)}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isHex64 = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);

/** Parses manifest text, collecting every problem before throwing SNAPSHOT_MANIFEST_INVALID once. */
export function parseManifest(text: string, file: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new HarmnetError('SNAPSHOT_MANIFEST_INVALID', `${file} does not parse as JSON: ${(e as Error).message}`, { cause: e });
  }
  if (!isObject(raw)) throw new HarmnetError('SNAPSHOT_MANIFEST_INVALID', `${file}: expected a JSON object`);
  const p = new ProblemList();
  const bad = (field: string, expected: string) => p.add(`${file} field ${field}: expected ${expected}, got ${JSON.stringify(raw[field] ?? null)?.slice(0, 80)}`);
  if (raw.format !== MANIFEST_FORMAT) bad('format', `"${MANIFEST_FORMAT}"`);
  if (typeof raw.snapshot_id !== 'string' || !SNAPSHOT_ID_PATTERN.test(raw.snapshot_id)) bad('snapshot_id', 'YYYY-MM-DD-<12 hex>');
  if (typeof raw.as_of !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw.as_of)) bad('as_of', 'YYYY-MM-DD');
  if (typeof raw.created_at !== 'string' || Number.isNaN(Date.parse(raw.created_at))) bad('created_at', 'an ISO timestamp');
  if (typeof raw.code_version !== 'string' || raw.code_version === '') bad('code_version', 'a non-empty string');
  if (!isObject(raw.config)) bad('config', 'an object');
  if (raw.previous_snapshot_id !== null && !(typeof raw.previous_snapshot_id === 'string' && SNAPSHOT_ID_PATTERN.test(raw.previous_snapshot_id))) {
    bad('previous_snapshot_id', 'null or a snapshot id');
  }
  if (!Array.isArray(raw.reference_tables)) bad('reference_tables', 'an array');
  else raw.reference_tables.forEach((r: unknown, i) => {
    if (!isObject(r) || typeof r.name !== 'string' || typeof r.version !== 'string' || typeof r.sha256 !== 'string' || !isCount(r.rows)) {
      p.add(`${file} field reference_tables[${i}]: expected {name, version, sha256, rows}`);
    }
  });
  if (!Array.isArray(raw.inputs)) bad('inputs', 'an array');
  else raw.inputs.forEach((r: unknown, i) => {
    if (!isObject(r) || typeof r.source !== 'string' || typeof r.status !== 'string' || !isCount(r.rows_read) || !isCount(r.rows_loaded) || !isCount(r.rows_rejected)
      || !(r.path === null || typeof r.path === 'string') || !(r.sha256 === null || typeof r.sha256 === 'string')) {
      p.add(`${file} field inputs[${i}]: expected {source, path, sha256, rows_read, rows_loaded, rows_rejected, status}`);
    }
  });
  if (!isObject(raw.tables)) bad('tables', 'an object');
  else for (const [name, t] of Object.entries(raw.tables)) {
    if (!TABLE_NAME_PATTERN.test(name)) p.add(`${file} field tables: bad table name ${JSON.stringify(name)}`);
    if (!isObject(t) || t.file !== `${name}.parquet` || !isCount(t.rows) || !isCount(t.bytes) || !isHex64(t.sha256)) {
      p.add(`${file} field tables.${name}: expected {file: "${name}.parquet", rows, bytes, sha256 (64 hex)}`);
    }
  }
  p.throwIfAny('SNAPSHOT_MANIFEST_INVALID');
  return raw as unknown as Manifest;
}
