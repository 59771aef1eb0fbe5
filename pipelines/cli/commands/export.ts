// `harmnet export disclosure | subject-access | verify | neo4j-import`: CPIA disclosure bundles, subject
// access, and the one-command integrity check of a bundle. This file only parses flags and prints.

import { exportNeo4jImportCommand } from './export-neo4j-import.ts';
import { exportTransparencyCommand } from '../../accountability/transparency-command.ts';
import path from 'node:path';
import { parse, requireOption, STATE_OPTIONS } from '../args.ts';
import { configFor } from '../context.ts';
import { HarmnetError } from '../../core/errors.ts';
import { codeVersion } from '../../core/code-version.ts';
import { exportDisclosure } from '../../export/export-disclosure.ts';
import { exportSubjectAccess } from '../../export/export-subject-access.ts';
import { verifyBundle } from '../../export/bundle.ts';

export const summary = 'CPIA disclosure bundles, subject-access exports, and verifying a bundle';

const USAGE = [
  'harmnet export disclosure (--nominal ID | --network ID) --snapshot ID|latest --out DIR --by NAME [--snapshots DIR] [--json]',
  'harmnet export subject-access --nominal ID --out DIR --by NAME [--snapshots DIR] [--serving FILE] [--json]',
  'harmnet export verify DIR [--snapshots DIR] [--json]',
  'harmnet export neo4j-import --snapshot ID --out DIR  (see docs/neo4j.md)',
  'harmnet export transparency --out DIR [--snapshot ID] [--truth DIR] [--json]  (see docs/accountability.md)',
].join('\n');

const out = (s: string) => process.stdout.write(s + '\n');

export async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'neo4j-import') return exportNeo4jImportCommand(rest);
  if (sub === 'transparency') return exportTransparencyCommand(rest);
  const { values, positionals } = parse('export', rest, {
    ...STATE_OPTIONS,
    nominal: { type: 'string' },
    network: { type: 'string' },
    snapshot: { type: 'string' },
    out: { type: 'string' },
    by: { type: 'string' },
  }, true);
  if (!sub || sub === '--help' || values.help) {
    out(USAGE);
    return sub ? 0 : 2;
  }
  const config = configFor(values);
  const snapshotsDir = config.paths.snapshots;
  switch (sub) {
    case 'disclosure': {
      if (positionals.length) throw new HarmnetError('USAGE', `harmnet export disclosure: unexpected argument "${positionals[0]}"`);
      if (!!values.nominal === !!values.network) throw new HarmnetError('USAGE', 'harmnet export disclosure: give exactly one of --nominal ID or --network ID');
      const subject = values.nominal ? { type: 'nominal' as const, id: values.nominal } : { type: 'network' as const, id: values.network! };
      const r = await exportDisclosure({
        snapshotsDir,
        snapshotId: requireOption('export disclosure', values.snapshot, '--snapshot'),
        subject,
        outDir: requireOption('export disclosure', values.out, '--out'),
        by: requireOption('export disclosure', values.by, '--by'),
        at: new Date(),
        codeVersion: codeVersion(),
      });
      out(values.json
        ? JSON.stringify({ dir: r.dir, bundle_sha256: r.manifest.bundle_sha256, files: r.manifest.files.length, snapshot_id: r.manifest.snapshots[0]!.snapshot_id, export_log_seq: r.logged.seq })
        : `disclosure bundle for ${subject.type} ${subject.id} (snapshot ${r.manifest.snapshots[0]!.snapshot_id}) written to ${r.dir}: ${r.manifest.files.length} files, bundle sha256 ${r.manifest.bundle_sha256}; logged as export ${r.logged.seq}`);
      return 0;
    }
    case 'subject-access': {
      if (positionals.length) throw new HarmnetError('USAGE', `harmnet export subject-access: unexpected argument "${positionals[0]}"`);
      if (values.network) throw new HarmnetError('USAGE', 'harmnet export subject-access: subject access is per person; give --nominal ID');
      const r = await exportSubjectAccess({
        snapshotsDir,
        nominalId: requireOption('export subject-access', values.nominal, '--nominal'),
        outDir: requireOption('export subject-access', values.out, '--out'),
        by: requireOption('export subject-access', values.by, '--by'),
        at: new Date(),
        codeVersion: codeVersion(),
        servingFile: config.paths.serving,
      });
      out(values.json
        ? JSON.stringify({ dir: r.dir, bundle_sha256: r.manifest.bundle_sha256, files: r.manifest.files.length, snapshots: r.manifest.snapshots.map((s) => s.snapshot_id), export_log_seq: r.logged.seq })
        : `subject-access bundle for nominal ${values.nominal} (${r.manifest.snapshots.length} snapshots) written to ${r.dir}: ${r.manifest.files.length} files; logged as export ${r.logged.seq}`);
      return 0;
    }
    case 'verify': {
      if (positionals.length !== 1) throw new HarmnetError('USAGE', 'harmnet export verify: give one bundle folder');
      const r = await verifyBundle(positionals[0]!, { snapshotsDir });
      out(values.json
        ? JSON.stringify(r)
        : `bundle OK: ${r.kind} of ${r.subject.type} ${r.subject.id}, ${r.files} files re-hashed; ${r.snapshots.map((s) => `snapshot ${s.snapshot_id} ${s.status === 'matches' ? 'present and its table hashes match' : 'no longer retained (not checked)'}`).join('; ')}`);
      return 0;
    }
    default:
      throw new HarmnetError('USAGE', `harmnet export: unknown subcommand "${sub}"; expected disclosure, subject-access, verify, neo4j-import or transparency`);
  }
}
