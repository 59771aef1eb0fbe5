// Network type tags (CSE, COUNTY_LINES, SOC) from members' own records, by a rule kept as data and
// shown with its reasons. A network may carry several tags; a tag is a description, not a prediction.

export type NetworkTag = 'CSE' | 'COUNTY_LINES' | 'SOC';

/** What a network's members' records show (look-back window; NFA/acquitted crimes excluded). */
export type FactKind =
  | 'offence_class' // classification_code of a crime where a member is SUSPECT/OFFENDER
  | 'offence_code' // Home Office code of such a crime
  | 'intel_topic' // topic of a reliable-graded report where a member is SUBJECT/ASSOCIATE
  | 'missing_child_found_with'; // a missing under-18 was found with a member (value 'yes')

export interface Condition {
  fact: FactKind;
  any: readonly string[];
  /** Plain words for the transparency page and the reasons column. */
  says: string;
}

export interface TagRule {
  tag: NetworkTag;
  /** The tag applies when every condition of at least one clause holds. */
  whenAny: readonly (readonly Condition[])[];
}

// Sexual offences against a child (CCHI classification codes): rape of a child under 13/16 (19D, 19E,
// 19G, 19H), assault of a child under 13 (17B, 20B), sexual activity with a child (21, 22B), abuse of
// children through sexual exploitation (71), abuse of position of trust (73), grooming (88A).
const CHILD_SEXUAL_OFFENCE: Condition = {
  fact: 'offence_class',
  any: ['17B', '19D', '19E', '19G', '19H', '20B', '21', '22B', '71', '73', '88A'],
  says: 'a member is suspect/offender in a sexual offence against a child',
};
const DRUG_SUPPLY: Condition = { fact: 'offence_class', any: ['92A'], says: 'a member is suspect/offender in drug trafficking/supply (92A)' };
// Class A production/supply/possession with intent to supply (HO codes) — "serious drugs".
const CLASS_A_SUPPLY: Condition = {
  fact: 'offence_code',
  any: ['092/10', '092/11', '092/14', '092/15', '092/19', '092/30', '092/31', '092/33', '092/34', '092/39', '092/70', '092/71', '092/73', '092/74', '092/75', '092/79', '092/90', '093/55', '093/61'],
  says: 'a member is suspect/offender in Class A production or supply',
};
const MONEY_LAUNDERING: Condition = { fact: 'offence_class', any: ['38'], says: 'a member is suspect/offender in concealing/acquiring criminal property (38)' };

export const NETWORK_TAG_RULES: readonly TagRule[] = [
  {
    tag: 'CSE',
    whenAny: [[CHILD_SEXUAL_OFFENCE], [{ fact: 'intel_topic', any: ['CSE'], says: 'a member is in a reliable-graded CSE intelligence report' }]],
  },
  {
    tag: 'COUNTY_LINES',
    whenAny: [
      [DRUG_SUPPLY, { fact: 'intel_topic', any: ['COUNTY_LINES'], says: 'a member is in a reliable-graded county-lines intelligence report' }],
      [DRUG_SUPPLY, { fact: 'missing_child_found_with', any: ['yes'], says: 'a missing child was found with a member' }],
    ],
  },
  {
    tag: 'SOC',
    whenAny: [
      [{ fact: 'intel_topic', any: ['FIREARMS', 'OCG'], says: 'a member is in a reliable-graded firearms or organised-crime intelligence report' }],
      [CLASS_A_SUPPLY],
      [MONEY_LAUNDERING],
    ],
  },
];

/** Per fact kind, the values seen among members' records and how many records show each. */
export type NetworkFacts = Partial<Record<FactKind, Record<string, number>>>;

/** The tags a network earns and, for each, the plain-words reasons of every clause that held. */
export function networkTypeTags(facts: NetworkFacts, rules: readonly TagRule[] = NETWORK_TAG_RULES): { types: NetworkTag[]; reasons: string[] } {
  const types: NetworkTag[] = [];
  const reasons: string[] = [];
  for (const rule of rules) {
    const held: string[] = [];
    for (const clause of rule.whenAny) {
      const hits = clause.map((c) => {
        const seen = facts[c.fact] ?? {};
        const n = c.any.reduce((s, v) => s + (seen[v] ?? 0), 0);
        return n > 0 ? `${c.says} (${n} record${n === 1 ? '' : 's'})` : null;
      });
      if (hits.every((h) => h !== null)) held.push(hits.join(' and '));
    }
    if (held.length > 0) {
      types.push(rule.tag);
      reasons.push(`${rule.tag}: ${held.join('; or ')}`);
    }
  }
  return { types, reasons };
}
