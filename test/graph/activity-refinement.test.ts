// Activity-aware tracking on hand-made graphs: who is active, splits need separate operation, merges need contact by
// two members on each side, and a network taken into custody is DISSOLVED (day numbers: the as-of date is day 1000).

import { describe, expect, it } from 'vitest';
import { csrFromEdges, groupMembers } from '../../graph/csr/csr.ts';
import type { Communities } from '../../graph/communities/communities.ts';
import { ACTIVITY_DEFAULTS, activeMembers, refineByActivity, type Activity } from '../../graph/lineage/activity-refinement.ts';
import { networkLineage } from '../../graph/lineage/network-lineage.ts';
import { analyse, ANALYSE_DEFAULTS, type AnalysisInput } from '../../graph/analyse.ts';
import { lineageAlerts } from '../../graph/change/alerts.ts';

const AS_OF = 1000;
type E = [string, string, number, number]; // source, target, weight, last seen (day)

function graph(edges: E[]) {
  return csrFromEdges({ source: edges.map((e) => e[0]), target: edges.map((e) => e[1]), weight: edges.map((e) => e[2]), lastSeen: edges.map((e) => e[3]) });
}
function activityFor(csr: ReturnType<typeof graph>, custody: Record<string, number> = {}, ineligible: string[] = []): Activity {
  return {
    asOfDay: AS_OF, lastSeen: csr.lastSeen!,
    eligible: Uint8Array.from(csr.nodes, (id) => (ineligible.includes(id) ? 0 : 1)),
    custodySince: Int32Array.from(csr.nodes, (id) => custody[id] ?? -1),
  };
}
/** Everything in one community (as Louvain would leave a hub-centred group). */
function oneCommunity(n: number): Communities {
  const community = new Int32Array(n);
  return { community, count: 1, members: groupMembers(community, 1), networks: [0], modularity: null };
}
const ownerOf = (csr: ReturnType<typeof graph>, groups: string[][]) =>
  Int32Array.from(csr.nodes, (id) => groups.findIndex((g) => g.includes(id)));
const parts = (csr: ReturnType<typeof graph>, c: Communities) => c.members.map((m) => Array.from(m, (i) => csr.nodes[i]!));
const OPTIONS = { ...ACTIVITY_DEFAULTS, minNetworkSize: 3 };

// Two triangles, a* and b*, each offending this week (day 995), joined by hub h (links on day 900) and by one old
// direct link a1–b1 (day 800, 200 days ago). The hub was received into custody on day 950, after his last link.
const SPLIT: E[] = [
  ['a1', 'a2', 1, 995], ['a2', 'a3', 1, 994], ['a1', 'a3', 1, 990],
  ['b1', 'b2', 1, 996], ['b2', 'b3', 1, 993], ['b1', 'b3', 1, 980],
  ['h', 'a1', 5, 900], ['h', 'b1', 5, 900], ['a1', 'b1', 0.5, 800],
];

describe('active members', () => {
  it('eligible, a link within activeDays, and not in custody since the last link', () => {
    const csr = graph([['x', 'y', 1, 990], ['y', 'z', 1, 500], ['v', 'x', 1, 990], ['w', 'x', 1, 990]]);
    // z: last link 500 days ago; v: a victim; w: in custody since day 995, after his last link (990); x: in custody
    // since day 980 but linked on day 990 — a record after reception keeps him active.
    const { active, lastLink } = activeMembers(csr, activityFor(csr, { w: 995, x: 980 }, ['v']), ACTIVITY_DEFAULTS);
    expect(Object.fromEntries(csr.nodes.map((id, i) => [id, active[i]]))).toEqual({ v: 0, w: 0, x: 1, y: 1, z: 0 });
    expect(lastLink[csr.nodes.indexOf('y')]).toBe(990);
  });
});

