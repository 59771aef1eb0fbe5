// Network harm (Σ members, proven/alleged apart), connected components as interim networks, and the
// network type-tag rule.

import { afterEach, describe, expect, it } from 'vitest';
import { freshContext } from '../helpers/context.ts';
import type { StageContext } from '../../pipelines/core/context.ts';
import { buildEdges } from '../../pipelines/network/build-edges.ts';
import { scoreHarm } from '../../pipelines/harm/score-harm.ts';
import { scoreNetworks } from '../../pipelines/harm/score-networks.ts';
import { componentIds, connectedComponents } from '../../graph/harm/connected-components.ts';
import { networkHarm, type MemberHarm } from '../../graph/harm/network-harm.ts';
import { networkTypeTags } from '../../graph/harm/network-type-tags.ts';
import { onGrid } from '../../graph/harm/exact-sum.ts';
import { AS_OF, fivePeople } from './five-people.ts';
import { inv, loadInputs, ns } from './input-tables.ts';

let ctx: StageContext | undefined;
afterEach(() => ctx?.db.close());

const d = Math.pow(2 / 3, 365 / 365.25);
const C6_CCHI = onGrid(182.5 * d, 16);
const C6_ONS = onGrid(100 * d, 16);

describe('connected components', () => {
  it('labels each node with the smallest node of its component; ids by size then smallest node', () => {
    // 0-1-2 and 3-4 and 5 alone
    const label = connectedComponents(6, [1, 2, 4], [0, 1, 3]);
    expect([...label]).toEqual([0, 0, 0, 3, 3, 5]);
    expect(componentIds(label, 2)).toEqual(['CC0001', 'CC0001', 'CC0001', 'CC0002', 'CC0002', null]);
    expect(componentIds(label, 3)).toEqual(['CC0001', 'CC0001', 'CC0001', null, null, null]);
  });
});

describe('network harm (pure)', () => {
  it('sums members, unscored members add nothing', () => {
    const harm: MemberHarm[] = [
      { nominal_id: 'a', harm_cchi: 100, harm_cchi_proven: 80, harm_cchi_alleged: 40, harm_ons: 10 },
      { nominal_id: 'b', harm_cchi: 5.5, harm_cchi_proven: 5.5, harm_cchi_alleged: 0, harm_ons: 1 },
      { nominal_id: 'v', harm_cchi: null, harm_cchi_proven: null, harm_cchi_alleged: null, harm_ons: null },
    ];
    const m = ['a', 'b', 'v'].map((n) => ({ network_id: 'X', nominal_id: n }));
    expect(networkHarm(m, harm)).toEqual([{ network_id: 'X', size: 3, harm_cchi: 105.5, harm_cchi_proven: 85.5, harm_cchi_alleged: 40, harm_ons: 11 }]);
  });
});

describe('network type tags (rule as data)', () => {
  it('CSE from a sexual offence against a child or a CSE intelligence topic', () => {
    expect(networkTypeTags({ offence_class: { '19D': 1 } }).types).toEqual(['CSE']);
    expect(networkTypeTags({ intel_topic: { CSE: 2 } })).toEqual({
      types: ['CSE'],
      reasons: ['CSE: a member is in a reliable-graded CSE intelligence report (2 records)'],
    });
  });

  it('COUNTY_LINES needs drug supply together with county-lines intel or a missing child found with a member', () => {
    expect(networkTypeTags({ offence_class: { '92A': 3 } }).types).toEqual([]);
    expect(networkTypeTags({ intel_topic: { COUNTY_LINES: 1 } }).types).toEqual([]);
    expect(networkTypeTags({ offence_class: { '92A': 3 }, intel_topic: { COUNTY_LINES: 1 } }).types).toEqual(['COUNTY_LINES']);
    expect(networkTypeTags({ offence_class: { '92A': 1 }, missing_child_found_with: { yes: 1 } }).types).toEqual(['COUNTY_LINES']);
  });

  it('SOC from firearms/OCG intel, Class A supply codes or money laundering; tags combine', () => {
    expect(networkTypeTags({ intel_topic: { OCG: 1 } }).types).toEqual(['SOC']);
    expect(networkTypeTags({ offence_code: { '092/30': 1 } }).types).toEqual(['SOC']);
    expect(networkTypeTags({ offence_code: { '092/41': 1 } }).types).toEqual([]); // Class B supply alone: not SOC
    expect(networkTypeTags({ offence_class: { '38': 1 } }).types).toEqual(['SOC']);
    expect(networkTypeTags({ offence_class: { '92A': 1, '21': 1 }, intel_topic: { COUNTY_LINES: 1, FIREARMS: 1 } }).types).toEqual(['CSE', 'COUNTY_LINES', 'SOC']);
    expect(networkTypeTags({ intel_topic: { DRUGS: 5, OTHER: 1 } }).types).toEqual([]);
    expect(networkTypeTags({ intel_topic: { OCG: 2, FIREARMS: 1 }, offence_class: { '38': 1 } }).reasons).toEqual([
      'SOC: a member is in a reliable-graded firearms or organised-crime intelligence report (3 records); or a member is suspect/offender in concealing/acquiring criminal property (38) (1 record)',
    ]);
  });
});

