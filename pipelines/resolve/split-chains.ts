// The chaining guard (pure): rebuilds one suspect cluster as a constrained maximum spanning forest —
// links joined strongest first (Kruskal 1956 over a union-find), a link refused when it would put two
// different valid PNC ids, clearly different dates of birth, or an analyst's "not the same" pair together.

export type EdgeKind = 'decision' | 'pnc' | 'model';
export interface GuardNode {
  id: number;
  pncs: string[];
  /** ISO dates YYYY-MM-DD. */
  dobs: string[];
}
export interface GuardEdge {
  a: number;
  b: number;
  probability: number;
  kind: EdgeKind;
}

/** Same rule as the SQL macro hn_dob_level: exact, transposed, one part different, or else. */
export function dobLevel(a: string | null, b: string | null): 'null' | 'exact' | 'transposed' | 'one_part' | 'else' {
  if (!a || !b) return 'null';
  if (a === b) return 'exact';
  const [ya, ma, da] = a.split('-').map(Number) as [number, number, number];
  const [yb, mb, db] = b.split('-').map(Number) as [number, number, number];
  if (ya === yb && ma === db && da === mb) return 'transposed';
  if (ya === yb && (ma === mb || da === db)) return 'one_part';
  if (ma === mb && da === db && (Math.abs(ya - yb) <= 1 || (Math.abs(ya - yb) <= 10 && yearSlip(String(ya), String(yb))))) return 'one_part';
  return 'else';
}

/** Two four-digit years one substitution or one adjacent swap apart (Damerau–Levenshtein = 1). */
function yearSlip(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].map((c, i) => (c === b[i] ? -1 : i)).filter((i) => i >= 0);
  if (diff.length === 1) return true;
  return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
}

export function dobConflict(a: string | null, b: string | null): boolean {
  return dobLevel(a, b) === 'else';
}

interface Group {
  members: number[];
  pncs: Set<string>;
  dobs: Set<string>;
}

/** Returns each node's component label (the smallest node id in it) and how many links were refused. */
export function splitChains(
  nodes: GuardNode[],
  edges: GuardEdge[],
  cannotLink: [number, number][] = [],
): { label: Map<number, number>; refused: number } {
  const parent = new Map<number, number>();
  const group = new Map<number, Group>();
  for (const n of nodes) {
    parent.set(n.id, n.id);
    group.set(n.id, { members: [n.id], pncs: new Set(n.pncs), dobs: new Set(n.dobs) });
  }
  const apart = new Set(cannotLink.map(([x, y]) => key(x, y)));
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r)! !== r) r = parent.get(r)!;
    while (parent.get(x)! !== r) {
      const next = parent.get(x)!;
      parent.set(x, r);
      x = next;
    }
    return r;
  };
  const rank: Record<EdgeKind, number> = { decision: 0, pnc: 1, model: 2 };
  const ordered = [...edges].sort(
    (e, f) => rank[e.kind] - rank[f.kind] || f.probability - e.probability || Math.min(e.a, e.b) - Math.min(f.a, f.b) || Math.max(e.a, e.b) - Math.max(f.a, f.b),
  );
  let refused = 0;
  for (const e of ordered) {
    const ra = find(e.a);
    const rb = find(e.b);
    if (ra === rb) continue;
    const ga = group.get(ra)!;
    const gb = group.get(rb)!;
    if (e.kind !== 'decision') {
      const blocked =
        separated(ga, gb, apart) || (e.kind === 'model' && (pncConflict(ga.pncs, gb.pncs) || dobSetConflict(ga.dobs, gb.dobs)));
      if (blocked) {
        refused++;
        continue;
      }
    }
    const [root, child] = ra < rb ? [ra, rb] : [rb, ra];
    parent.set(child, root);
    const g = group.get(root)!;
    const c = group.get(child)!;
    g.members.push(...c.members);
    for (const p of c.pncs) g.pncs.add(p);
    for (const d of c.dobs) g.dobs.add(d);
    group.delete(child);
  }
  const label = new Map<number, number>();
  for (const n of nodes) {
    const r = find(n.id);
    label.set(n.id, group.get(r)!.members.reduce((x, y) => (y < x ? y : x)));
  }
  return { label, refused };
}

function key(x: number, y: number): string {
  return x < y ? `${x}|${y}` : `${y}|${x}`;
}

function separated(a: Group, b: Group, apart: Set<string>): boolean {
  if (apart.size === 0) return false;
  for (const x of a.members) for (const y of b.members) if (apart.has(key(x, y))) return true;
  return false;
}

/** Two groups that each carry a valid PNC id but share none. */
function pncConflict(a: Set<string>, b: Set<string>): boolean {
  if (a.size === 0 || b.size === 0) return false;
  for (const p of a) if (b.has(p)) return false;
  return true;
}

/** Two groups whose dates of birth are all clearly different from each other. */
function dobSetConflict(a: Set<string>, b: Set<string>): boolean {
  if (a.size === 0 || b.size === 0) return false;
  for (const x of a) for (const y of b) if (!dobConflict(x, y)) return false;
  return true;
}
