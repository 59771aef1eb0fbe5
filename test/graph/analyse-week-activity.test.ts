// Activity-aware tracking through the warehouse: link dates from graph.edge.last_seen, custody and reception dates from
// score.nominal_harm and curated.pins, active members kept in analysis.network_history for the next week.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyseWeek } from '../../pipelines/analyse/analyse-week.ts';
import { freshContext } from '../helpers/context.ts';
import type { StageContext } from '../../pipelines/core/context.ts';

let ctx: StageContext;
beforeEach(async () => {
  ctx = await freshContext();
});
afterEach(() => ctx.db.close());

const K4 = [['m1', 'm2'], ['m1', 'm3'], ['m1', 'm4'], ['m2', 'm3'], ['m2', 'm4'], ['m3', 'm4']];

/** One week: the four members all linked on `lastSeen`; `remanded` received into custody on `reception`. */
async function week(lastSeen: string, remanded: string[], reception: string | null) {
  await ctx.db.run('CREATE SCHEMA IF NOT EXISTS graph; CREATE SCHEMA IF NOT EXISTS score; CREATE SCHEMA IF NOT EXISTS curated; CREATE SCHEMA IF NOT EXISTS person;');
  await ctx.db.run('CREATE OR REPLACE TABLE graph.edge (nominal_a VARCHAR, nominal_b VARCHAR, weight DOUBLE, link_types VARCHAR[], last_seen DATE)');
  for (const [a, b] of K4) await ctx.db.run(`INSERT INTO graph.edge VALUES ($a, $b, 1, ['CO_OFFENDING'], $d::DATE)`, { a: a!, b: b!, d: lastSeen });
  await ctx.db.run(`CREATE OR REPLACE TABLE score.nominal_harm (nominal_id VARCHAR, harm_cchi DOUBLE, harm_band VARCHAR, under_18 BOOLEAN,
    safeguarding_only BOOLEAN, historic BOOLEAN, in_custody BOOLEAN, expected_release_date DATE)`);
  for (const id of ['m1', 'm2', 'm3', 'm4']) {
    await ctx.db.run('INSERT INTO score.nominal_harm VALUES ($id, 20, $band, false, false, false, $c, NULL)', { id, band: 'C', c: remanded.includes(id) });
  }
  await ctx.db.run('CREATE OR REPLACE TABLE person.nominal_sources (nominal_id VARCHAR, identity_id VARCHAR)');
  await ctx.db.run('CREATE OR REPLACE TABLE curated.pins (identity_id VARCHAR, reception_date DATE, actual_release_date DATE)');
  for (const id of remanded) {
    await ctx.db.run('INSERT INTO person.nominal_sources VALUES ($id, $iid)', { id, iid: `pins:${id}` });
    await ctx.db.run('INSERT INTO curated.pins VALUES ($iid, $r::DATE, NULL)', { iid: `pins:${id}`, r: reception });
  }
}

describe('analyseWeek with activity-aware tracking', () => {
  it('keeps the active-member count, and DISSOLVES the network the week custody leaves one member active', async () => {
    await week('2026-10-28', [], null);
    await analyseWeek(ctx, { asOf: '2026-11-02' });
    expect(await ctx.db.all('SELECT network_id, active_members FROM analysis.network_history')).toEqual([{ network_id: 'N-2026-11-02-1', active_members: 4 }]);

    // m1–m3 remanded on 2026-11-05, after their last links (2026-11-04): one member left at liberty.
    await week('2026-11-04', ['m1', 'm2', 'm3'], '2026-11-05');
    await analyseWeek(ctx, { asOf: '2026-11-09' });
    expect(await ctx.db.all('SELECT network_id FROM analysis.network')).toEqual([]);
    const alerts = await ctx.db.all<{ alert_type: string; subject_id: string; evidence: string }>(
      `SELECT alert_type, subject_id, evidence FROM analysis.alert WHERE alert_type LIKE 'NETWORK_%'`);
    expect(alerts.map((a) => [a.alert_type, a.subject_id])).toEqual([['NETWORK_DISSOLVED', 'N-2026-11-02-1']]);
    expect(JSON.parse(alerts[0]!.evidence)).toMatchObject({ reason: 'inactive', active_members_before: 4, active_members_now: 1, members_in_custody: 3, taken_into_custody_since_last_link: 3 });
  });

  it('a record dated after the reception keeps a remanded member active: no dissolution', async () => {
    await week('2026-10-28', [], null);
    await analyseWeek(ctx, { asOf: '2026-11-02' });
    // Received on 2026-11-01, but linked again on 2026-11-04 (say, a co-arrest on remand).
    await week('2026-11-04', ['m1', 'm2', 'm3'], '2026-11-01');
    await analyseWeek(ctx, { asOf: '2026-11-09' });
    expect(await ctx.db.all('SELECT network_id, lineage_event FROM analysis.network')).toEqual([{ network_id: 'N-2026-11-02-1', lineage_event: 'CONTINUED' }]);
  });
});
