import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyseWeek } from '../../pipelines/analyse/analyse-week.ts';
import { freshContext } from '../helpers/context.ts';
import type { StageContext } from '../../pipelines/core/context.ts';

let ctx: StageContext;
beforeEach(async () => {
  ctx = await freshContext();
});
afterEach(() => ctx.db.close());

type Edge = [string, string, number, string[]];
type Nominal = [id: string, harm: number | null, band: string | null, under18: boolean, safeguardingOnly: boolean, inCustody: boolean, release: string | null];

async function week(edges: Edge[], nominals: Nominal[]) {
  await ctx.db.run('CREATE SCHEMA IF NOT EXISTS graph; CREATE SCHEMA IF NOT EXISTS score;');
  await ctx.db.run('CREATE OR REPLACE TABLE graph.edge (nominal_a VARCHAR, nominal_b VARCHAR, weight DOUBLE, link_types VARCHAR[])');
  for (const [a, b, w, t] of edges) await ctx.db.run('INSERT INTO graph.edge VALUES ($a, $b, $w, $t::VARCHAR[])', { a, b, w, t: `[${t.join(',')}]` });
  await ctx.db.run(`CREATE OR REPLACE TABLE score.nominal_harm (nominal_id VARCHAR, harm_cchi DOUBLE, harm_band VARCHAR, under_18 BOOLEAN,
    safeguarding_only BOOLEAN, historic BOOLEAN, in_custody BOOLEAN, expected_release_date DATE)`);
  for (const [id, h, band, u18, sg, cust, rel] of nominals) {
    await ctx.db.run('INSERT INTO score.nominal_harm VALUES ($id, $h, $band, $u18, $sg, false, $cust, $rel::DATE)', { id, h, band, u18, sg, cust, rel });
  }
}

const K4: Edge[] = [
  ['n1', 'n2', 1, ['CO_OFFENDING']], ['n1', 'n3', 1, ['CO_OFFENDING']], ['n1', 'n4', 1, ['CO_OFFENDING']],
  ['n2', 'n3', 1, ['CO_OFFENDING']], ['n2', 'n4', 1, ['CO_ARREST']], ['n3', 'n4', 1, ['CO_ARREST']],
];
const PEOPLE: Nominal[] = [
  ['n1', 400, 'A', false, false, false, null],
  ['n2', 50, 'C', false, false, false, null],
  ['n3', 100, 'B', false, false, true, '2026-11-19'],
  ['n4', 50, 'C', false, false, false, null],
  ['n5', 20, 'C', false, false, false, null],
  ['kid', null, null, true, true, false, null],
  ['victim', null, null, false, true, false, null],
];

async function table(sql: string) {
  return ctx.db.all(sql);
}

describe('analyseWeek (warehouse runner)', () => {
  it('week 1: one network BORN, centralities for every nominal, victims never ranked', async () => {
    await week(K4, PEOPLE);
    const r = await analyseWeek(ctx, { asOf: '2026-11-02', previous: null });
    expect(r.networks).toBe(1);
    expect(await table('SELECT network_id, size, lineage_event, parent_network_ids FROM analysis.network')).toEqual([
      { network_id: 'N-2026-11-02-1', size: 4, lineage_event: 'BORN', parent_network_ids: '' },
    ]);
    expect(await table('SELECT nominal_id FROM analysis.network_member ORDER BY 1')).toEqual(['n1', 'n2', 'n3', 'n4'].map((nominal_id) => ({ nominal_id })));
    const c = await table('SELECT nominal_id, network_id, degree, betweenness, closeness, pagerank_rank FROM analysis.centrality ORDER BY nominal_id');
    expect(c.map((x) => x.nominal_id)).toEqual(['kid', 'n1', 'n2', 'n3', 'n4', 'n5', 'victim']);
    expect(c.find((x) => x.nominal_id === 'n1')).toMatchObject({ network_id: 'N-2026-11-02-1', degree: 3, betweenness: 0, closeness: 1 });
    expect(c.find((x) => x.nominal_id === 'victim')).toMatchObject({ network_id: null, degree: 0, pagerank_rank: null });
    // n3 band B is due out on 2026-11-19, within 4 weeks; first week: no link alerts (nothing to compare with)
    expect(await table('SELECT alert_type, subject_id FROM analysis.alert')).toEqual([{ alert_type: 'RELEASE_DUE', subject_id: 'n3' }]);
  });

  it('week 2 reads week 1 from history: same id, new links to band A and a child found with an adult with harm', async () => {
    await week(K4, PEOPLE);
    await analyseWeek(ctx, { asOf: '2026-11-02', previous: null });
    await week([...K4, ['n1', 'n5', 1, ['CO_ARREST']], ['kid', 'n2', 1, ['FOUND_WITH']]], PEOPLE);
    await analyseWeek(ctx, { asOf: '2026-11-09' });
    const nets = await table('SELECT network_id, size, lineage_event, parent_network_ids FROM analysis.network');
    expect(nets.map((n) => n.network_id)).toContain('N-2026-11-02-1');
    const alerts = await table('SELECT alert_type, subject_id, evidence FROM analysis.alert ORDER BY alert_type, subject_id');
    expect(alerts.map((a) => [a.alert_type, a.subject_id])).toEqual(
      expect.arrayContaining([['CHILD_FOUND_WITH_ADULT', 'kid'], ['NEW_LINK_TO_BAND_A', 'n5'], ['RELEASE_DUE', 'n3']]),
    );
    expect(JSON.parse(alerts.find((a) => a.alert_type === 'CHILD_FOUND_WITH_ADULT')!.evidence as string)).toEqual({ adult: 'n2', adult_harm_cchi: 50, first_found_with: '2026-11-09' });
    const n1 = (await table(`SELECT pagerank_rank, pagerank_rank_change_1w FROM analysis.centrality WHERE nominal_id = 'n1'`))[0]!;
    expect(n1.pagerank_rank).toBe(1);
    expect(n1.pagerank_rank_change_1w).not.toBeNull();
    // the child is never ranked (no band)
    expect((await table(`SELECT pagerank_rank FROM analysis.centrality WHERE nominal_id = 'kid'`))[0]!.pagerank_rank).toBeNull();
  });

  it('network harm rising over 4 weeks from the given history; re-running a week gives identical tables', async () => {
    await week(K4, PEOPLE);
    const previous = {
      networks: [{ network_id: 'N-7', members: ['n1', 'n2', 'n3', 'n4'] }],
      history: [{ asOf: '2026-10-19', networkHarm: [{ network_id: 'N-7', harm_cchi: 300 }] }],
    };
    await analyseWeek(ctx, { asOf: '2026-11-16', previous });
    const dump = async () => JSON.stringify(await Promise.all(['network', 'network_member', 'centrality', 'alert'].map((t) => table(`SELECT * FROM analysis.${t} ORDER BY ALL`))));
    const first = await dump();
    const alert = (await table(`SELECT detail, evidence FROM analysis.alert WHERE alert_type = 'NETWORK_HARM_RISING'`))[0]!;
    expect(alert.detail).toBe('network harm rose from 300 to 600 CCHI days over 4 weeks');
    await analyseWeek(ctx, { asOf: '2026-11-16', previous });
    expect(await dump()).toBe(first);
  });
});
