// Network harm = Σ of its members' own harm, with the proven/alleged split kept (analysis.md "Harm").
// Unscored members (victims, witnesses, missing people) add nothing; no member's score is changed.

import { exactSum } from './exact-sum.ts';

export type MemberHarm = {
  nominal_id: string;
  harm_cchi: number | null;
  harm_cchi_proven: number | null;
  harm_cchi_alleged: number | null;
  harm_ons: number | null;
};

export interface NetworkHarm {
  network_id: string;
  size: number;
  harm_cchi: number;
  harm_cchi_proven: number;
  harm_cchi_alleged: number;
  harm_ons: number;
}

export function networkHarm(membership: readonly { network_id: string; nominal_id: string }[], harm: readonly MemberHarm[]): NetworkHarm[] {
  const byNominal = new Map(harm.map((h) => [h.nominal_id, h]));
  const members = new Map<string, MemberHarm[]>();
  for (const m of membership) {
    let l = members.get(m.network_id);
    if (!l) members.set(m.network_id, (l = []));
    l.push(byNominal.get(m.nominal_id) ?? { nominal_id: m.nominal_id, harm_cchi: null, harm_cchi_proven: null, harm_cchi_alleged: null, harm_ons: null });
  }
  const sum = (l: MemberHarm[], k: keyof Omit<MemberHarm, 'nominal_id'>) => exactSum(l.map((h) => h[k] ?? 0));
  return [...members.entries()]
    .map(([network_id, l]) => ({
      network_id,
      size: l.length,
      harm_cchi: sum(l, 'harm_cchi'),
      harm_cchi_proven: sum(l, 'harm_cchi_proven'),
      harm_cchi_alleged: sum(l, 'harm_cchi_alleged'),
      harm_ons: sum(l, 'harm_ons'),
    }))
    .sort((a, b) => (a.network_id < b.network_id ? -1 : a.network_id > b.network_id ? 1 : 0));
}
