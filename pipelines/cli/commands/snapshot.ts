// `harmnet snapshot list | verify ID|latest|--all | diff ID1 ID2 | expire`: look at, check and compare
// the frozen weekly snapshots. Reads only the snapshots folder, never the warehouse.

import { parse, STATE_OPTIONS, isoDate } from '../args.ts';
import { configFor } from '../context.ts';
import { HarmnetError, isHarmnetError } from '../../core/errors.ts';
import { Db } from '../../core/db.ts';
import { consoleLog } from '../../core/log.ts';
import { listSnapshots, resolveSnapshotId } from '../../snapshot/read-snapshot.ts';
import { verifySnapshot } from '../../snapshot/verify-snapshot.ts';
import { diffSnapshots, type EntityChange, type EntityDiff } from '../../snapshot/diff-snapshots.ts';
import { activeHolds } from '../../snapshot/legal-holds.ts';
import { expireSnapshots } from '../../snapshot/expire-snapshots.ts';

export const summary = 'list snapshots; re-hash one against its manifest; what changed between two';

const USAGE = [
  'harmnet snapshot list [--snapshots DIR] [--json]',
  'harmnet snapshot verify ID|latest|--all [--snapshots DIR] [--json]',
  'harmnet snapshot diff ID1 ID2 [--limit N] [--snapshots DIR] [--json]',
  'harmnet snapshot expire [--as-of DATE] [--dry-run] [--snapshots DIR] [--json]',
].join('\n');

const out = (s: string) => process.stdout.write(s + '\n');

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse('snapshot', argv, {
    ...STATE_OPTIONS,
    all: { type: 'boolean', default: false },
    limit: { type: 'string' },
    'as-of': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  }, true);
  const [sub, ...args] = positionals;
  if (values.help || !sub) {
    out(USAGE);
    return values.help ? 0 : 2;
  }
  const dir = configFor(values).paths.snapshots;
  const json = values.json;
  switch (sub) {
    case 'list':
      return list(dir, json);
    case 'verify':
      return verify(dir, args, values.all, json);
    case 'diff': {
      if (args.length !== 2) throw new HarmnetError('USAGE', 'harmnet snapshot diff: give two snapshot ids (ID1 ID2)');
      const limit = values.limit === undefined ? (json ? 1000 : 20) : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 0) throw new HarmnetError('USAGE', `harmnet snapshot diff: --limit must be a whole number, got "${values.limit}"`);
      return diff(dir, resolveSnapshotId(dir, args[0]), resolveSnapshotId(dir, args[1]), limit, json);
    }
    case 'expire': {
      const asOf = values['as-of'] ? isoDate('snapshot expire', '--as-of', values['as-of']) : new Date().toISOString().slice(0, 10);
      const config = configFor(values);
      const db = await Db.open(':memory:');
      try {
        const report = await expireSnapshots({ db, log: consoleLog({ quiet: json }), clock: () => new Date(), config }, { asOf, dryRun: values['dry-run'] });
        if (json) out(JSON.stringify(report));
        return 0;
      } finally {
        db.close();
      }
    }
    default:
      throw new HarmnetError('USAGE', `harmnet snapshot: unknown subcommand "${sub}"; expected list, verify, diff or expire`);
  }
}

function list(dir: string, json: boolean): number {
  const snapshots = listSnapshots(dir);
  const holds = activeHolds(dir);
  const rows = snapshots.map((s) => ({ ...s, holds: holds.filter((h) => h.snapshot_id === s.snapshot_id).map((h) => h.hold_id) }));
  if (json) {
    out(JSON.stringify({ snapshots_dir: dir, snapshots: rows }));
    return 0;
  }
  if (rows.length === 0) {
    out(`no snapshots in ${dir}`);
    return 0;
  }
  out(`${'snapshot'.padEnd(24)} ${'created (UTC)'.padEnd(20)} ${'nominals'.padStart(9)} ${'networks'.padStart(9)} ${'size'.padStart(9)}  notes`);
  for (const r of rows) {
    const notes = [r.holds.length ? `legal hold ${r.holds.join(', ')}` : '', r.problem ? `UNREADABLE: ${r.problem}` : ''].filter(Boolean).join('; ');
    out(`${r.snapshot_id.padEnd(24)} ${(r.created_at ?? '?').slice(0, 19).replace('T', ' ').padEnd(20)} ${String(r.rows.nominals ?? '-').padStart(9)} ${String(r.rows.networks ?? '-').padStart(9)} ${megabytes(r.bytes).padStart(9)}  ${notes}`);
  }
  return 0;
}

