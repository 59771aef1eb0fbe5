// How a crime record's person outcome counts towards harm: proven in full, alleged at a configured
// weight (shown apart), NFA/acquittal zero. Only SUSPECT/OFFENDER crime roles carry harm at all.

export const HARM_ROLES = ['SUSPECT', 'OFFENDER'] as const;
export const PROVEN_OUTCOMES = ['CONVICTED', 'CHARGED', 'CAUTIONED'] as const;
export const ALLEGED_OUTCOMES = ['UNDER_INVESTIGATION'] as const;
/** An open record: no disposal yet recorded. A SUSPECT or OFFENDER with this outcome is alleged. */
export const OPEN_OUTCOMES = ['NONE'] as const;
export const ZERO_OUTCOMES = ['NFA', 'ACQUITTED'] as const;
export const KNOWN_OUTCOMES: readonly string[] = [...PROVEN_OUTCOMES, ...ALLEGED_OUTCOMES, ...OPEN_OUTCOMES, ...ZERO_OUTCOMES];

export type OutcomeClass = 'proven' | 'alleged' | 'zero';

/** proven | alleged | zero for a SUSPECT/OFFENDER record; null outcome is an open record (alleged). */
export function outcomeClass(outcome: string | null): OutcomeClass {
  if (outcome === null || (OPEN_OUTCOMES as readonly string[]).includes(outcome)) return 'alleged';
  if ((PROVEN_OUTCOMES as readonly string[]).includes(outcome)) return 'proven';
  if ((ALLEGED_OUTCOMES as readonly string[]).includes(outcome)) return 'alleged';
  if ((ZERO_OUTCOMES as readonly string[]).includes(outcome)) return 'zero';
  throw new RangeError(`unknown person outcome "${outcome}"; expected one of ${KNOWN_OUTCOMES.join(', ')}`);
}

/** 1 for proven, allegedWeight for alleged, 0 for NFA/acquitted. */
export function outcomeFactor(cls: OutcomeClass, allegedWeight: number): number {
  return cls === 'proven' ? 1 : cls === 'alleged' ? allegedWeight : 0;
}

/** Rank used to keep one row when a nominal appears twice on one crime (two identities): best first. */
export function outcomeRank(cls: OutcomeClass): number {
  return cls === 'proven' ? 2 : cls === 'alleged' ? 1 : 0;
}
