// Reads what the analyse stage needs from the warehouse as plain columns: edges, per-nominal harm and flags,
// PINS release dates, and this week's first-seen links. Columns another stage has not written yet read as NULL.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StageContext } from '../core/context.ts';
import type { LinkRow } from '../../graph/change/alerts.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface WeekInputs {
  /** lastSeen: day of each edge's latest evidence (days since 1970-01-01); absent when graph.edge has no last_seen. */
  edges: { source: string[]; target: string[]; weight: number[]; lastSeen?: number[] };
  /** Day of the as-of date (days since 1970-01-01). */
  asOfDay: number;
  /** Victim-, witness- or missing-only nominals: never active members of a network. */
  safeguardingOnly: Set<string>;
  /** Reception day (days since 1970-01-01) of the current custody spell, per nominal in custody (PINS). */
  custodySince: Map<string, number>;
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

  const hasLastSeen = Boolean(await ctx.db.value(
    `SELECT count(*) > 0 FROM information_schema.columns WHERE table_schema = 'graph' AND table_name = 'edge' AND column_name = 'last_seen'`,
  ));
  const edgeCols = (await ctx.db.connection.runAndReadAll(
    `SELECT nominal_a::VARCHAR, nominal_b::VARCHAR, weight::DOUBLE${hasLastSeen ? `, coalesce(date_diff('day', DATE '1970-01-01', last_seen::DATE), -2147483647)::INTEGER` : ''}
     FROM graph.edge ORDER BY nominal_a, nominal_b`,
  )).getColumns();
  const n = (await ctx.db.connection.runAndReadAll(
    `SELECT nominal_id::VARCHAR, ${col('harm_cchi', 'DOUBLE')}, ${col('harm_band', 'VARCHAR')},
            coalesce(${col('historic', 'BOOLEAN')}, false), coalesce(${col('safeguarding_only', 'BOOLEAN')}, false),
            coalesce(${col('under_18', 'BOOLEAN')}, false), coalesce(${col('in_custody', 'BOOLEAN')}, false),
            ${col('expected_release_date', 'DATE')}::VARCHAR
     FROM score.nominal_harm ORDER BY nominal_id`,
  )).getColumns();
  const [ids, harms, bands, historic, safeguarding, under18, custody, release] = n as [string[], (number | null)[], (string | null)[], boolean[], boolean[], boolean[], boolean[], (string | null)[]];
  const out: WeekInputs = {
    edges: { source: edgeCols[0] as string[], target: edgeCols[1] as string[], weight: edgeCols[2] as number[], ...(hasLastSeen ? { lastSeen: edgeCols[3] as number[] } : {}) },
    asOfDay: Math.round(Date.parse(`${asOf}T00:00:00Z`) / 86_400_000), safeguardingOnly: new Set(), custodySince: new Map(),
    nominals: ids, harm: new Map(), band: new Map(), ranked: new Set(), under18: new Set(), reviewed: new Set(),
    releases: [], newLinks: [], newFoundWith: [], hasEarlierLinks: false,
  };
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (harms[i]) out.harm.set(id, harms[i]!);
    if (bands[i]) out.band.set(id, bands[i]!);
    if (bands[i] && !historic[i] && !safeguarding[i]) out.ranked.add(id);
    if (under18[i]) out.under18.add(id);
    if (safeguarding[i]) out.safeguardingOnly.add(id);
    if (custody[i]) out.custodySince.set(id, out.asOfDay); // reception day below when PINS is in the warehouse
    if (custody[i] && release[i]) out.releases.push({ nominal_id: id, release_date: release[i]! });
  }
  if (out.custodySince.size > 0 && (await ctx.db.hasTable('curated.pins')) && (await ctx.db.hasTable('person.nominal_sources'))) {
    const spells = await ctx.db.all<{ nominal_id: string; day: number }>(
      `SELECT ns.nominal_id::VARCHAR AS nominal_id, date_diff('day', DATE '1970-01-01', max(p.reception_date)::DATE)::INTEGER AS day
       FROM curated.pins AS p JOIN person.nominal_sources AS ns ON ns.identity_id = p.identity_id
       WHERE p.reception_date <= $as_of::DATE AND (p.actual_release_date IS NULL OR p.actual_release_date > $as_of::DATE)
       GROUP BY 1 ORDER BY 1`, { as_of: asOf });
    for (const s of spells) if (out.custodySince.has(s.nominal_id)) out.custodySince.set(s.nominal_id, Number(s.day));
  }
  for (const r of await ctx.db.all<{ nominal_id: string }>('SELECT DISTINCT nominal_id FROM analysis.key_nominal_review ORDER BY nominal_id')) out.reviewed.add(r.nominal_id);

  out.hasEarlierLinks = Boolean(await ctx.db.value('SELECT count(*) > 0 FROM analysis.link_seen WHERE first_as_of < $as_of::DATE', { as_of: asOf }));
  await ctx.db.runFile(path.join(here, 'link_seen.sql'), { as_of: asOf });
  if (!out.hasEarlierLinks) return out;
  // Only the new links an alert could be about: one end band A, or a FOUND_WITH link.
  const fresh = await ctx.db.all<{ nominal_a: string; nominal_b: string; link_types: string[] }>(
    `SELECT s.nominal_a, s.nominal_b, list(s.link_type ORDER BY s.link_type) AS link_types
     FROM analysis.link_seen AS s
     LEFT JOIN score.nominal_harm AS ha ON ha.nominal_id = s.nominal_a
     LEFT JOIN score.nominal_harm AS hb ON hb.nominal_id = s.nominal_b
     WHERE s.first_as_of = $as_of::DATE
     GROUP BY s.nominal_a, s.nominal_b
     HAVING bool_or(s.link_type = 'FOUND_WITH') OR bool_or(${has.has('harm_band') ? "ha.harm_band = 'A' OR hb.harm_band = 'A'" : 'false'})
     ORDER BY s.nominal_a, s.nominal_b`, { as_of: asOf });
  for (const f of fresh) {
    out.newLinks.push({ nominal_a: f.nominal_a, nominal_b: f.nominal_b, link_types: f.link_types, first_seen: asOf });
    // FOUND_WITH alerts are about the FOUND_WITH link itself being new.
    if (f.link_types.includes('FOUND_WITH')) out.newFoundWith.push({ nominal_a: f.nominal_a, nominal_b: f.nominal_b, first_found_with: asOf });
  }
  return out;
}
