// `harmnet publish neo4j [--snapshot ID]`: publishes a snapshot to the force's Neo4j (NEO4J_URI,
// NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE), the one place those are read for the command.

import { parse, STATE_OPTIONS } from '../args.ts';
import { configFor } from '../context.ts';
import { HarmnetError } from '../../core/errors.ts';
import { consoleLog } from '../../core/log.ts';
import { neo4jSettingsFromEnv } from '../../../graph/neo4j/neo4j-connection.ts';
import { parsePropertyList, type Neo4jOptions } from '../../../graph/neo4j/neo4j-options.ts';
import { publishSnapshot } from '../../../graph/neo4j/publish-snapshot.ts';
import { Neo4jPublishError, type PublishReport } from '../../../graph/neo4j/publish-to-neo4j.ts';

export const summary = 'publish a snapshot to Neo4j (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE)';

const USAGE = [
  'harmnet publish neo4j [--snapshot ID|latest] [--snapshots DIR] [--batch-size N]',
  '                      [--properties a,b,c | --properties +a,b] [--include-safeguarding-only]',
  '                      [--connection-timeout MS] [--json]',
  'Connection from the environment: NEO4J_URI (e.g. neo4j+s://xxxx.databases.neo4j.io for Aura),',
  'NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE (optional). See docs/neo4j.md.',
].join('\n');

const out = (s: string) => process.stdout.write(s + '\n');

/** Publisher options from flags over environment values (flags win). */
export function publishOptionsFrom(
  flags: { 'batch-size'?: string; properties?: string; 'include-safeguarding-only'?: boolean },
  fromEnv: Partial<Neo4jOptions>,
  command: string,
): Partial<Neo4jOptions> {
  const options: Partial<Neo4jOptions> = { ...fromEnv };
  if (flags['batch-size'] !== undefined) {
    const n = Number(flags['batch-size']);
    if (!Number.isInteger(n) || n < 1) throw new HarmnetError('USAGE', `harmnet ${command}: --batch-size must be a whole number >= 1, got "${flags['batch-size']}"`);
    options.batchSize = n;
  }
  if (flags.properties !== undefined) options.nominalProperties = parsePropertyList(flags.properties);
  if (flags['include-safeguarding-only']) options.includeSafeguardingOnly = true;
  return options;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parse('publish', argv, {
    ...STATE_OPTIONS,
    snapshot: { type: 'string' },
    'batch-size': { type: 'string' },
    properties: { type: 'string' },
    'include-safeguarding-only': { type: 'boolean', default: false },
    'connection-timeout': { type: 'string' },
  }, true);
  const [target, ...extra] = positionals;
  if (values.help || !target) {
    out(USAGE);
    return values.help ? 0 : 2;
  }
  if (target !== 'neo4j' || extra.length > 0) {
    throw new HarmnetError('USAGE', `harmnet publish: unknown target "${[target, ...extra].join(' ')}"; expected: harmnet publish neo4j`);
  }
  const env = neo4jSettingsFromEnv(process.env);
  if (!env.connection) {
    throw new HarmnetError('CONFIG_INVALID', 'harmnet publish neo4j: NEO4J_URI is not set (e.g. neo4j+s://xxxx.databases.neo4j.io; see docs/neo4j.md)');
  }
  const connection = { ...env.connection };
  if (values['connection-timeout'] !== undefined) {
    const ms = Number(values['connection-timeout']);
    if (!Number.isInteger(ms) || ms < 1) throw new HarmnetError('USAGE', `harmnet publish neo4j: --connection-timeout must be milliseconds >= 1, got "${values['connection-timeout']}"`);
    connection.connectionTimeoutMs = ms;
    connection.maxRetryTimeMs = Math.min(30_000, ms);
  }
  const config = configFor(values);
  const log = consoleLog({ quiet: values.json });
  try {
    const report = await publishSnapshot({
      connection,
      snapshotsDir: config.paths.snapshots,
      snapshotId: values.snapshot,
      options: publishOptionsFrom(values, env.options, 'publish neo4j'),
      log,
      clock: () => new Date(),
    });
    if (values.json) out(JSON.stringify(report));
    else printReport(report);
    return 0;
  } catch (e) {
    if (e instanceof Neo4jPublishError && values.json) out(JSON.stringify(e.report));
    throw e;
  }
}

function printReport(r: PublishReport): void {
  out(`published snapshot ${r.snapshot_id} (as of ${r.as_of}) to ${r.target.uri}${r.target.database ? ` database ${r.target.database}` : ''}`);
  out(`  written:  ${r.written.nominals} nominals, ${r.written.networks} networks, ${r.written.memberships} memberships, ${r.written.links} links`);
  out(`  deleted:  ${r.deleted.nominals} nominals, ${r.deleted.networks} networks, ${r.deleted.memberships} memberships, ${r.deleted.links} links`);
  out(`  excluded: ${r.excluded.safeguarding_only_nominals} safeguarding-only nominals with ${r.excluded.links} links${r.include_safeguarding_only ? '' : ' (set --include-safeguarding-only to publish them)'}`);
  out(`  ${r.transactions} transactions of up to ${r.batch_size} rows; Neo4j counters: ${r.counters.nodesCreated} nodes created, ${r.counters.relationshipsCreated} relationships created, ${r.counters.propertiesSet} properties set`);
}
