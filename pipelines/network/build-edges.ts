// The network stage: graph.edge_evidence and graph.edge from co-involvement, in DuckDB SQL. The link
// rules come from graph/edges/link-rules.ts (written to a temp table) so SQL and pure code share them.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StageContext } from '../core/context.ts';
import { classLabelRows, linkRuleRows, INTELLIGENCE_LABEL, type LinkType } from '../../graph/edges/link-rules.ts';
import { requireTables } from '../harm/require-tables.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function buildEdges(ctx: StageContext, opts: { asOf: string }): Promise<{ edges: number; evidence: number }> {
  await requireTables(ctx, 'network', ['curated.involvement', 'person.nominal_sources']);
  await ctx.db.run(
    `CREATE OR REPLACE TEMP TABLE edge_link_rule (link_type VARCHAR, source VARCHAR, role_from VARCHAR, role_to VARCHAR,
       directed BOOLEAN, is_symmetric BOOLEAN, class_bit INTEGER, type_weight DOUBLE)`,
  );
  for (const r of linkRuleRows()) {
    await ctx.db.run(`INSERT INTO edge_link_rule VALUES ($link_type, $source, $role_from, $role_to, $directed, $is_symmetric, $class_bit, $type_weight)`, {
      ...r,
      type_weight: ctx.config.linkTypeWeights[r.link_type as LinkType],
    });
  }
  await ctx.db.run('CREATE OR REPLACE TEMP TABLE edge_class_label (class_mask INTEGER, label VARCHAR)');
  for (const r of classLabelRows()) await ctx.db.run('INSERT INTO edge_class_label VALUES ($class_mask, $label)', r);
  await ctx.db.runFile(path.join(here, 'edge_evidence.sql'), { as_of: opts.asOf, half_life_months: ctx.config.edgeDecayHalfLifeMonths });
  await ctx.db.runFile(path.join(here, 'edge.sql'), { as_of: opts.asOf, intelligence_label: INTELLIGENCE_LABEL });
  await ctx.db.run('DROP TABLE IF EXISTS edge_link_rule');
  await ctx.db.run('DROP TABLE IF EXISTS edge_class_label');
  const edges = Number(await ctx.db.value('SELECT count(*) FROM graph.edge'));
  const evidence = Number(await ctx.db.value('SELECT count(*) FROM graph.edge_evidence'));
  ctx.log.info(`network: ${edges} links from ${evidence} evidence records`);
  return { edges, evidence };
}