describe('refineByActivity', () => {
  it('splits a network whose two groups operate apart once the hub is in custody; each part is a fragment of it', () => {
    const csr = graph(SPLIT);
    const act = activityFor(csr, { h: 950 });
    const { active } = activeMembers(csr, act, ACTIVITY_DEFAULTS);
    const owner = ownerOf(csr, [csr.nodes.slice()]);
    const r = refineByActivity(csr, oneCommunity(csr.nodes.length), active, act, owner, OPTIONS);
    // The hub joins the part he is most strongly tied to: 5 to each, the tie goes to the lower part (a*).
    expect(parts(csr, r.communities)).toEqual([['a1', 'a2', 'a3', 'h'], ['b1', 'b2', 'b3']]);
    expect(Array.from(r.fragmentOf)).toEqual([0, 0]);
    expect(r.activitySplits).toBe(1);
  });

  it('does not split while one group is not operating (no link in the last 14 days)', () => {
    const quietB = SPLIT.map((e): E => (e[0].startsWith('b') && e[1].startsWith('b') ? [e[0], e[1], e[2], 970] : e));
    const csr = graph(quietB);
    const act = activityFor(csr, { h: 950 });
    const r = refineByActivity(csr, oneCommunity(csr.nodes.length), activeMembers(csr, act, ACTIVITY_DEFAULTS).active, act, ownerOf(csr, []), OPTIONS);
    expect(r.communities.count).toBe(1);
  });

  it('does not split when the groups had contact within 56 days, or when the hub is still at liberty', () => {
    const contact = graph(SPLIT.map((e): E => (e[0] === 'a1' && e[1] === 'b1' ? [e[0], e[1], e[2], 960] : e)));
    const act = activityFor(contact, { h: 950 });
    expect(refineByActivity(contact, oneCommunity(7), activeMembers(contact, act, ACTIVITY_DEFAULTS).active, act, ownerOf(contact, []), OPTIONS).communities.count).toBe(1);
    // The hub free and linked to both groups on day 960: one operating group.
    const free = graph(SPLIT.map((e): E => (e[0] === 'h' ? [e[0], e[1], e[2], 960] : e)));
    const act2 = activityFor(free);
    expect(refineByActivity(free, oneCommunity(7), activeMembers(free, act2, ACTIVITY_DEFAULTS).active, act2, ownerOf(free, []), OPTIONS).communities.count).toBe(1);
  });

  // Two networks of last week, p = {p1..p3} and q = {q1..q3}, that Louvain now puts in one community.
  const TWO: E[] = [
    ['p1', 'p2', 2, 700], ['p2', 'p3', 2, 700], ['p1', 'p3', 2, 700],
    ['q1', 'q2', 2, 700], ['q2', 'q3', 2, 700], ['q1', 'q3', 2, 700],
    ['p1', 'q1', 1, 600], ['p2', 'q2', 1, 600],
  ];
  const refineTwo = (edges: E[]) => {
    const csr = graph(edges);
    const act = activityFor(csr);
    const r = refineByActivity(csr, oneCommunity(6), activeMembers(csr, act, ACTIVITY_DEFAULTS).active, act, ownerOf(csr, [['p1', 'p2', 'p3'], ['q1', 'q2', 'q3']]), OPTIONS);
    return parts(csr, r.communities);
  };

  it('keeps last week\'s networks apart when no link joined them in the last 56 days', () => {
    expect(refineTwo(TWO)).toEqual([['p1', 'p2', 'p3'], ['q1', 'q2', 'q3']]);
  });

  it('one member\'s new link is not a merger; links between two members of each side are', () => {
    expect(refineTwo([...TWO, ['p3', 'q3', 1, 990]])).toEqual([['p1', 'p2', 'p3'], ['q1', 'q2', 'q3']]);
    expect(refineTwo([...TWO, ['p3', 'q3', 1, 990], ['p2', 'q1', 1, 985]])).toEqual([['p1', 'p2', 'p3', 'q1', 'q2', 'q3']]);
  });
});