async function verify(dir: string, args: string[], all: boolean, json: boolean): Promise<number> {
  if (all === (args.length === 1) || args.length > 1) throw new HarmnetError('USAGE', 'harmnet snapshot verify: give one snapshot id (or latest), or --all');
  const ids = all ? listSnapshots(dir).map((s) => s.snapshot_id) : [resolveSnapshotId(dir, args[0])];
  if (!all) {
    const t0 = performance.now();
    const r = await verifySnapshot(dir, ids[0]!);
    const seconds = round((performance.now() - t0) / 1000);
    if (json) out(JSON.stringify({ snapshot_id: ids[0], ok: true, files: r.files, bytes: r.bytes, seconds }));
    else out(`snapshot ${ids[0]}: OK — ${r.files} files (${megabytes(r.bytes)}) match the manifest's sha256 (${seconds} s)`);
    return 0;
  }
  const results: { snapshot_id: string; ok: boolean; error?: string; code?: string }[] = [];
  for (const id of ids) {
    try {
      await verifySnapshot(dir, id);
      results.push({ snapshot_id: id, ok: true });
    } catch (e) {
      if (!isHarmnetError(e)) throw e;
      results.push({ snapshot_id: id, ok: false, code: e.code, error: e.message });
    }
  }
  const failed = results.filter((r) => !r.ok);
  if (json) out(JSON.stringify({ snapshots_dir: dir, verified: results.length, failed: failed.length, results }));
  else {
    for (const r of results) out(r.ok ? `snapshot ${r.snapshot_id}: OK` : `snapshot ${r.snapshot_id}: FAILED — ${r.error}`);
    out(`${results.length - failed.length} of ${results.length} snapshots verified`);
  }
  if (failed.length > 0) process.stderr.write(`harmnet: ${failed.length} snapshot(s) failed verification\n`);
  return failed.length > 0 ? 4 : 0;
}

async function diff(dir: string, a: string, b: string, limit: number, json: boolean): Promise<number> {
  const d = await diffSnapshots(dir, a, b, { limit });
  if (json) {
    out(JSON.stringify(d));
    return 0;
  }
  out(`diff ${d.before.snapshot_id} → ${d.after.snapshot_id}`);
  out(`tables: ${d.tables.map((t) => `${t.name} ${t.status}${t.status !== 'same' ? ` (${t.rows_before ?? '-'} → ${t.rows_after ?? '-'} rows)` : ''}`).join(', ')}`);
  if (d.before.code_version !== d.after.code_version) out(`code version: ${d.before.code_version} → ${d.after.code_version}`);
  out(`config changed: ${d.config_changed.join(', ') || 'none'}`);
  out(`inputs changed: ${d.inputs_changed.join(', ') || 'none'}`);
  if (d.reference_tables_changed.length) out(`reference tables changed: ${d.reference_tables_changed.join(', ')}`);
  printEntities(d.nominals);
  printEntities(d.networks);
  return 0;
}

function printEntities(e: EntityDiff): void {
  if (e.status === 'absent') {
    out(`${e.table}: not compared — no ${e.table} table in ${e.absent_in.join(' and ')}`);
    return;
  }
  const c = e.counts;
  out(`${e.table}: ${c.added} added, ${c.removed} removed, ${c.changed} changed, ${c.unchanged} unchanged (${c.rank_moved} moved in rank)`);
  if (e.columns_added.length || e.columns_removed.length) out(`  columns added: ${e.columns_added.join(', ') || 'none'}; removed: ${e.columns_removed.join(', ') || 'none'}`);
  const harm = (v: number | null) => (v === null ? '-' : String(round(v)));
  const rank = (v: number | null) => (v === null ? 'unranked' : `#${v}`);
  for (const x of e.added) out(`  + ${x.id}  harm ${harm(x.harm_after)}, ${rank(x.rank_after)}`);
  for (const x of e.removed) out(`  - ${x.id}  harm ${harm(x.harm_before)}, was ${rank(x.rank_before)}`);
  for (const x of e.changed) out(`  ~ ${x.id}  ${changeLine(x, harm, rank)}`);
  if (e.truncated) out(`  (lists cut at --limit; counts above are complete)`);
}

function changeLine(x: EntityChange, harm: (v: number | null) => string, rank: (v: number | null) => string): string {
  const delta = x.harm_delta === null ? '' : ` (${x.harm_delta >= 0 ? '+' : ''}${harm(x.harm_delta)})`;
  return `harm ${harm(x.harm_before)} → ${harm(x.harm_after)}${delta}, ${rank(x.rank_before)} → ${rank(x.rank_after)}; fields: ${x.changed_fields.join(', ')}`;
}

const round = (v: number) => Math.round(v * 1000) / 1000;
const megabytes = (bytes: number) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`);
