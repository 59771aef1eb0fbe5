// Stable network identity across periods by member-overlap matching: Greene, Doyle & Cunningham (2010), "Tracking
// the evolution of communities in dynamic social networks", ASONAM — Jaccard matching to the previous networks, threshold 0.3.

export type LineageEvent = 'BORN' | 'CONTINUED' | 'GREW' | 'SHRANK' | 'SPLIT' | 'MERGED' | 'DISSOLVED';

export interface PreviousNetwork {
  network_id: string;
  members: readonly string[];
  /** Active members that week (activity-aware tracking); null/absent when not known. */
  active_members?: number | null;
}

export interface TrackedNetwork {
  network_id: string;
  /** Sorted member ids (empty for a DISSOLVED row). */
  members: string[];
  lineage_event: LineageEvent;
  parent_network_ids: string[];
  /** Best Jaccard overlap with a previous network (0 when BORN). */
  jaccard: number;
  /** What the lineage alert cites beyond the ids (activity-aware tracking), when there is more to say. */
  evidence?: Record<string, unknown>;
}

export interface LineageOptions {
  /** Label of this period (e.g. the as-of date); new ids are `N-<period>-<k>` (`N-<k>` when empty). */
  period: string;
  /** Minimum Jaccard overlap for a match (default 0.3, as Greene et al.). */
  jaccard?: number;
  /**
   * Per current network (input order): the id of a previous network it is known to be a fragment of (activity-aware
   * tracking divided that network), or null. A fragment matches only that network, whatever its overlap.
   */
  fragmentOf?: readonly (string | null)[];
}

/**
 * Rules: a network matching exactly one previous network that matches only it continues under that id
 * (GREW / SHRANK / CONTINUED by size); matching several previous networks is MERGED; one of several networks
 * matching the same previous network is SPLIT; matching none is BORN; a previous network matched by none is
 * DISSOLVED. MERGED, SPLIT and BORN networks get new ids `N-<period>-<k>`, k counting up in order of their
 * smallest member id, so the ids are deterministic. With threshold ≥ 0.3, a network that barely changed
 * (Jaccard ≥ 0.7) can never also take part in a split or merge, so it always keeps its id.
 */
export function networkLineage(current: readonly (readonly string[])[], previous: readonly PreviousNetwork[] | null, options: LineageOptions): { networks: TrackedNetwork[]; dissolved: TrackedNetwork[] } {
  const threshold = options.jaccard ?? 0.3;
  const prev = previous ?? [];
  const order = current.map((m, i) => ({ members: [...m].sort(cmp), i })).sort((a, b) => cmp(a.members[0] ?? '', b.members[0] ?? ''));
  const sorted = order.map((o) => o.members);
  const owner = new Map<string, number>();
  prev.forEach((p, k) => p.members.forEach((id) => owner.set(id, k)));
  const prevIndex = new Map(prev.map((p, k) => [p.network_id, k]));

  // matches[i] = previous networks with Jaccard ≥ threshold, best first.
  const matches: { p: number; j: number }[][] = sorted.map((members, i) => {
    const overlap = new Map<number, number>();
    for (const id of members) {
      const k = owner.get(id);
      if (k !== undefined) overlap.set(k, (overlap.get(k) ?? 0) + 1);
    }
    const out: { p: number; j: number }[] = [];
    const declared = prevIndex.get(options.fragmentOf?.[order[i]!.i] ?? '');
    for (const [k, inter] of overlap) {
      const j = inter / (members.length + prev[k]!.members.length - inter);
      if (declared === undefined ? j >= threshold : k === declared) out.push({ p: k, j });
    }
    return out.sort((a, b) => b.j - a.j || cmp(prev[a.p]!.network_id, prev[b.p]!.network_id));
  });
  const children = new Array<number>(prev.length).fill(0);
  for (const m of matches) for (const { p } of m) children[p]!++;

  let next = 1;
  const newId = () => (options.period ? `N-${options.period}-${next++}` : `N-${next++}`);
  const networks: TrackedNetwork[] = sorted.map((members, i) => {
    const m = matches[i]!;
    const parents = m.map(({ p }) => prev[p]!.network_id);
    const jaccard = m[0]?.j ?? 0;
    if (m.length === 0) return { network_id: newId(), members, lineage_event: 'BORN', parent_network_ids: [], jaccard };
    if (m.length > 1) return { network_id: newId(), members, lineage_event: 'MERGED', parent_network_ids: parents, jaccard };
    const parent = prev[m[0]!.p]!;
    if (children[m[0]!.p]! > 1) return { network_id: newId(), members, lineage_event: 'SPLIT', parent_network_ids: parents, jaccard };
    const before = parent.members.length;
    const event: LineageEvent = members.length > before ? 'GREW' : members.length < before ? 'SHRANK' : 'CONTINUED';
    return { network_id: parent.network_id, members, lineage_event: event, parent_network_ids: parents, jaccard };
  });
  const dissolved: TrackedNetwork[] = prev
    .filter((_, k) => children[k] === 0)
    .map((p) => ({ network_id: p.network_id, members: [], lineage_event: 'DISSOLVED' as const, parent_network_ids: [p.network_id], jaccard: 0 }))
    .sort((a, b) => cmp(a.network_id, b.network_id));
  return { networks, dissolved };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
