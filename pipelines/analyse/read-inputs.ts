// Reads what the analyse stage needs from the warehouse as plain columns: edges, per-nominal harm and flags,
// PINS release dates, and this week's first-seen links. Columns another stage has not written yet read as NULL.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StageContext } from '../core/context.ts';
import type { LinkRow } from '../../graph/change/alerts.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface WeekInputs {
  edges: { source: string[]; target: string[]; weight: number[] };
  nominals: string[];
  harm: Map<string, number>;
  band: Map<string, string>;
  /** Nominals that may be ranked: a harm band, not historic, not safeguarding-only. */
  ranked: Set<string>;
  under18: Set<string>;
  reviewed: Set<string>;
  releases: { nominal_id: string; release_date: string }[];
  /** Links (and FOUND_WITH links) first seen this week; only alerted on when an earlier week was analysed. */
  newLinks: LinkRow[];
  newFoundWith: { nominal_a: string; nominal_b: string; first_found_with: string }[];
  hasEarlierLinks: boolean;
}

export async function readInputs(ctx: StageContext, asOf: string): Promise<WeekInputs> {
  const cols = await ctx.db.all<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'score' AND table_name = 'nominal_harm'`,
  );
  const has = new Set(cols.map((c) => c.column_name));
  const col = (name: string, type: string) => (has.has(name) ? `${name}::${type}` : `NULL::${type}`);

  const edgeCols = (await ctx.db.connection.runAndReadAll(
    'SELECT nominal_a::VARCHAR, nominal_b::VARCHAR, weight::DOUBLE FROM graph.edge ORDER BY nominal_a, nominal_b',
  )).getColumns();
  const nominalRows = await ctx.db.all<{
    nominal_id: string; harm_cchi: number | null; harm_band: string | null; historic: boolean | null; safeguarding_only: boolean | null;
    under_18: boolean | null; in_custody: boolean | null; expected_release_date: string | null;
  }>(
    `SELECT nominal_id::VARCHAR AS nominal_id, ${col('harm_cchi', 'DOUBLE')} AS harm_cchi, ${col('harm_band', 'VARCHAR')} AS harm_band,
            ${col('historic', 'BOOLEAN')} AS historic, ${col('safeguarding_only', 'BOOLEAN')} AS safeguarding_only,
            ${col('under_18', 'BOOLEAN')} AS under_18, ${col('in_custody', 'BOOLEAN')} AS in_custody,
            ${col('expected_release_date', 'DATE')}::VARCHAR AS expected_release_date
     FROM score.nominal_harm ORDER BY nominal_id`,
  );
  const out: WeekInputs = {
    edges: { source: edgeCols[0] as string[], target: edgeCols[1] as string[], weight: edgeCols[2] as number[] },
    nominals: [], harm: new Map(), band: new Map(), ranked: new Set(), under18: new Set(), reviewed: new Set(),
    releases: [], newLinks: [], newFoundWith: [], hasEarlierLinks: false,
  };
  for (const r of nominalRows) {
    out.nominals.push(r.nominal_id);
    if (r.harm_cchi) out.harm.set(r.nominal_id, r.harm_cchi);
    if (r.harm_band) out.band.set(r.nominal_id, r.harm_band);
    if (r.harm_band && !r.historic && !r.safeguarding_only) out.ranked.add(r.nominal_id);
    if (r.under_18) out.under18.add(r.nominal_id);
    if (r.in_custody && r.expected_release_date) out.releases.push({ nominal_id: r.nominal_id, release_date: r.expected_release_date });
  }
  for (const r of await ctx.db.all<{ nominal_id: string }>('SELECT DISTINCT nominal_id FROM analysis.key_nominal_review ORDER BY nominal_id')) out.reviewed.add(r.nominal_id);

  out.hasEarlierLinks = Boolean(await ctx.db.value('SELECT count(*) > 0 FROM analysis.link_seen WHERE first_as_of < $as_of::DATE', { as_of: asOf }));
  await ctx.db.runFile(path.join(here, 'link_seen.sql'), { as_of: asOf });
  const fresh = await ctx.db.all<{ nominal_a: string; nominal_b: string; link_types: string[] }>(
    `SELECT nominal_a, nominal_b, list(link_type ORDER BY link_type) AS link_types FROM analysis.link_seen
     WHERE first_as_of = $as_of::DATE GROUP BY nominal_a, nominal_b ORDER BY nominal_a, nominal_b`, { as_of: asOf });
  for (const f of fresh) {
    out.newLinks.push({ nominal_a: f.nominal_a, nominal_b: f.nominal_b, link_types: f.link_types, first_seen: asOf });
    if (f.link_types.includes('FOUND_WITH')) out.newFoundWith.push({ nominal_a: f.nominal_a, nominal_b: f.nominal_b, first_found_with: asOf });
  }
  return out;
}
