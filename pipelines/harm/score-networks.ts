// Network harm: Σ members' harm per network (proven/alleged apart) and type tags with reasons, into
// score.network_harm. Membership comes from the communities stage when given, else connected components.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StageContext } from '../core/context.ts';
import { ident } from '../core/db.ts';
import { HarmnetError } from '../core/errors.ts';
import { componentIds, connectedComponents } from '../../graph/harm/connected-components.ts';
import { networkTypeTags, type FactKind, type NetworkFacts } from '../../graph/harm/network-type-tags.ts';
import { requireTables } from './require-tables.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Scores networks as at `asOf`. With `membershipTable` (e.g. 'analysis.network_member', columns
 * network_id, nominal_id) uses those networks; otherwise writes score.network_member from the
 * connected components of graph.edge with at least config.communities.minNetworkSize members.
 */
export async function scoreNetworks(ctx: StageContext, opts: { asOf: string; membershipTable?: string }): Promise<{ networks: number }> {
  await requireTables(ctx, 'network harm', ['graph.edge', 'score.nominal_harm', 'curated.involvement', 'curated.offence', 'person.nominal_sources']);
  let membership = 'score.network_member';
  if (opts.membershipTable) {
    membership = opts.membershipTable;
    await requireTables(ctx, 'network harm', [membership]);
    // interim component membership from an earlier run must not linger beside the real networks
    if (membership !== 'score.network_member') await ctx.db.run('DROP TABLE IF EXISTS score.network_member');
  } else {
    await writeComponentMembership(ctx);
  }
  const quoted = membership.split('.').map(ident).join('.');
  await ctx.db.run(`CREATE OR REPLACE TEMP VIEW network_membership_input AS SELECT network_id::VARCHAR AS network_id, nominal_id::VARCHAR AS nominal_id FROM ${quoted}`);

  await ctx.db.runFile(path.join(here, 'network_fact.sql'), { as_of: opts.asOf, lookback_years: ctx.config.harm.lookbackYears });
  const facts = await ctx.db.all<{ network_id: string; fact: FactKind; value: string; records: number }>('SELECT * FROM network_fact');
  const byNetwork = new Map<string, NetworkFacts>();
  for (const f of facts) {
    let n = byNetwork.get(f.network_id);
    if (!n) byNetwork.set(f.network_id, (n = {}));
    (n[f.fact] ??= {})[f.value] = Number(f.records);
  }
  await ctx.db.run('CREATE OR REPLACE TABLE score.network_type_staging (network_id VARCHAR, types VARCHAR, type_reasons VARCHAR)');
  const app = await ctx.db.connection.createAppender('network_type_staging', 'score');
  for (const [id, f] of byNetwork) {
    const { types, reasons } = networkTypeTags(f);
    if (types.length === 0) continue;
    app.appendVarchar(id);
    app.appendVarchar(types.join(','));
    app.appendVarchar(reasons.join('; '));
    app.endRow();
  }
  app.flushSync();
  app.closeSync();

  await ctx.db.runFile(path.join(here, 'network_harm.sql'), { as_of: opts.asOf });
  await ctx.db.run('DROP TABLE score.network_type_staging');
  await ctx.db.run('DROP TABLE IF EXISTS network_fact');
  await ctx.db.run('DROP VIEW network_membership_input');
  const networks = Number(await ctx.db.value('SELECT count(*) FROM score.network_harm'));
  ctx.log.info(`network harm: ${networks} networks scored`);
  return { networks };
}

/** score.network_member from connected components of graph.edge (union-find in TS, deterministic ids). */
async function writeComponentMembership(ctx: StageContext): Promise<void> {
  await ctx.db.run(
    `CREATE OR REPLACE TEMP TABLE cc_node AS
     SELECT nominal_id, (row_number() OVER (ORDER BY nominal_id) - 1)::INTEGER AS idx
     FROM (SELECT nominal_a AS nominal_id FROM graph.edge UNION SELECT nominal_b FROM graph.edge)`,
  );
  const nodes = (await ctx.db.connection.runAndReadAll('SELECT nominal_id FROM cc_node ORDER BY idx')).getColumns()[0] as string[] | undefined;
  const cols = (await ctx.db.connection.runAndReadAll(
    `SELECT na.idx AS a, nb.idx AS b FROM graph.edge AS e
     JOIN cc_node AS na ON na.nominal_id = e.nominal_a JOIN cc_node AS nb ON nb.nominal_id = e.nominal_b`,
  )).getColumns();
  const n = nodes?.length ?? 0;
  const a = (cols[0] ?? []) as number[];
  const b = (cols[1] ?? []) as number[];
  if (a.some((x) => typeof x !== 'number')) throw new HarmnetError('RUN_FAILED', 'network harm: node indices did not come back as numbers');
  const ids = componentIds(connectedComponents(n, a, b), ctx.config.communities.minNetworkSize);
  await ctx.db.run('CREATE SCHEMA IF NOT EXISTS score');
  await ctx.db.run('CREATE OR REPLACE TABLE score.network_member (network_id VARCHAR, nominal_id VARCHAR)');
  const app = await ctx.db.connection.createAppender('network_member', 'score');
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if (id === null || id === undefined) continue;
    app.appendVarchar(id);
    app.appendVarchar(nodes![i]!);
    app.endRow();
  }
  app.flushSync();
  app.closeSync();
  await ctx.db.run('DROP TABLE cc_node');
}
