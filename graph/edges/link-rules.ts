// Which co-involvements make a link, as data shared by the pure builder and the SQL runner: five link
// types from analysis.md "Who links to whom". Witnesses and PINS appear in no rule, so create no links.

export type LinkType = 'CO_OFFENDING' | 'OFFENDER_VICTIM' | 'CO_ARREST' | 'INTEL_ASSOCIATION' | 'FOUND_WITH';

/** The label every intelligence-only link carries, wherever it is shown (safeguards.md §2). */
export const INTELLIGENCE_LABEL = 'intelligence — not evidence';

export interface LinkRule {
  link_type: LinkType;
  source: 'crime' | 'custody' | 'intel' | 'missing';
  from_roles: readonly string[];
  to_roles: readonly string[];
  /** Directed links keep who → whom in the evidence (offender → victim). */
  directed: boolean;
  evidential_class: string;
}

export const LINK_RULES: readonly LinkRule[] = [
  { link_type: 'CO_OFFENDING', source: 'crime', from_roles: ['SUSPECT', 'OFFENDER'], to_roles: ['SUSPECT', 'OFFENDER'], directed: false, evidential_class: 'recorded crime' },
  { link_type: 'OFFENDER_VICTIM', source: 'crime', from_roles: ['SUSPECT', 'OFFENDER'], to_roles: ['VICTIM'], directed: true, evidential_class: 'recorded crime' },
  { link_type: 'CO_ARREST', source: 'custody', from_roles: ['ARRESTED'], to_roles: ['ARRESTED'], directed: false, evidential_class: 'custody' },
  { link_type: 'INTEL_ASSOCIATION', source: 'intel', from_roles: ['SUBJECT'], to_roles: ['ASSOCIATE'], directed: false, evidential_class: INTELLIGENCE_LABEL },
  { link_type: 'FOUND_WITH', source: 'missing', from_roles: ['MISSING'], to_roles: ['FOUND_WITH'], directed: false, evidential_class: 'safeguarding' },
];

/** Order in which classes are named on an edge that has several. */
export const CLASS_ORDER: readonly string[] = ['recorded crime', 'custody', 'safeguarding', INTELLIGENCE_LABEL];

/**
 * An edge's evidential class: its distinct classes in CLASS_ORDER joined by "; ". An edge whose
 * evidence is all intelligence is therefore exactly "intelligence — not evidence".
 */
export function evidentialClass(classes: Iterable<string>): string {
  const set = new Set(classes);
  return CLASS_ORDER.filter((c) => set.has(c)).join('; ');
}

/** One row per (rule, from role, to role): the table the SQL runner joins against. */
export function linkRuleRows(): {
  link_type: string; source: string; role_from: string; role_to: string; directed: boolean; is_symmetric: boolean; class_bit: number;
}[] {
  return LINK_RULES.flatMap((r) => {
    // an undirected rule whose two role sets are equal would find every pair twice (x→y and y→x)
    const isSymmetric = !r.directed && r.from_roles.length === r.to_roles.length && r.from_roles.every((x) => r.to_roles.includes(x));
    return r.from_roles.flatMap((from) =>
      r.to_roles.map((to) => ({
        link_type: r.link_type,
        source: r.source,
        role_from: from,
        role_to: to,
        directed: r.directed,
        is_symmetric: isSymmetric,
        class_bit: 1 << CLASS_ORDER.indexOf(r.evidential_class),
      })),
    );
  });
}

/** The evidential-class label for every bit mask of CLASS_ORDER (the SQL runner looks labels up here). */
export function classLabelRows(): { class_mask: number; label: string }[] {
  const rows: { class_mask: number; label: string }[] = [];
  for (let mask = 1; mask < 1 << CLASS_ORDER.length; mask++) {
    rows.push({ class_mask: mask, label: evidentialClass(CLASS_ORDER.filter((_, i) => mask & (1 << i))) });
  }
  return rows;
}