async function fullRun(data = fivePeople(), membershipTable?: string, setup?: (c: StageContext) => Promise<void>) {
  ctx = await freshContext();
  await loadInputs(ctx.db, data);
  await buildEdges(ctx, { asOf: AS_OF });
  await scoreHarm(ctx, { asOf: AS_OF });
  if (setup) await setup(ctx);
  return scoreNetworks(ctx, { asOf: AS_OF, ...(membershipTable ? { membershipTable } : {}) });
}

describe('scoreNetworks (runner)', () => {
  it('five-person case: one component of 5, harm = Σ members, tagged SOC for Class A supply', async () => {
    expect(await fullRun()).toEqual({ networks: 1 });
    const n = await ctx!.db.one('SELECT * EXCLUDE (as_of) FROM score.network_harm');
    // N1 638.75 + N2 (547.5 + C6) + N3 10 + N5 0; N4 (victim) unscored adds nothing.
    expect(n).toEqual({
      network_id: 'CC0001',
      size: 5,
      harm_cchi: 638.75 + 547.5 + C6_CCHI + 10,
      harm_cchi_proven: 547.5 + 547.5 + C6_CCHI + 10,
      harm_cchi_alleged: 182.5,
      harm_ons: 550 + 500 + C6_ONS,
      harm_ons_proven: 500 + 500 + C6_ONS,
      harm_ons_alleged: 100,
      types: ['SOC'],
      type_reasons: 'SOC: a member is suspect/offender in Class A production or supply (1 record)', // C1 (C3 NFA and C7 out of look-back don't count)
      members_scored: 4,
      members_under_18: 1,
      members_in_custody: 1,
    });
    const members = await ctx!.db.all('SELECT nominal_id FROM score.network_member ORDER BY nominal_id');
    expect(members.map((m) => m.nominal_id)).toEqual(['N1', 'N2', 'N3', 'N4', 'N5']);
  });

  it('tags COUNTY_LINES when a missing child is found with a member of a supply network', async () => {
    const data = fivePeople();
    data.nominals.push({ nominal_id: 'N7', date_of_birth: '2011-01-01' });
    data.nominalSources.push(ns('N7', 'm-7', 'missing'), ns('N2', 'm-2', 'missing'));
    data.involvements.push(
      inv({ source: 'missing', record_ref: 'E1', group_ref: 'E1', identity_id: 'm-7', role: 'MISSING', record_date: '2026-09-01', under_18: true }),
      inv({ source: 'missing', record_ref: 'E1', group_ref: 'E1', identity_id: 'm-2', role: 'FOUND_WITH', record_date: '2026-09-01' }),
    );
    await fullRun(data);
    const n = await ctx!.db.one<{ types: string[]; size: number }>('SELECT types, size FROM score.network_harm');
    expect(n).toEqual({ types: ['COUNTY_LINES', 'SOC'], size: 6 });
  });

  it('uses a given membership table (communities) and leaves pairs out of components', async () => {
    await fullRun(fivePeople(), 'analysis.network_member', async (c) => {
      await c.db.run('CREATE SCHEMA analysis');
      await c.db.run(`CREATE TABLE analysis.network_member AS SELECT * FROM (VALUES ('A', 'N1'), ('A', 'N4'), ('B', 'N2'), ('B', 'N3')) t(network_id, nominal_id)`);
    });
    const rows = await ctx!.db.all('SELECT network_id, size, harm_cchi FROM score.network_harm ORDER BY network_id');
    expect(rows).toEqual([
      { network_id: 'A', size: 2, harm_cchi: 638.75 },
      { network_id: 'B', size: 2, harm_cchi: 547.5 + C6_CCHI + 10 },
    ]);
  });

  it('no links, no networks', async () => {
    const data = fivePeople();
    data.involvements = data.involvements.filter((r) => r.source === 'crime' && r.role !== 'VICTIM' && r.record_ref !== 'C1');
    expect(await fullRun(data)).toEqual({ networks: 0 });
    expect(await ctx!.db.value('SELECT count(*) FROM graph.edge')).toBe(0);
    expect(await ctx!.db.value('SELECT count(*) FROM score.network_member')).toBe(0);
  });

  it('agrees with the pure sum over score.nominal_harm', async () => {
    await fullRun();
    const harm = await ctx!.db.all<MemberHarm>('SELECT nominal_id, harm_cchi, harm_cchi_proven, harm_cchi_alleged, harm_ons FROM score.nominal_harm');
    const members = await ctx!.db.all<{ network_id: string; nominal_id: string }>('SELECT * FROM score.network_member');
    const sql = await ctx!.db.all('SELECT network_id, size, harm_cchi, harm_cchi_proven, harm_cchi_alleged, harm_ons FROM score.network_harm ORDER BY network_id');
    expect(sql).toEqual(networkHarm(members, harm));
  });
});
