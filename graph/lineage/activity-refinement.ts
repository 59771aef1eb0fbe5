// Activity-aware network tracking: which members can act now, and the Louvain partition refined by what the network does now —
// a split needs groups operating apart with no contact, a merge needs recent contact (Greene, Doyle & Cunningham 2010 track steps).

import { groupMembers, type Csr } from '../csr/csr.ts';
import type { Communities } from '../communities/communities.ts';

export interface ActivityOptions {
  /** Two groups with no link recorded between them for this many days are "apart" (default 56: eight weeks). */
  contactDays: number;
  /** A group is "operating" when it has a link recorded within this many days (default 14). */
  operatingDays: number;
  /** A member with no link recorded for this many days is not active (default 365, the link-weight half-life). */
  activeDays: number;
  /** A tracked network whose active members fall below this is DISSOLVED; a new one needs this many to be BORN (default 2). */
  minActiveMembers: number;
}

/** Two previous networks merge only when recent links join at least this many members of each (one person's link is not a merger). */
export const MERGE_CONTACT_MEMBERS = 2;

export const ACTIVITY_DEFAULTS: ActivityOptions = { contactDays: 56, operatingDays: 14, activeDays: 365, minActiveMembers: 2 };

/** Per-node and per-arc facts the refinement needs, all in the CSR's order. Days are whole days since 1970-01-01. */
export interface Activity {
  asOfDay: number;
  /** Per arc: the day of the latest evidence behind the link. */
  lastSeen: Int32Array;
  /** Per node: 1 if the nominal can be an offending member (not a victim, witness or missing person only). */
  eligible: Uint8Array;
  /** Per node: day of reception into custody of the current custody spell (PINS), −1 when at liberty. */
  custodySince: Int32Array;
}

/**
 * Active member: eligible, a link recorded within `activeDays`, and not in custody since that last link (a record made
 * after the reception date — say, a co-arrest while on remand — keeps the member active).
 */
export function activeMembers(csr: Csr, activity: Activity, options: Pick<ActivityOptions, 'activeDays'>): { active: Uint8Array; lastLink: Int32Array } {
  const n = csr.nodes.length;
  const active = new Uint8Array(n);
  const lastLink = new Int32Array(n).fill(-2147483648);
  for (let v = 0; v < n; v++) {
    let last = -2147483648;
    for (let j = csr.offsets[v]!; j < csr.offsets[v + 1]!; j++) if (activity.lastSeen[j]! > last) last = activity.lastSeen[j]!;
    lastLink[v] = last;
    const since = activity.custodySince[v]!;
    active[v] = activity.eligible[v] && last >= activity.asOfDay - options.activeDays && !(since >= 0 && last <= since) ? 1 : 0;
  }
  return { active, lastLink };
}

export interface Refinement {
  communities: Communities;
  /** Per community: the previous network (index) it is a fragment of when an activity split divided that network, else −1. */
  fragmentOf: Int32Array;
  /** Communities kept divided along last week's networks for want of recent contact between them. */
  keptApart: number;
  /** Communities divided because their active members operate in separate groups. */
  activitySplits: number;
}

/**
 * Refines a partition, community by community (only communities of ≥ minNetworkSize members):
 * 1. Merges need contact: when a community holds ≥ minNetworkSize members of each of several previous networks and no link
 *    between those networks' members was recorded within `contactDays`, it stays divided along the previous networks.
 * 2. Splits need separate operation: the links among active members recorded within `contactDays` form components; when two or
 *    more of them have ≥ minNetworkSize members and a link within `operatingDays`, each becomes its own part.
 * In both cases the other members join the part they are most strongly linked to (summed weight, in node order until nothing
 * changes; ties to the lower part, unreached members to the largest part). Labels are renumbered by smallest member.
 * Deterministic, O(arcs) per pass.
 */
