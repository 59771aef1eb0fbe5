// `harmnet export neo4j-import --snapshot ID --out DIR`: the CSV files for neo4j-admin database import
// (the bulk first load). The `export` command routes here; this file only parses flags and prints.

import { parse, requireOption, STATE_OPTIONS } from '../args.ts';
import { configFor } from '../context.ts';
import { HarmnetError } from '../../core/errors.ts';
import { neo4jSettingsFromEnv } from '../../../graph/neo4j/neo4j-connection.ts';
import { exportNeo4jImport } from '../../../graph/neo4j/export-neo4j-import.ts';
import { publishOptionsFrom } from './publish.ts';

const USAGE = 'harmnet export neo4j-import --snapshot ID|latest --out DIR [--snapshots DIR] [--properties LIST] [--include-safeguarding-only] [--json]';

const out = (s: string) => process.stdout.write(s + '\n');

/** argv after `export`; a leading "neo4j-import" is accepted and skipped. */
export async function exportNeo4jImportCommand(argv: string[]): Promise<number> {
  const args = argv[0] === 'neo4j-import' ? argv.slice(1) : argv;
  const { values, positionals } = parse('export neo4j-import', args, {
    ...STATE_OPTIONS,
    snapshot: { type: 'string' },
    out: { type: 'string' },
    properties: { type: 'string' },
    'include-safeguarding-only': { type: 'boolean', default: false },
  }, true);
  if (values.help) {
    out(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new HarmnetError('USAGE', `harmnet export neo4j-import: unexpected argument "${positionals[0]}"; usage: ${USAGE}`);
  const snapshot = requireOption('export neo4j-import', values.snapshot, '--snapshot');
  const outDir = requireOption('export neo4j-import', values.out, '--out');
  const env = neo4jSettingsFromEnv(process.env);
  const result = await exportNeo4jImport(configFor(values).paths.snapshots, snapshot, outDir, publishOptionsFrom(values, env.options, 'export neo4j-import'));
  if (values.json) {
    out(JSON.stringify(result));
  } else {
    out(`wrote neo4j-admin import files for snapshot ${result.snapshot_id} to ${result.out_dir}:`);
    for (const [file, rows] of Object.entries(result.files)) out(`  ${file}: ${rows} rows`);
    out(`excluded ${result.excluded.safeguarding_only_nominals} safeguarding-only nominals and ${result.excluded.links} of their links`);
    out(`then: ${result.command}`);
  }
  return 0;
}
