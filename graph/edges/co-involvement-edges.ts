// Links between nominals from co-involvement in one record only (never from address, area, ethnicity…):
// each edge keeps its evidence; weight = Σ type weight × recency decay. Reference for pipelines/network SQL.

import { ageInDays } from '../harm/recency-decay.ts';
import { CONTRIBUTION_GRID_BITS, exactSum, onGrid } from '../harm/exact-sum.ts';
import { nominalOfIdentity, type InvolvementRow, type NominalSourceRow } from '../harm/harm-inputs.ts';
import { edgeDecay } from './edge-decay.ts';
import { INTELLIGENCE_LABEL, LINK_RULES, evidentialClass, type LinkType } from './link-rules.ts';

export interface EdgeEvidence {
  nominal_a: string;
  nominal_b: string;
  link_type: LinkType;
  source: string;
  /** The shared record: crime_ref, custody occasion_ref, intel_ref or missing episode_ref. */
  record_ref: string;
  record_ref_a: string;
  record_ref_b: string;
  record_date: string;
  /** Directed links only (OFFENDER_VICTIM): offender → victim. */
  from_nominal: string | null;
  to_nominal: string | null;
  evidential_class: string;
  type_weight: number;
  decay_factor: number;
  weight_contribution: number;
}

export interface Edge {
  nominal_a: string;
  nominal_b: string;
  link_types: LinkType[];
  evidential_class: string;
  intelligence_only: boolean;
  weight: number;
  evidence_count: number;
  first_seen: string;
  last_seen: string;
}

export interface EdgeOptions {
  asOf: string;
  linkTypeWeights: Readonly<Record<LinkType, number>>;
  halfLifeMonths: number;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const min = (a: string, b: string) => (a < b ? a : b);

export function coInvolvementEdges(
  input: { involvements: readonly InvolvementRow[]; nominalSources: readonly NominalSourceRow[] },
  opts: EdgeOptions,
): { edges: Edge[]; evidence: EdgeEvidence[] } {
  const nominalOf = nominalOfIdentity(input.nominalSources);
  const groups = new Map<string, { nominal: string; row: InvolvementRow }[]>();
  for (const row of input.involvements) {
    const nominal = nominalOf.get(row.identity_id);
    if (nominal === undefined || row.group_ref === null) continue;
    const key = `${row.source}\u0001${row.group_ref}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push({ nominal, row });
  }

  const found = new Map<string, EdgeEvidence>();
  for (const members of groups.values()) {
    const source = members[0]!.row.source;
    for (const rule of LINK_RULES) {
      if (rule.source !== source) continue;
      for (const x of members) {
        if (!rule.from_roles.includes(x.row.role)) continue;
        for (const y of members) {
          if (!rule.to_roles.includes(y.row.role) || x.nominal === y.nominal) continue;
          const [a, b] = x.nominal < y.nominal ? [x, y] : [y, x];
          const from = rule.directed ? x.nominal : null;
          const key = [a.nominal, b.nominal, rule.link_type, source, x.row.group_ref, from ?? ''].join('\u0001');
          const date = min(x.row.record_date, y.row.record_date);
          const prev = found.get(key);
          if (prev) {
            prev.record_date = min(prev.record_date, date);
            prev.record_ref_a = min(prev.record_ref_a, a.row.record_ref);
            prev.record_ref_b = min(prev.record_ref_b, b.row.record_ref);
            continue;
          }
          found.set(key, {
            nominal_a: a.nominal,
            nominal_b: b.nominal,
            link_type: rule.link_type,
            source,
            record_ref: x.row.group_ref!,
            record_ref_a: a.row.record_ref,
            record_ref_b: b.row.record_ref,
            record_date: date,
            from_nominal: from,
            to_nominal: rule.directed ? y.nominal : null,
            evidential_class: rule.evidential_class,
            type_weight: opts.linkTypeWeights[rule.link_type],
            decay_factor: 0,
            weight_contribution: 0,
          });
        }
      }
    }
  }

  const evidence = [...found.values()];
  for (const e of evidence) {
    e.decay_factor = edgeDecay(ageInDays(opts.asOf, e.record_date), opts.halfLifeMonths);
    e.weight_contribution = onGrid(e.type_weight * e.decay_factor, CONTRIBUTION_GRID_BITS);
  }
  evidence.sort(
    (p, q) =>
      cmp(p.nominal_a, q.nominal_a) || cmp(p.nominal_b, q.nominal_b) || cmp(p.link_type, q.link_type) ||
      cmp(p.record_ref, q.record_ref) || cmp(p.from_nominal ?? '', q.from_nominal ?? ''),
  );

  const edges: Edge[] = [];
  for (let i = 0; i < evidence.length; ) {
    let j = i;
    while (j < evidence.length && evidence[j]!.nominal_a === evidence[i]!.nominal_a && evidence[j]!.nominal_b === evidence[i]!.nominal_b) j++;
    const ev = evidence.slice(i, j);
    const cls = evidentialClass(ev.map((e) => e.evidential_class));
    edges.push({
      nominal_a: ev[0]!.nominal_a,
      nominal_b: ev[0]!.nominal_b,
      link_types: [...new Set(ev.map((e) => e.link_type))].sort(cmp),
      evidential_class: cls,
      intelligence_only: cls === INTELLIGENCE_LABEL,
      weight: exactSum(ev.map((e) => e.weight_contribution)),
      evidence_count: ev.length,
      first_seen: ev.map((e) => e.record_date).reduce(min),
      last_seen: ev.map((e) => e.record_date).reduce((p, q) => (p > q ? p : q)),
    });
    i = j;
  }
  return { edges, evidence };
}