describe('lineage of fragments', () => {
  it('a declared fragment matches only its parent, whatever the overlap: two fragments are a SPLIT', () => {
    const prev = [{ network_id: 'N-1', members: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'] }];
    // Jaccard 3/10 = 0.3 and 7/10: without the declaration the small part would be BORN (below 0.3 it is not matched).
    const plain = networkLineage([['a', 'b'], ['c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']], prev, { period: 'w2' });
    expect(plain.networks.map((n) => n.lineage_event)).toEqual(['BORN', 'SHRANK']);
    const declared = networkLineage([['a', 'b'], ['c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']], prev, { period: 'w2', fragmentOf: ['N-1', 'N-1'] });
    expect(declared.networks.map((n) => [n.network_id, n.lineage_event, n.parent_network_ids])).toEqual([
      ['N-w2-1', 'SPLIT', ['N-1']],
      ['N-w2-2', 'SPLIT', ['N-1']],
    ]);
  });
});

describe('analyse with activity', () => {
  const input = (edges: E[], extra: Partial<AnalysisInput>): AnalysisInput => ({
    edges: { source: edges.map((e) => e[0]), target: edges.map((e) => e[1]), weight: edges.map((e) => e[2]), lastSeen: edges.map((e) => e[3]) },
    period: 'w2', previous: null, activity: { asOfDay: AS_OF, ineligible: new Set(), custodySince: new Map() }, ...extra,
  });

  it('SPLIT alert: parent, children, the last link between the parts and the former members now in custody', () => {
    // Historically one group (every a–b pair linked on day 700, the hub linked to all six on day 900), so Louvain keeps
    // one community; this fortnight the triangles offend apart and the hub is in custody.
    const dense: E[] = [...SPLIT.slice(0, 6)];
    for (const x of ['a1', 'a2', 'a3']) for (const y of ['b1', 'b2', 'b3']) dense.push([x, y, 1, 700]);
    for (const x of ['a1', 'a2', 'a3', 'b1', 'b2', 'b3']) dense.push(['h', x, 2, 900]);
    const prev = [{ network_id: 'N-1', members: ['a1', 'a2', 'a3', 'b1', 'b2', 'b3', 'h'], active_members: 7 }];
    const a = analyse(input(dense, { previous: prev, activity: { asOfDay: AS_OF, ineligible: new Set(), custodySince: new Map([['h', 950]]) } }), ANALYSE_DEFAULTS);
    expect(a.networks.map((n) => [n.network_id, n.lineage_event, n.members])).toEqual([
      ['N-w2-1', 'SPLIT', ['a1', 'a2', 'a3', 'h']],
      ['N-w2-2', 'SPLIT', ['b1', 'b2', 'b3']],
    ]);
    const alert = lineageAlerts(a.networks, a.dissolved).find((x) => x.alert_type === 'NETWORK_SPLIT')!;
    expect(alert.subject_id).toBe('N-1');
    // day 900 = 1972-06-19 (the hub's links); a1–b1 on day 800 is older
    expect(JSON.parse(alert.evidence)).toEqual({
      children: ['N-w2-1', 'N-w2-2'], sizes: [4, 3], active_members: [3, 3], last_link_between_parts: '1972-06-19', former_members_in_custody: 1,
    });
  });

  // A network of four, all linked to each other on day 990; this week three are received into custody (day 995).
  const FOUR: E[] = [['m1', 'm2', 1, 990], ['m2', 'm3', 1, 990], ['m3', 'm4', 1, 990], ['m1', 'm4', 1, 990], ['m1', 'm3', 1, 990], ['m2', 'm4', 1, 990]];
  const prev4 = [{ network_id: 'N-1', members: ['m1', 'm2', 'm3', 'm4'], active_members: 4 }];

  it('DISSOLVED when custody leaves fewer than two active members; the alert says so', () => {
    const custody = new Map([['m1', 995], ['m2', 995], ['m3', 995]]);
    const a = analyse(input(FOUR, { previous: prev4, activity: { asOfDay: AS_OF, ineligible: new Set(), custodySince: custody } }), ANALYSE_DEFAULTS);
    expect(a.networks).toEqual([]);
    expect(a.dissolved.map((d) => d.network_id)).toEqual(['N-1']);
    const alert = lineageAlerts(a.networks, a.dissolved)[0]!;
    expect(alert).toMatchObject({ alert_type: 'NETWORK_DISSOLVED', subject_id: 'N-1', detail: 'network N-1 dissolved: 1 member(s) still active' });
    expect(JSON.parse(alert.evidence)).toMatchObject({ reason: 'inactive', active_members_before: 4, active_members_now: 1, members_in_custody: 3, taken_into_custody_since_last_link: 3 });
  });

  it('a network that merely goes quiet is not dissolved, and a new one needs two active members to be BORN', () => {
    const old = FOUR.map((e): E => [e[0], e[1], e[2], 500]); // last links 500 days ago: nobody active
    const a = analyse(input(old, { previous: prev4 }), ANALYSE_DEFAULTS);
    expect(a.networks.map((n) => [n.network_id, n.lineage_event, n.active_members])).toEqual([['N-1', 'CONTINUED', 0]]);
    const b = analyse(input(old, { previous: [{ network_id: 'N-9', members: ['x1', 'x2', 'x3'], active_members: 3 }] }), ANALYSE_DEFAULTS);
    expect(b.networks).toEqual([]);
    expect(b.summary.activity).toMatchObject({ not_born_inactive: 1 });
    // First week (no previous): every community of three or more is a network, active or not.
    expect(analyse(input(old, {}), ANALYSE_DEFAULTS).networks.map((n) => n.lineage_event)).toEqual(['BORN']);
  });
});

describe('CSR last seen', () => {
  it('parallel edges keep the latest day, and it follows the arcs when neighbour lists are sorted', () => {
    const csr = graph([['b', 'a', 1, 5], ['a', 'c', 1, 7], ['a', 'b', 1, 9]]);
    // a: neighbours b (days 5 and 9 → 9), c (7)
    expect(Array.from(csr.targets.subarray(csr.offsets[0]!, csr.offsets[1]!))).toEqual([1, 2]);
    expect(Array.from(csr.lastSeen!.subarray(csr.offsets[0]!, csr.offsets[1]!))).toEqual([9, 7]);
    expect(Array.from(csr.lastSeen!)).toEqual([9, 7, 9, 7]);
  });
});