export function refineByActivity(
  csr: Csr, c: Communities, active: Uint8Array, activity: Activity, previousOwner: Int32Array, options: ActivityOptions & { minNetworkSize: number },
): Refinement {
  const n = csr.nodes.length;
  const { offsets, targets, weights } = csr;
  const lastSeen = activity.lastSeen;
  const contactFrom = activity.asOfDay - options.contactDays;
  const operatingFrom = activity.asOfDay - options.operatingDays;
  const minSize = options.minNetworkSize;
  const label = new Int32Array(n).fill(-1); // part (or core) being built while refining one community
  const visit = new Int32Array(n).fill(-1); // stamp: the part whose operation search reached the node
  const stack = new Int32Array(n);
  let stamp = 0;
  const partOf = new Int32Array(n).fill(-1); // part after step 1
  const raw = new Int32Array(n);
  let nextLabel = 0;
  const fragmentRaw = new Map<number, number>();
  let keptApart = 0;
  let activitySplits = 0;

  const attach = (members: Int32Array, inSet: (v: number) => boolean, parts: number) => {
    const sums = new Float64Array(parts);
    for (let changed = true; changed; ) {
      changed = false;
      for (const v of members) {
        if (label[v] !== -1) continue;
        sums.fill(0);
        let any = false;
        for (let j = offsets[v]!; j < offsets[v + 1]!; j++) {
          const u = targets[j]!;
          if (label[u]! >= 0 && inSet(u)) {
            sums[label[u]!]! += weights[j]!;
            any = true;
          }
        }
        if (!any) continue;
        let best = 0;
        for (let p = 1; p < parts; p++) if (sums[p]! > sums[best]!) best = p;
        label[v] = best;
        changed = true;
      }
    }
    const sizes = new Int32Array(parts);
    for (const v of members) if (label[v]! >= 0) sizes[label[v]!]!++;
    let largest = 0;
    for (let p = 1; p < parts; p++) if (sizes[p]! > sizes[largest]!) largest = p;
    for (const v of members) if (label[v] === -1) label[v] = largest;
  };

  for (let g = 0; g < c.count; g++) {
    const members = c.members[g]!;
    if (members.length < minSize) {
      for (const v of members) raw[v] = nextLabel;
      nextLabel++;
      continue;
    }
    const inCommunity = (v: number) => c.community[v] === g;

    // 1. Previous networks held here, joined when their members had recent contact.
    let first = -1;
    let several = false;
    for (const v of members) {
      label[v] = -1;
      const o = previousOwner[v]!;
      if (o >= 0 && first < 0) first = o;
      else if (o >= 0 && o !== first) several = true;
    }
    let heldIds: number[] = [];
    if (several) {
      const held = new Map<number, number>();
      for (const v of members) if (previousOwner[v]! >= 0) held.set(previousOwner[v]!, (held.get(previousOwner[v]!) ?? 0) + 1);
      heldIds = [...held].filter(([, k]) => k >= minSize).map(([p]) => p).sort((a, b) => a - b);
    }
    let parts = 1;
    if (heldIds.length >= 2) {
      const root = new Map(heldIds.map((p) => [p, p]));
      const find = (p: number): number => {
        while (root.get(p) !== p) p = root.get(p)!;
        return p;
      };
      // Per pair of held networks (lo, hi): the members of each side with a recent link to the other side.
      const contact = new Map<string, [Set<number>, Set<number>]>();
      for (const v of members) {
        const pv = previousOwner[v]!;
        if (!root.has(pv)) continue;
        for (let j = offsets[v]!; j < offsets[v + 1]!; j++) {
          const u = targets[j]!;
          const pu = previousOwner[u]!;
          if (u > v && pu !== pv && root.has(pu) && inCommunity(u) && lastSeen[j]! >= contactFrom) {
            const key = pv < pu ? `${pv},${pu}` : `${pu},${pv}`;
            const sides = contact.get(key) ?? contact.set(key, [new Set(), new Set()]).get(key)!;
            sides[pv < pu ? 0 : 1].add(v);
            sides[pv < pu ? 1 : 0].add(u);
          }
        }
      }
      for (const [key, [lo, hi]] of [...contact].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (lo.size < MERGE_CONTACT_MEMBERS || hi.size < MERGE_CONTACT_MEMBERS) continue;
        const [p, q] = key.split(',').map(Number) as [number, number];
        const a = find(p);
        const b = find(q);
        if (a !== b) root.set(Math.max(a, b), Math.min(a, b));
      }
      const groups = [...new Set(heldIds.map(find))].sort((a, b) => a - b);
      if (groups.length >= 2) {
        const partIndex = new Map(groups.map((r, k) => [r, k]));
        for (const v of members) if (root.has(previousOwner[v]!)) label[v] = partIndex.get(find(previousOwner[v]!))!;
        parts = groups.length;
        attach(members, inCommunity, parts);
        keptApart++;
      }
    }
    if (parts === 1) for (const v of members) label[v] = 0;

    // 2. Within each part: components of recent links among active members; operating ones of ≥ minSize become parts.
    let partMembers: number[][] | null = null;
    if (parts > 1) {
      partMembers = Array.from({ length: parts }, () => [] as number[]);
      for (const v of members) partMembers[label[v]!]!.push(v);
    }
    for (const v of members) partOf[v] = label[v]!;
    for (let p = 0; p < parts; p++) {
      const pm = partMembers ? Int32Array.from(partMembers[p]!) : members;
      const sub = splitByOperation(pm, p);
      if (sub === null) {
        for (const v of pm) raw[v] = nextLabel;
        nextLabel++;
        continue;
      }
      activitySplits++;
      for (const v of pm) raw[v] = nextLabel + label[v]!;
      // The previous network holding most of the divided part (lowest index on ties) is the one that split.
      const held = new Map<number, number>();
      for (const v of pm) if (previousOwner[v]! >= 0) held.set(previousOwner[v]!, (held.get(previousOwner[v]!) ?? 0) + 1);
      let parent = -1;
      for (const [q, k] of held) if (parent < 0 || k > held.get(parent)! || (k === held.get(parent)! && q < parent)) parent = q;
      if (parent >= 0) for (let k = 0; k < sub; k++) fragmentRaw.set(nextLabel + k, parent);
      nextLabel += sub;
    }
  }

  function splitByOperation(pm: Int32Array, part: number): number | null {
    const inPart = (v: number) => partOf[v] === part;
    const mark = ++stamp;
    let cores: number[][] | null = null;
    let firstCore: number[] | null = null;
    for (const s of pm) {
      if (!active[s] || visit[s] === mark) continue;
      const nodes: number[] = [];
      let operating = false;
      visit[s] = mark;
      let top = 0;
      stack[top++] = s;
      while (top > 0) {
        const v = stack[--top]!;
        nodes.push(v);
        for (let j = offsets[v]!; j < offsets[v + 1]!; j++) {
          const u = targets[j]!;
          if (!active[u] || lastSeen[j]! < contactFrom || partOf[u] !== part) continue;
          if (lastSeen[j]! >= operatingFrom) operating = true;
          if (visit[u] !== mark) {
            visit[u] = mark;
            stack[top++] = u;
          }
        }
      }
      if (nodes.length >= minSize && operating) {
        if (firstCore === null) firstCore = nodes;
        else (cores ??= [firstCore]).push(nodes);
      }
    }
    if (cores === null) return null;
    for (const v of pm) label[v] = -1;
    cores.forEach((nodes, k) => nodes.forEach((v) => (label[v] = k)));
    attach(pm, inPart, cores.length);
    return cores.length;
  }

  // Labels in order of each part's smallest node, as communities() numbers them.
  const relabel = new Map<number, number>();
  const community = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let k = relabel.get(raw[i]!);
    if (k === undefined) relabel.set(raw[i]!, (k = relabel.size));
    community[i] = k;
  }
  const grouped = groupMembers(community, relabel.size);
  const fragmentOf = new Int32Array(relabel.size).fill(-1);
  for (const [r, k] of relabel) if (fragmentRaw.has(r)) fragmentOf[k] = fragmentRaw.get(r)!;
  const networks: number[] = [];
  for (let k = 0; k < grouped.length; k++) if (grouped[k]!.length >= minSize) networks.push(k);
  return { communities: { community, count: relabel.size, members: grouped, networks, modularity: c.modularity }, fragmentOf, keptApart, activitySplits };
}
